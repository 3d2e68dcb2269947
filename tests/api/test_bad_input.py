"""Bad input gets a 4xx in the one error shape, names the field, and writes nothing."""

from __future__ import annotations

import pytest

from steward.core.models import JournalEntry
from steward.people.models import Organization, SupportGroup, User
from steward.services.models import Service

pytestmark = pytest.mark.django_db


def counts():
    return (
        User.objects.count(),
        SupportGroup.objects.count(),
        Organization.objects.count(),
        Service.objects.count(),
        JournalEntry.objects.count(),
    )


def assert_error_shape(body, status_code):
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert all(isinstance(v, list) and v for v in body["error"]["fields"].values())


@pytest.fixture
def admin_api(world, api_as):
    return api_as(world["people"]["admin"])


CASES = [
    # (path, body, field that must be named)
    ("services", {"name": 42, "owner": 1}, "name"),
    ("services", {"name": "X", "owner": "not a number"}, "owner"),
    ("services", {"name": "X", "owner": 1, "criticality": 7}, "criticality"),
    ("services", {"name": "X", "owner": 1, "status": "decommissioned"}, "status"),
    ("services", {"name": "X", "owner": 1, "colour": "red"}, "colour"),
    ("services", {"description": "no name, no owner"}, "name"),
    ("services", {"name": "X", "owner": 999999}, "owner"),
    ("services", {"name": "X", "owner": 1, "customers": [999999]}, "customers"),
    ("users", {"username": "has space"}, "username"),
    ("users", {"username": "ok", "roles": ["emperor"]}, "roles.0"),
    ("users", {"username": "ok", "time_zone": "Mars/Olympus"}, "time_zone"),
    ("users", {"username": "ok", "email": "not-an-email"}, "email"),
    ("users", {"username": "ok", "is_superuser": True}, "is_superuser"),
    ("users", {"username": "ok", "organization": 999999}, "organization"),
    ("groups", {"name": ""}, "name"),
    ("groups", {"name": "G", "manager": 999999}, "manager"),
    ("groups", {"name": "G", "members": "everyone"}, "members"),
    ("organizations", {"name": "O", "code": "has spaces"}, "code"),
    ("organizations", {"name": "O"}, "code"),
]


@pytest.mark.parametrize("path,body,field", CASES)
def test_bad_input_is_a_422_naming_the_field_and_writes_nothing(
    admin_api, world, path, body, field
):
    if body.get("owner") == 1:
        body = {**body, "owner": world["owner"].pk}
    before = counts()
    status, response = admin_api.post(path, body)
    assert status == 422, response
    assert_error_shape(response, status)
    assert field in response["error"]["fields"], response
    assert counts() == before


def test_a_10_mb_string_is_refused_with_413_and_nothing_written(admin_api, world):
    before = counts()
    status, body = admin_api.post(
        "services", {"name": "x" * (10 * 1024 * 1024), "owner": world["owner"].pk}
    )
    assert status == 413
    assert_error_shape(body, status)
    assert "body" in body["error"]["fields"]
    assert counts() == before


def test_a_long_string_under_the_body_limit_is_refused_by_the_field_limit(admin_api, world):
    status, body = admin_api.post("services", {"name": "x" * 5000, "owner": world["owner"].pk})
    assert status == 422
    assert "name" in body["error"]["fields"]


def test_malformed_json_is_a_4xx_in_the_error_shape(admin_api):
    before = counts()
    status, body = admin_api.post("services", "{not json")
    assert 400 <= status < 500
    assert_error_shape(body, status)
    assert counts() == before


def test_a_duplicate_name_is_a_422_naming_the_field(admin_api, world):
    status, body = admin_api.post(
        "services", {"name": "Online Banking", "owner": world["owner"].pk}
    )
    assert status == 422
    assert "name" in body["error"]["fields"]


def test_an_inactive_owner_is_refused(admin_api, world, make_user):
    gone = make_user("gone", is_active=False)
    status, body = admin_api.post("services", {"name": "New", "owner": gone.pk})
    assert status == 422
    assert body["error"]["fields"]["owner"] == ["user 'gone' is inactive"]


def test_bad_query_parameters_are_named(admin_api):
    status, body = admin_api.get("services", limit=100000)
    assert status == 422 and "limit" in body["error"]["fields"]
    status, body = admin_api.get("services", status="bogus")
    assert status == 422 and "status" in body["error"]["fields"]
    status, body = admin_api.get("users", nonsense="1")
    assert (
        status == 200
    )  # unknown query parameters are ignored, as HTTP caches and proxies add them


def test_patch_with_invalid_values_changes_nothing(admin_api, world):
    service = world["services"]["retail_live"]
    status, body = admin_api.patch(
        f"services/{service.pk}", {"version": service.version, "name": "Renamed", "criticality": 9}
    )
    assert status == 422 and "criticality" in body["error"]["fields"]
    service.refresh_from_db()
    assert service.name == "Online Banking" and service.version == 1


def test_unknown_api_paths_answer_in_the_error_shape(admin_api):
    status, body = admin_api.get("no-such-thing")
    assert status == 404
    assert_error_shape(body, status)
