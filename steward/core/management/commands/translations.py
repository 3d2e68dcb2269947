"""``manage.py translations``: update every app's catalogues from its marked strings, or
(``--check``) list the marked strings that have no translation yet and fail."""

from django.core.management.base import BaseCommand, CommandError

from steward.core import translations


class Command(BaseCommand):
    help = "Update each app's translation catalogues (--check: list untranslated strings)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="fail on untranslated strings")
        parser.add_argument("--app", help="only this app's catalogues (its label, e.g. incidents)")

    def handle(self, *args, check=False, app=None, **options):
        try:
            translations.app_dirs(app)
        except ValueError as error:
            raise CommandError(str(error)) from error
        if not check:
            for path in translations.update(only=app):
                self.stdout.write(f"updated {path}")
            return
        gaps = translations.missing(only=app)
        for where, ids in sorted(gaps.items()):
            self.stdout.write(f"{where}: {len(ids)} untranslated")
            for msgid in ids:
                self.stdout.write(f"  {msgid}")
        if gaps:
            raise CommandError("some marked strings have no translation")
        self.stdout.write("every marked string is translated")
