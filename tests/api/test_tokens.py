"""Personal API tokens: hashed, scoped, listed and revoked by their owner."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from steward.people.models import ApiToken
from steward.people.tokens import digest

pytestmark = pytest.mark.django_db


def test_create_api_token_command_prints_a_working_token(world, api_as):
    out = io.StringIO()
    call_command("create_api_token", "root", "--scope", "write", stdout=out)
    secret = out.getvalue().strip()
    row = ApiToken.objects.get(user__username="root")
    assert row.scope == "write"
    assert row.digest == digest(secret) and secret not in (row.digest, row.prefix)
    from tests.conftest import ApiClient

    status, body = ApiClient(secret).post("organizations", {"name": "Insurance", "code": "ins"})
    assert status == 201, body


def test_a_read_token_cannot_write(world, api_as):
    client = api_as(world["people"]["admin"], "read")
    assert client.get("services")[0] == 200
    status, body = client.post("organizations", {"name": "Insurance", "code": "ins"})
    assert status == 403
    assert "authorization" in body["error"]["fields"]


def test_a_revoked_token_fails_on_the_next_request(world):
    from tests.conftest import ApiClient

    owner = world["people"]["agent"]
    from steward.people import operations as ops

    _, secret = ops.create_api_token(owner, owner, name="script", scope="write")
    client = ApiClient(secret)
    status, tokens = client.get("tokens")
    assert status == 200 and [t["name"] for t in tokens] == ["script"]
    status, body = client.post(f"tokens/{tokens[0]['id']}/revoke")
    assert status == 200 and body["revoked_at"]
    assert client.get("me")[0] == 401


def test_tokens_are_listed_and_revoked_only_by_their_owner(world, api_as):
    mine = api_as(world["people"]["agent"])
    other = api_as(world["people"]["admin"])
    status, created = mine.post("tokens", {"name": "ci", "scope": "read"})
    assert status == 201 and created["token"].startswith("stw_")
    assert created["name"] not in {t["name"] for t in other.get("tokens")[1]}
    status, _ = other.post(f"tokens/{created['id']}/revoke")
    assert status == 404
    assert ApiToken.objects.get(pk=created["id"]).revoked_at is None


def test_a_token_of_a_deactivated_user_stops_working(world, api_as):
    person = world["people"]["agent"]
    client = api_as(person)
    assert client.get("me")[0] == 200
    admin = api_as(world["people"]["admin"])
    assert (
        admin.patch(f"users/{person.pk}", {"version": person.version, "is_active": False})[0] == 200
    )
    assert client.get("me")[0] == 401
