"""Print a new personal API token for a user: ``manage.py create_api_token alice --scope write``."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from steward.core.errors import DomainError
from steward.people import operations as ops
from steward.people.choices import TokenScope
from steward.people.models import User


class Command(BaseCommand):
    help = "Create a personal API token for USERNAME and print it (only its hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--scope", choices=TokenScope.values, default=TokenScope.READ)
        parser.add_argument("--name", default="command line")
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Lifetime in days (default and maximum: STEWARD_TOKEN_MAX_DAYS).",
        )

    def handle(self, username, scope, name, days, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        expires_at = timezone.now() + timedelta(days=days) if days is not None else None
        try:
            _, secret = ops.create_api_token(
                None, user, name=name, scope=scope, expires_at=expires_at
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(secret)
