"""Load the demo organisation: each practice contributes its own idempotent demo step."""

from django.core.management.base import BaseCommand
from django.db import transaction

from steward.core.registry import demo_steps


class Command(BaseCommand):
    help = "Create a small realistic IT organisation to explore Steward. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help="quietly do nothing when the demo data is already there",
        )

    def handle(self, once=False, **options):
        for step in demo_steps():
            with transaction.atomic():
                step.load(self.stdout, quiet=once)
