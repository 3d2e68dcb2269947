"""Steward in Dutch: every marked string has a translation, and a person's language is the
language of their pages."""

from __future__ import annotations

import fcntl
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from steward.core import translations

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def compiled_catalogues():
    """The .mo files, built once whichever test worker gets here first (``make test`` builds
    them before the suite; running pytest alone still works)."""
    lock = ROOT / "var" / "compilemessages.lock"
    lock.parent.mkdir(exist_ok=True)
    with lock.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        stale = [
            po
            for po in ROOT.glob("steward/*/locale/*/LC_MESSAGES/django.po")
            if not po.with_suffix(".mo").exists()
            or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
        ]
        if stale:
            call_command("compilemessages", ignore_patterns=[".venv"], verbosity=0)
    translation.trans_real._translations.clear()  # read the fresh catalogues
    translation.trans_real._default = None


def test_every_marked_string_has_a_dutch_translation():
    gaps = translations.missing()
    listing = "\n".join(f"{where}: {ids}" for where, ids in sorted(gaps.items()))
    assert not gaps, (
        f"untranslated strings (run `manage.py translations`, then translate):\n{listing}"
    )


def test_a_dutch_speaker_reads_dutch_pages(compiled_catalogues, client_for, make_user):
    dutch = make_user("joost", language="nl")
    english = make_user("jane", language="en")
    nl = client_for(dutch).get(reverse("core:home")).content.decode()
    en = client_for(english).get(reverse("core:home")).content.decode()
    assert 'lang="nl"' in nl and "Welkom, Joost" in nl
    assert 'lang="en"' in en and "Welcome, Jane" in en
