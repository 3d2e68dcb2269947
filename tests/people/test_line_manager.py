"""A person's line manager: set by administrators (operations, API, the user page), journaled,
never the person themselves; people change nothing of it on their own profile."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from steward.core.errors import PermissionDenied, ValidationError
from steward.core.models import JournalEntry
from steward.people import operations as people_ops
from steward.people.choices import Role
from steward.people.models import User


def test_create_and_update_with_line_manager(admin_user, make_user):
    boss = make_user("boss")
    person = people_ops.create_user(admin_user, username="pat", line_manager=boss)
    assert person.line_manager == boss
    assert list(boss.reports.all()) == [person]
    other = make_user("other")
    people_ops.update_user(admin_user, person, version=person.version, line_manager=other)
    entry = JournalEntry.objects.for_record(person).filter(action="updated").last()
    assert entry.changes["line_manager"] == [
        {"id": boss.pk, "name": boss.display_name},
        {"id": other.pk, "name": other.display_name},
    ]
    people_ops.update_user(admin_user, person, version=person.version, line_manager=None)
    person.refresh_from_db()
    assert person.line_manager is None


def test_not_their_own_line_manager(admin_user, make_user):
    person = make_user("pat")
    with pytest.raises(ValidationError) as refused:
        people_ops.update_user(admin_user, person, version=person.version, line_manager=person)
    assert "line_manager" in refused.value.fields
    person.refresh_from_db()
    assert person.line_manager is None


def test_people_do_not_choose_their_own_line_manager(make_user):
    person = make_user("pat", roles=[Role.REQUESTER])
    friend = make_user("friend")
    with pytest.raises(PermissionDenied):
        people_ops.update_user(person, person, version=person.version, line_manager=friend)


def test_api_sets_and_shows_the_line_manager(api_as, admin_user, make_user):
    boss = make_user("boss")
    api = api_as(admin_user)
    status, body = api.post("users", {"username": "pat", "line_manager": boss.pk})
    assert status == 201 and body["line_manager"] == boss.pk
    status, body = api.patch(
        f"users/{body['id']}", {"version": body["version"], "line_manager": None}
    )
    assert status == 200 and body["line_manager"] is None
    status, body = api.get(f"users/{body['id']}")
    assert body["line_manager"] is None


@pytest.mark.parametrize("value", [0, -1, "x", 10**9])
def test_api_bad_line_manager(api_as, admin_user, value):
    status, body = api_as(admin_user).post("users", {"username": "pat", "line_manager": value})
    assert status == 422
    assert "line_manager" in body["error"]["fields"]
    assert not User.objects.filter(username="pat").exists()


def test_user_page_sets_the_line_manager(admin_user, make_user):
    boss = make_user("boss")
    person = make_user("pat", roles=[Role.REQUESTER])
    client = Client()
    client.force_login(admin_user)
    page = client.get(reverse("people:user_edit", args=[person.username]))
    assert page.status_code == 200 and b'name="line_manager"' in page.content
    data = {
        "version": person.version,
        "first_name": person.first_name,
        "email": person.email,
        "time_zone": "UTC",
        "language": "en",
        "roles": ["requester"],
        "is_active": "on",
        "line_manager": "boss",
    }
    response = client.post(reverse("people:user_edit", args=[person.username]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert person.line_manager == boss
    page = client.get(reverse("people:user_edit", args=[person.username]))
    assert b'value="boss"' in page.content
    data.update(version=person.version, line_manager="nobody-here")
    response = client.post(reverse("people:user_edit", args=[person.username]), data)
    assert response.status_code == 200 and b"No one has this username" in response.content
