"""Check the queue tallies against a count of the incidents, or rebuild them."""

from django.core.management.base import BaseCommand, CommandError

from steward.incidents import operations as ops
from steward.incidents import tallies


class Command(BaseCommand):
    help = (
        "Compare the queue tallies (the incident queues' counts, kept by the database) with a "
        "count of the incidents; fails listing the rows that differ. --rebuild counts again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rebuild", action="store_true", help="store fresh counts (incidents wait meanwhile)"
        )

    def handle(self, rebuild=False, **options):
        if rebuild:
            wrong = ops.rebuild_queue_tallies(None)
            self.stdout.write(f"Queue tallies rebuilt ({wrong} row(s) were wrong).")
            return
        wrong = tallies.differences()
        if wrong:
            lines = [
                f"  group {group}, assignee {assignee or 'none'}: tallied {had}, counted {counted}"
                for (group, assignee), (had, counted) in sorted(wrong.items())
            ]
            raise CommandError(
                f"{len(wrong)} queue tally row(s) differ from the incidents:\n"
                + "\n".join(lines)
                + "\nRun `manage.py queue_tallies --rebuild` to count them again."
            )
        self.stdout.write("Queue tallies match the incidents.")
