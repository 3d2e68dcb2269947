"""``/api/v1/mail-templates``: administrators list the events, read, write and reset a
template per language, and preview one; bad input is a 422 naming the field, and changes
nothing."""

from __future__ import annotations

import pytest

from steward.notifications.models import MailTemplate
from steward.people.choices import Role

BASE = "mail-templates/incident.resolved/en"


@pytest.fixture
def root_api(make_user, api_as):
    return api_as(make_user("root", roles=[Role.ADMIN]))


def test_the_list_names_each_event_its_placeholders_and_languages(root_api):
    status, events = root_api.get("mail-templates")
    assert status == 200
    by_key = {e["event"]: e for e in events}
    assert {
        "incident.created",
        "incident.reply",
        "incident.resolved",
        "incident.handover_pending",
        "sla.warning",
        "survey.offered",
    } <= set(by_key)
    names = {v["name"] for v in by_key["survey.offered"]["variables"]}
    assert {"url", "until", "recipient", "message", "link"} <= names
    assert {t["language"] for t in by_key["incident.resolved"]["templates"]} >= {"en", "nl"}
    assert not any(t["customised"] for e in events for t in e["templates"])


def test_an_uncustomised_template_reads_as_stewards_words(root_api):
    status, row = root_api.get(BASE)
    assert status == 200 and row["customised"] is False and row["version"] is None
    assert row["subject"] == "{{ number }} is resolved: {{ title }}"
    assert row["body"] == "{{ message }}"


def test_write_read_and_reset(root_api):
    status, row = root_api.put(BASE, {"subject": "Done: {{ number }}", "body": "{{ message }}"})
    assert status == 200 and row["customised"] and row["version"] == 1
    listed = {e["event"]: e for e in root_api.get("mail-templates")[1]}
    states = {t["language"]: t for t in listed["incident.resolved"]["templates"]}
    assert states["en"] == {"language": "en", "customised": True, "version": 1}
    assert states["nl"]["customised"] is False
    status, row = root_api.put(
        BASE, {"subject": "Solved: {{ number }}", "body": "{{ message }}", "version": 1}
    )
    assert status == 200 and row["subject"] == "Solved: {{ number }}" and row["version"] == 2
    status, body = root_api.put(BASE, {"subject": "x", "body": "y", "version": 1})
    assert status == 409 and "version" in body["error"]["fields"]
    assert root_api.delete(BASE)[0] == 204
    assert root_api.get(BASE)[1]["customised"] is False
    assert not MailTemplate.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"subject": "Done", "body": "{{ password }}"}, "body"),
        ({"subject": "{{ nope }}", "body": "b"}, "subject"),
        ({"subject": "", "body": "b"}, "subject"),
        ({"subject": "s"}, "body"),
        ({"subject": "s", "body": "b", "colour": "red"}, "colour"),
        ({"subject": "s", "body": "b", "version": 0}, "version"),
        ({"subject": "a\nb", "body": "b"}, "subject"),
        ({"subject": 5, "body": "b"}, "subject"),
    ],
)
def test_bad_writes_are_422_naming_the_field_and_change_nothing(root_api, body, field):
    status, answer = root_api.put(BASE, body)
    assert status == 422 and {field, f"body.{field}"} & set(answer["error"]["fields"]), answer
    assert not MailTemplate.objects.exists()


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("mail-templates/incident.exploded/en", 404),
        ("mail-templates/incident.resolved/xx", 422),
        ("mail-templates/not-an-event/en", 422),
    ],
)
def test_unknown_events_and_languages(root_api, path, status):
    assert root_api.get(path)[0] == status
    assert root_api.put(path, {"subject": "s", "body": "b"})[0] == status
    assert root_api.post(f"{path}/preview", {})[0] == status
    assert not MailTemplate.objects.exists()


def test_the_preview_says_a_draft_or_stewards_words(root_api):
    status, said = root_api.post(f"{BASE}/preview", {"subject": "Hi {{ number }}", "body": "B"})
    assert status == 200 and said["subject"] == "Hi [INC0001234]" and said["text"] == "B"
    assert "<html" in said["html"]
    status, said = root_api.post(f"{BASE}/preview", {})
    assert status == 200 and said["subject"].startswith("[INC0001234] is resolved")
    status, answer = root_api.post(f"{BASE}/preview", {"subject": "s", "body": "{{ x }}"})
    assert status == 422 and "body" in answer["error"]["fields"]
    assert not MailTemplate.objects.exists()


@pytest.mark.parametrize("role", [Role.AGENT, Role.REQUESTER])
def test_only_administrators(make_user, api_as, role):
    client = api_as(make_user("someone", roles=[role]))
    assert client.get("mail-templates")[0] == 403
    assert client.get(BASE)[0] == 403
    assert client.put(BASE, {"subject": "s", "body": "b"})[0] == 403
    assert client.delete(BASE)[0] == 403
    assert client.post(f"{BASE}/preview", {})[0] == 403
    assert not MailTemplate.objects.exists()


def test_an_anonymous_client_is_refused(api_as):
    assert api_as(None).get("mail-templates")[0] == 401
