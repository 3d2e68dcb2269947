"""The contacts of a customer organization through the API: IT staff read them, administrators
change them with the version they read; bad input names the field and writes nothing."""

from __future__ import annotations

import pytest

from steward.people import operations as people_ops
from steward.people.models import OrganizationContact


@pytest.fixture
def retail(world):
    return world["people"]["requester"].organization


def test_administrator_adds_changes_and_removes_a_contact(world, api_as, retail):
    api = api_as(world["people"]["admin"])
    status, body = api.post(
        f"organizations/{retail.pk}/contacts",
        {"name": "Carla", "email": "carla@retail.example", "role": "communications"},
    )
    assert status == 201
    assert (body["organization"], body["role"], body["language"]) == (
        retail.pk,
        "communications",
        "en",
    )
    cid = body["id"]
    status, body = api.patch(
        f"organizations/{retail.pk}/contacts/{cid}", {"version": body["version"], "language": "nl"}
    )
    assert status == 200 and body["language"] == "nl"
    status, listing = api_as(world["people"]["agent"]).get(f"organizations/{retail.pk}/contacts")
    assert status == 200 and [c["name"] for c in listing["items"]] == ["Carla"]
    status, _ = api.delete(f"organizations/{retail.pk}/contacts/{cid}?version={body['version']}")
    assert status == 204
    assert not OrganizationContact.objects.exists()


def test_requesters_see_no_contacts_and_agents_change_none(world, api_as, retail):
    people_ops.add_contact(None, retail, name="Carla", email="carla@retail.example")
    status, body = api_as(world["people"]["requester"]).get(f"organizations/{retail.pk}/contacts")
    assert status == 200 and body["items"] == []
    status, body = api_as(world["people"]["agent"]).post(
        f"organizations/{retail.pk}/contacts", {"name": "X", "email": "x@example.org"}
    )
    assert status == 403
    other = world["people"]["outsider"].organization
    status, _ = api_as(world["people"]["requester"]).get(f"organizations/{other.pk}/contacts")
    assert status == 404
    assert OrganizationContact.objects.count() == 1


@pytest.mark.parametrize(
    "body, field",
    [
        ({"name": "", "email": "c@example.org"}, "name"),
        ({"name": "C", "email": "not an address"}, "email"),
        ({"name": "C", "email": "c@example.org", "role": "boss"}, "role"),
        ({"name": "C", "email": "c@example.org", "language": "tlh"}, "language"),
        ({"name": "C", "email": "c@example.org", "shoe": 42}, "shoe"),
        ({"name": "C\nD", "email": "c@example.org"}, "name"),
    ],
)
def test_bad_contact_input_names_the_field(world, api_as, retail, body, field):
    status, answer = api_as(world["people"]["admin"]).post(
        f"organizations/{retail.pk}/contacts", body
    )
    assert status == 422
    assert field in answer["error"]["fields"]
    assert not OrganizationContact.objects.exists()


def test_a_stale_version_is_409_and_changes_nothing(world, api_as, retail):
    contact = people_ops.add_contact(None, retail, name="Carla", email="carla@retail.example")
    stale = contact.version
    people_ops.update_contact(None, contact, version=contact.version, name="Carla J")
    api = api_as(world["people"]["admin"])
    status, body = api.patch(
        f"organizations/{retail.pk}/contacts/{contact.pk}", {"version": stale, "name": "Other"}
    )
    assert status == 409 and "version" in body["error"]["fields"]
    status, _ = api.delete(f"organizations/{retail.pk}/contacts/{contact.pk}?version={stale}")
    assert status == 409
    contact.refresh_from_db()
    assert contact.name == "Carla J"


def test_a_contact_of_another_organization_is_not_found(world, api_as, retail):
    other = world["people"]["outsider"].organization
    contact = people_ops.add_contact(None, other, name="Olga", email="olga@corp.example")
    status, _ = api_as(world["people"]["admin"]).patch(
        f"organizations/{retail.pk}/contacts/{contact.pk}", {"version": 1, "name": "X"}
    )
    assert status == 404
