"""``manage.py deliver_outbox``: send the due outbox mail now, without the queue worker."""

from django.core.management.base import BaseCommand

from steward.notifications import delivery


class Command(BaseCommand):
    help = "Send every outbound email that is due (the worker does this every minute)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=100, help="At most this many (100)")

    def handle(self, *args, limit: int, **options):
        counts = delivery.deliver_due(limit=limit)
        self.stdout.write(", ".join(f"{name}: {n}" for name, n in counts.items()))
