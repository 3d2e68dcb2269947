"""The SLA definitions API."""

from __future__ import annotations

import pytest

from steward.slm.models import SlaDefinition

pytestmark = pytest.mark.django_db


@pytest.fixture
def definition(world, api_as):
    status, body = api_as(world["people"]["admin"]).post(
        "sla-definitions",
        {
            "name": "Online Banking P1",
            "priority": "P1",
            "service": world["services"]["retail_live"].pk,
            "response_seconds": 900,
            "resolution_seconds": 4 * 3600,
        },
    )
    assert status == 201, body
    return body


def test_admins_create_and_it_staff_read_definitions(world, api_as, definition):
    assert definition["thresholds"] == [50, 75, 90] and definition["signed_off_by"] is None
    status, body = api_as(world["people"]["agent"], "read").get("sla-definitions")
    assert status == 200 and [d["name"] for d in body["items"]] == ["Online Banking P1"]
    assert (
        api_as(world["people"]["agent"]).post(
            "sla-definitions", {"name": "x", "resolution_seconds": 60}
        )[0]
        == 403
    )


def test_requesters_see_no_definitions(world, api_as, definition):
    client = api_as(world["people"]["requester"], "read")
    assert client.get("sla-definitions")[1]["count"] == 0
    assert client.get(f"sla-definitions/{definition['id']}")[0] == 404


def test_only_the_service_owner_signs_off(world, api_as, definition):
    path = f"sla-definitions/{definition['id']}/sign-off"
    status, body = api_as(world["people"]["admin"]).post(path)
    assert status == 403 and "service owner" in body["error"]["message"]
    status, body = api_as(world["owner"]).post(path)
    assert status == 200 and body["signed_off_by"]["username"] == "owner"


@pytest.mark.parametrize(
    "body,field",
    [
        ({"name": "A"}, "resolution_seconds"),
        ({"name": "A", "resolution_seconds": -5}, "resolution_seconds"),
        ({"name": "A", "resolution_seconds": 60, "priority": "urgent"}, "priority"),
        ({"name": "A", "resolution_seconds": 60, "thresholds": [50, 150]}, "thresholds.1"),
        ({"name": "A", "resolution_seconds": 60, "service": 999999}, "service"),
        ({"name": "A", "resolution_seconds": 60, "reopen_policy": "sometimes"}, "reopen_policy"),
        ({"name": "A", "resolution_seconds": 60, "colour": "red"}, "colour"),
    ],
)
def test_bad_definitions_are_refused_naming_the_field(world, api_as, body, field):
    status, response = api_as(world["people"]["admin"]).post("sla-definitions", body)
    assert status == 422 and field in response["error"]["fields"], response
    assert not SlaDefinition.objects.exists()


def test_a_stale_version_changes_nothing(world, api_as, definition):
    admin = api_as(world["people"]["admin"])
    path = f"sla-definitions/{definition['id']}"
    assert admin.patch(path, {"version": 1, "resolution_seconds": 7200})[0] == 200
    status, _ = admin.patch(path, {"version": 1, "resolution_seconds": 60})
    assert status == 409
    assert SlaDefinition.objects.get().resolution_seconds == 7200


def test_the_service_page_shows_its_slas_and_their_sign_off(world, api_as, definition, client):
    service = world["services"]["retail_live"]
    client.force_login(world["people"]["agent"])
    html = client.get(f"/services/{service.pk}/").content.decode()
    assert "Service level agreements" in html and "Online Banking P1" in html
    assert "not signed off" in html
    api_as(world["owner"]).post(f"sla-definitions/{definition['id']}/sign-off")
    html = client.get(f"/services/{service.pk}/").content.decode()
    assert "not signed off" not in html and "Owner," in html
    client.force_login(world["people"]["requester"])
    assert "Service level agreements" not in client.get(f"/services/{service.pk}/").content.decode()
