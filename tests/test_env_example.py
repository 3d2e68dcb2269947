"""`.env.example` lists every variable that docs/configuration.md documents and that the code
reads, and copied to `.env` as it is, it is a working configuration."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VARIABLE = re.compile(r"\b(STEWARD_[A-Z0-9_]+|DATABASE_URL)\b")
#: Django settings named STEWARD_* that are not read from the environment
NOT_ENVIRONMENT = {"STEWARD_API", "STEWARD_LOGOUT_URL", "STEWARD_TRANSLATED_LANGUAGES"}


def example_variables() -> set[str]:
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^#? ?(STEWARD_[A-Z0-9_]+|DATABASE_URL)=", text, re.M))


def documented_variables() -> set[str]:
    rows = (ROOT / "docs/configuration.md").read_text().splitlines()
    return {m for line in rows if line.startswith("| `") for m in VARIABLE.findall(line[:60])}


def variables_read_by_the_code() -> set[str]:
    found = set()
    for path in (ROOT / "steward").rglob("*.py"):
        text = path.read_text()
        found |= set(re.findall(r"env\.\w+\(\s*\"(STEWARD_[A-Z0-9_]+|DATABASE_URL)\"", text))
        found |= set(re.findall(r"environ(?:\.get)?\W+\"(STEWARD_[A-Z0-9_]+)\"", text))
    return found - NOT_ENVIRONMENT


def test_every_variable_is_documented_and_in_the_example():
    code, docs, example = variables_read_by_the_code(), documented_variables(), example_variables()
    assert code, "found no variables: the pattern is broken"
    assert code - docs == set(), "read by the code, not in docs/configuration.md"
    assert docs - example == set(), "documented, missing from .env.example"
    assert example - docs == set(), "in .env.example, not documented"
    assert "STEWARD_SSL_HOST" in docs


def test_the_example_copied_to_env_is_a_working_configuration(tmp_path):
    """Its values, as `.env` would give them (settings read `.env` into the environment)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STEWARD_", "DATABASE_URL"))}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            env[name] = value
    env |= {"DJANGO_SETTINGS_MODULE": "steward.settings", "STEWARD_DATA_DIR": str(tmp_path)}
    code = "from django.conf import settings; print(settings.STEWARD_PORT, settings.DEBUG)"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["8000", "False"]
