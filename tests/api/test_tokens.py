"""Personal API tokens: hashed, scoped, listed and revoked by their owner."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from steward.people import operations as ops
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


def session_api(user):
    """An ApiClient signed in with a browser session instead of a token."""
    from tests.conftest import ApiClient

    client = ApiClient(None)
    client.client.force_login(user)
    return client


def test_tokens_are_listed_and_revoked_only_by_their_owner(world, api_as):
    mine = session_api(world["people"]["agent"])  # tokens are minted in a session only
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


# --- minting: only in a session or by the command; a bounded lifetime ---------------------------


def test_a_token_cannot_mint_a_token(world, api_as):
    """A stolen write token must not be able to make itself a successor that outlives it."""
    owner = world["people"]["agent"]
    client = api_as(owner, "write")
    before = ApiToken.objects.filter(user=owner).count()
    status, body = client.post("tokens", {"name": "successor", "scope": "write"})
    assert status == 403
    assert body["error"]["code"] == "forbidden"
    assert "authorization" in body["error"]["fields"]
    assert ApiToken.objects.filter(user=owner).count() == before


def test_a_session_mints_a_token_that_lives_the_maximum_and_works(world):
    owner = world["people"]["agent"]
    status, created = session_api(owner).post("tokens", {"name": "ci", "scope": "read"})
    assert status == 201
    expires = datetime.fromisoformat(created["expires_at"])
    assert abs(expires - (timezone.now() + timedelta(days=365))) < timedelta(minutes=1)
    from tests.conftest import ApiClient

    assert ApiClient(created["token"]).get("me")[0] == 200


@pytest.mark.parametrize("offset", [timedelta(days=-1), timedelta(0)])
def test_an_expiry_in_the_past_or_now_is_refused(world, offset):
    owner = world["people"]["agent"]
    when = (timezone.now() + offset).isoformat()
    status, body = session_api(owner).post("tokens", {"name": "old", "expires_at": when})
    assert status == 422
    assert list(body["error"]["fields"]) == ["expires_at"]
    assert not ApiToken.objects.filter(user=owner, name="old").exists()


@override_settings(STEWARD_TOKEN_MAX_DAYS=30)
def test_an_expiry_beyond_the_maximum_is_refused_and_one_within_is_kept(world):
    client = session_api(world["people"]["agent"])
    too_late = (timezone.now() + timedelta(days=31)).isoformat()
    status, body = client.post("tokens", {"name": "long", "expires_at": too_late})
    assert status == 422 and "30 days" in body["error"]["fields"]["expires_at"][0]
    within = (timezone.now() + timedelta(days=7)).replace(microsecond=0)
    status, created = client.post("tokens", {"name": "week", "expires_at": within.isoformat()})
    assert status == 201
    assert datetime.fromisoformat(created["expires_at"]) == within


def test_the_command_makes_tokens_with_the_maximum_lifetime_or_fewer_days(world):
    call_command("create_api_token", "root", stdout=io.StringIO())
    call_command("create_api_token", "root", "--days", "2", "--name", "short", stdout=io.StringIO())
    now = timezone.now()
    full = ApiToken.objects.get(user__username="root", name="command line")
    short = ApiToken.objects.get(user__username="root", name="short")
    assert abs(full.expires_at - (now + timedelta(days=365))) < timedelta(minutes=1)
    assert abs(short.expires_at - (now + timedelta(days=2))) < timedelta(minutes=1)


def test_tokens_made_before_the_cap_keep_working_and_expired_ones_fail(world):
    """Rows made before the lifetime cap may have no expiry: they keep working."""
    from tests.conftest import ApiClient

    owner = world["people"]["agent"]
    _, secret = ops.create_api_token(None, owner, name="legacy", scope="read")
    ApiToken.objects.filter(user=owner, name="legacy").update(expires_at=None)
    assert ApiClient(secret).get("me")[0] == 200
    ApiToken.objects.filter(user=owner, name="legacy").update(
        expires_at=datetime(2000, 1, 1, tzinfo=UTC)
    )
    assert ApiClient(secret).get("me")[0] == 401
