"""Steward in Dutch: every marked string has a translation, and a person's language is the
language of their pages."""

from __future__ import annotations

from django.urls import reverse

from steward.core import translations


def test_every_marked_string_has_a_dutch_translation():
    gaps = translations.missing()
    listing = "\n".join(f"{where}: {ids}" for where, ids in sorted(gaps.items()))
    assert not gaps, (
        f"untranslated strings (run `manage.py translations`, then translate):\n{listing}"
    )


def test_a_dutch_speaker_reads_dutch_pages(client_for, make_user):
    dutch = make_user("joost", language="nl")
    english = make_user("jane", language="en")
    nl = client_for(dutch).get(reverse("core:home")).content.decode()
    en = client_for(english).get(reverse("core:home")).content.decode()
    assert 'lang="nl"' in nl and "Welkom, Joost" in nl
    assert 'lang="en"' in en and "Welcome, Jane" in en
