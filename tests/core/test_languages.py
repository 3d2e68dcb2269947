"""The core says things in the reader's language: the shared refusals (a stale version, a refused
move), a sentence with words of its own (a nested Text), the journal's actions and system
comments; and the 500 page, rendered with no request context, is readable in both languages."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation
from django.utils.translation import gettext_noop
from django.views.defaults import server_error

from steward.core import journal
from steward.core.errors import StaleVersion, TransitionNotAllowed
from steward.core.models import JournalEntry
from steward.core.texts import Text
from steward.core.workflow import TransitionTable


def test_a_stale_version_is_refused_in_the_active_language():
    with translation.override("nl"):
        error = StaleVersion(expected=1, current=2)
    assert error.message.startswith(
        "Iemand anders heeft dit intussen gewijzigd: je stuurde versie 1"
    )
    assert error.fields == {"version": ["verouderd: de huidige versie is 2"]}
    with translation.override("en"):
        assert StaleVersion(expected=1, current=2).fields == {
            "version": ["stale: current version is 2"]
        }


def test_a_refused_move_without_labels_is_said_in_the_active_language():
    table = TransitionTable("thing", {"new": {"done"}, "done": set()})
    with translation.override("nl"), pytest.raises(TransitionNotAllowed) as refused:
        table.check("done", "new")
    assert refused.value.message == (
        "Van 'done' naar 'new' kan niet. Toegestaan vanuit 'done': geen (eindstatus)."
    )


def test_a_nested_text_is_said_in_the_readers_language_and_survives_storage():
    text = Text(
        gettext_noop(
            "%(label)s: the %(metric)s target of %(agreement)s is %(state)s (due %(due)s)."
        ),
        label="INC1",
        metric=Text(gettext_noop("resolution")),
        agreement="SLA Gold",
        state=Text(gettext_noop("%(percent)s%% used"), percent=75),
        due="2026-03-02T10:00:00+00:00",
    )
    again = Text.from_json(text.as_json())
    assert again == text
    assert again.render("nl") == (
        "INC1: de norm voor oplossing van SLA Gold is voor 75% opgebruikt "
        "(uiterlijk 2026-03-02T10:00:00+00:00)."
    )
    assert again.render("en") == (
        "INC1: the resolution target of SLA Gold is 75% used (due 2026-03-02T10:00:00+00:00)."
    )


@pytest.mark.django_db
def test_the_timeline_names_actions_and_says_system_comments_in_the_readers_language(
    make_user,
):
    person = make_user("anke", language="nl")
    journal.record(None, person, "updated", comment=Text(gettext_noop("bulk load")))
    journal.record(None, person, "contact_added", comment="Said by a person, kept as written")
    entries = list(
        JournalEntry.objects.for_record(person)
        .filter(action__in=["updated", "contact_added"])
        .order_by("id")
    )
    assert entries[0].comment == "bulk load"  # the installation's language, for the API
    with translation.override("nl"):
        html = render_to_string(
            "core/includes/timeline.html", {"entries": entries, "record": person}
        )
    assert "Bijgewerkt" in html and "in bulk geladen" in html
    assert "Contactpersoon toegevoegd" in html and "Said by a person, kept as written" in html
    with translation.override("en"):
        html = render_to_string(
            "core/includes/timeline.html", {"entries": entries, "record": person}
        )
    assert "Updated" in html and "bulk load" in html and "Contact added" in html


def test_the_500_page_needs_no_request_context_and_speaks_both_languages():
    request = RequestFactory().get("/incidents/")
    response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in html and "Back to the start page" in html
    assert '<div lang="nl"><h2>Er is iets misgegaan</h2>' in html
    assert "Terug naar de voorpagina" in html
    assert "{{" not in html and "{%" not in html
    # the same page whatever language was active when it failed: it is static
    with translation.override("nl"):
        assert server_error(request).content.decode() == html
