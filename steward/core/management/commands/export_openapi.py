"""Write the API's OpenAPI document, or check that a committed copy matches the code."""

import json
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string


def openapi_text() -> str:
    # Named in settings (like ROOT_URLCONF) so the core app does not import the layer above it.
    api = import_string(settings.STEWARD_API)
    return (
        json.dumps(api.get_openapi_schema(path_prefix="/api/v1"), indent=2, sort_keys=True) + "\n"
    )


class Command(BaseCommand):
    help = "Print the OpenAPI document (or, with --check FILE, fail when FILE differs from it)."

    def add_arguments(self, parser):
        parser.add_argument("--check", metavar="FILE", help="compare with this file instead")

    def handle(self, check=None, **options):
        text = openapi_text()
        if check is None:
            sys.stdout.write(text)
            return
        path = Path(check)
        if not path.exists() or path.read_text() != text:
            raise CommandError(
                f"{path} does not match the API in the code. Regenerate it with `make openapi` "
                "and commit the result."
            )
        self.stdout.write(f"{path} matches the code.")
