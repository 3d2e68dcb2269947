"""Print a new personal API token for a user: ``manage.py create_api_token alice --scope write``."""

from django.core.management.base import BaseCommand, CommandError

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

    def handle(self, username, scope, name, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        try:
            _, secret = ops.create_api_token(None, user, name=name, scope=scope)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(secret)
