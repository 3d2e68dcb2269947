"""The mail template pages: administrators see each event and language, start from Steward's
words, preview a draft without saving it, save, and go back to Steward's words."""

from __future__ import annotations

import pytest

from steward.notifications.models import MailTemplate
from steward.people.choices import Role

EDIT = "/notifications/mail-templates/incident.resolved/en/"


@pytest.fixture
def root(make_user):
    return make_user("root", roles=[Role.ADMIN])


def test_the_list_shows_each_event_and_language(root, client_for):
    page = client_for(root).get("/notifications/mail-templates/").content.decode()
    for words in ("Incident resolved", "Satisfaction survey", "Handover pending", "Nederlands"):
        assert words in page
    assert EDIT in page


def test_the_editor_starts_from_stewards_words_with_their_preview(root, client_for):
    response = client_for(root).get(EDIT)
    page = response.content.decode()
    assert response.status_code == 200
    assert "{{ number }} is resolved: {{ title }}" in page
    assert "[INC0001234] is resolved" in page  # the preview of the built-in words
    assert "{{ recipient }}" in page  # the placeholders are listed


def test_preview_shows_the_draft_and_saves_nothing(root, client_for):
    response = client_for(root).post(
        EDIT, {"subject": "Klaar {{ number }}", "body": "Hi {{ recipient }}", "action": "preview"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Klaar [INC0001234]" in page and f"Hi {root.display_name}" in page
    assert not MailTemplate.objects.exists()


def test_save_then_reset(root, client_for):
    client = client_for(root)
    response = client.post(EDIT, {"subject": "Done {{ number }}", "body": "{{ message }}"})
    assert response.status_code == 302
    assert MailTemplate.objects.get().subject == "Done {{ number }}"
    assert "Done {{ number }}" in client.get(EDIT).content.decode()
    response = client.post(EDIT + "reset/")
    assert response.status_code == 302 and not MailTemplate.objects.exists()


def test_an_unknown_placeholder_is_shown_at_its_field_and_nothing_is_saved(root, client_for):
    response = client_for(root).post(EDIT, {"subject": "Done", "body": "{{ password }}"})
    assert response.status_code == 422
    assert "{{ password }} is not offered here" in response.content.decode()
    assert not MailTemplate.objects.exists()


def test_a_stale_save_is_a_conflict_that_keeps_the_input(root, client_for):
    client = client_for(root)
    client.post(EDIT, {"subject": "One", "body": "b"})
    client.post(EDIT, {"subject": "Two", "body": "b", "version": 1})
    response = client.post(EDIT, {"subject": "Three", "body": "b", "version": 1})
    assert response.status_code == 409 and "Three" in response.content.decode()
    assert MailTemplate.objects.get().subject == "Two"


@pytest.mark.parametrize("path", ["incident.exploded/en/", "incident.resolved/xx/"])
def test_unknown_events_and_languages_are_404(root, client_for, path):
    assert client_for(root).get("/notifications/mail-templates/" + path).status_code == 404


@pytest.mark.parametrize("role", [Role.AGENT, Role.REQUESTER])
def test_others_do_not_find_the_pages(make_user, client_for, role):
    client = client_for(make_user("someone", roles=[role]))
    assert client.get("/notifications/mail-templates/").status_code == 404
    assert client.get(EDIT).status_code == 404
    assert client.post(EDIT, {"subject": "s", "body": "b"}).status_code == 404
    assert client.post(EDIT + "reset/").status_code == 404
    assert not MailTemplate.objects.exists()
