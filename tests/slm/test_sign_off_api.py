"""The API sign-off of an SLA takes the version the signer read, as the page does: a stale one
is 409 in the one error shape and nothing is written; without it the sign-off works as before."""

from __future__ import annotations

import pytest
from django.test import Client

from steward.core.models import JournalEntry
from steward.people import operations as people_ops
from steward.slm import operations as ops
from steward.slm.models import SlaDefinition

pytestmark = pytest.mark.django_db


@pytest.fixture
def definition(world):
    return ops.create_definition(
        world["people"]["admin"],
        name="Online Banking P1",
        priority="P1",
        service=world["services"]["retail_live"],
        response_seconds=900,
        resolution_seconds=4 * 3600,
    )


def path(definition) -> str:
    return f"sla-definitions/{definition.pk}/sign-off"


def test_the_version_read_signs_off(world, api_as, definition):
    status, body = api_as(world["owner"]).post(path(definition), {"version": definition.version})
    assert status == 200, body
    assert body["signed_off_by"]["username"] == "owner" and body["signed_off_at"]
    assert SlaDefinition.objects.get().signed_off_by == world["owner"]


def test_a_stale_version_is_409_and_nothing_is_written(world, api_as, definition):
    read = definition.version
    ops.update_definition(world["people"]["admin"], definition, version=read, response_seconds=600)
    status, body = api_as(world["owner"]).post(path(definition), {"version": read})
    assert status == 409, body
    assert set(body) == {"error"} and body["error"]["code"] == "stale_version"
    d = SlaDefinition.objects.get()
    assert d.signed_off_by is None and d.signed_off_at is None
    assert not JournalEntry.objects.for_record(d).filter(action="signed_off").exists()


@pytest.mark.parametrize("sent", [None, b"", {}])
def test_without_a_version_the_sign_off_works_as_before(world, definition, sent):
    _, secret = people_ops.create_api_token(world["owner"], world["owner"], name="t", scope="write")
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    url = f"/api/v1/{path(definition)}"
    if sent is None:  # no body at all, as `curl -X POST` sends it
        response = client.generic("POST", url)
    elif sent == b"":  # an empty body sent as JSON
        response = client.generic("POST", url, b"", content_type="application/json")
    else:
        response = client.post(url, sent, content_type="application/json")
    assert response.status_code == 200, response.content
    assert SlaDefinition.objects.get().signed_off_by == world["owner"]


@pytest.mark.parametrize(
    "sent,field",
    [
        ({"version": "old"}, "version"),
        ({"version": 0}, "version"),
        ({"version": 1, "signed_by": "me"}, "signed_by"),
    ],
)
def test_bad_input_names_the_field_and_signs_nothing(world, api_as, definition, sent, field):
    status, body = api_as(world["owner"]).post(path(definition), sent)
    assert status == 422 and field in body["error"]["fields"], body
    assert SlaDefinition.objects.get().signed_off_by is None


def test_someone_else_cannot_sign_off_even_with_the_right_version(world, api_as, definition):
    status, body = api_as(world["people"]["agent"]).post(
        path(definition), {"version": definition.version}
    )
    assert status == 403 and "service owner" in body["error"]["message"]
    assert SlaDefinition.objects.get().signed_off_by is None
