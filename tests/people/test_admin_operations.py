"""The operations behind the people pages: what a group's manager may change, API tokens made
by an administrator for someone else, and the contacts of a customer organization."""

from __future__ import annotations

import pytest

from steward.core.errors import NotFound, PermissionDenied, StaleVersion, ValidationError
from steward.core.models import JournalEntry
from steward.people import operations as ops
from steward.people.choices import Role
from steward.people.models import ApiToken, OrganizationContact, SupportGroup


@pytest.fixture
def lead(make_user):
    return make_user("lead", roles=[Role.AGENT, Role.GROUP_MANAGER])


@pytest.fixture
def desk(lead):
    return ops.create_group(None, name="Service Desk", manager=lead, members=[lead])


def test_a_manager_may_change_their_own_group_only(lead, desk, agent, make_user):
    assert list(SupportGroup.objects.for_user(lead, "change")) == [desk]
    other = ops.create_group(None, name="Network")
    with pytest.raises(PermissionDenied):
        ops.update_group(lead, other, version=other.version, description="mine now")
    ops.update_group(lead, desk, version=desk.version, members=[lead, agent], email="d@example.org")
    assert set(desk.members.all()) == {lead, agent}
    assert JournalEntry.objects.for_record(desk).last().actor == lead


@pytest.mark.parametrize("changes", [{"name": "X"}, {"is_active": False}, {"manager": None}])
def test_name_manager_and_status_are_for_administrators(lead, desk, changes):
    with pytest.raises(PermissionDenied) as caught:
        ops.update_group(lead, desk, version=desk.version, **changes)
    assert set(caught.value.fields) == set(changes)
    desk.refresh_from_db()
    assert (desk.name, desk.is_active, desk.manager) == ("Service Desk", True, lead)


def test_an_agent_who_manages_nothing_changes_no_group(agent, desk):
    assert not SupportGroup.objects.for_user(agent, "change").exists()
    with pytest.raises(PermissionDenied):
        ops.update_group(agent, desk, version=desk.version, description="x")


def test_a_requester_cannot_even_see_a_group(requester, desk):
    with pytest.raises(NotFound):
        ops.update_group(requester, desk, version=desk.version, description="x")


def test_administrator_makes_a_token_for_someone_else(admin_user, agent):
    row, secret = ops.create_api_token(admin_user, agent, name="monitoring", scope="write")
    assert row.user == agent and secret.startswith(row.prefix)
    entry = JournalEntry.objects.for_record(agent).get(action="api_token_created")
    assert entry.actor == admin_user and "monitoring" in entry.comment


def test_others_cannot_make_or_revoke_tokens_for_someone_else(agent, make_user, admin_user):
    other = make_user("other")
    with pytest.raises(PermissionDenied):
        ops.create_api_token(agent, other, name="sneaky")
    token, _ = ops.create_api_token(other, other, name="own")
    with pytest.raises(NotFound):
        ops.revoke_api_token(agent, token)
    ops.revoke_api_token(admin_user, token)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert JournalEntry.objects.for_record(other).filter(
        action="api_token_revoked"
    ).get().actor == (admin_user)


def test_an_administrator_cannot_make_a_token_with_a_token(admin_user, agent):
    via, _ = ops.create_api_token(admin_user, admin_user, name="script")
    with pytest.raises(PermissionDenied):
        ops.create_api_token(admin_user, agent, name="x", via_token=via)
    assert not ApiToken.objects.filter(user=agent).exists()


def test_tokens_api_still_lists_only_ones_own(api_as, admin_user, agent):
    ops.create_api_token(admin_user, agent, name="for agent")
    status, body = api_as(admin_user).get("tokens")
    assert status == 200
    assert "for agent" not in [t["name"] for t in body]


# --- contacts ----------------------------------------------------------------------------------


def test_contacts_are_journaled_on_the_organization(admin_user, make_org):
    org = make_org("Retail", code="retail")
    c = ops.add_contact(admin_user, org, name="Carla", email="carla@example.org", language="nl")
    assert (c.role, c.language) == ("primary", "nl")
    ops.update_contact(admin_user, c, version=c.version, role="communications")
    ops.remove_contact(admin_user, c, version=c.version)
    entries = list(JournalEntry.objects.for_record(org))
    assert [e.action for e in entries][-3:] == [
        "contact_added",
        "contact_updated",
        "contact_removed",
    ]
    assert entries[-2].changes == {"role": ["primary", "communications"]}
    assert entries[-1].changes["email"] == ["carla@example.org", None]


def test_contact_input_is_checked_by_field(admin_user, make_org):
    org = make_org("Retail", code="retail")
    with pytest.raises(ValidationError) as caught:
        ops.add_contact(admin_user, org, name="", email="nope", role="boss", language="xx")
    assert set(caught.value.fields) == {"name", "email", "role", "language"}
    with pytest.raises(ValidationError) as caught:
        ops.add_contact(admin_user, org, name="C", email="c@example.org", shoe_size=42)
    assert caught.value.fields == {"shoe_size": ["unknown field"]}
    assert not OrganizationContact.objects.exists()


def test_the_same_address_twice_in_one_organization_is_refused(admin_user, make_org):
    retail, corporate = make_org("Retail", code="retail"), make_org("Corp", code="corp")
    ops.add_contact(admin_user, retail, name="Carla", email="carla@example.org")
    with pytest.raises(ValidationError) as caught:
        ops.add_contact(admin_user, retail, name="C", email="Carla@Example.org")
    assert "email" in caught.value.fields
    ops.add_contact(
        admin_user, corporate, name="Carla", email="carla@example.org"
    )  # elsewhere: fine


def test_contacts_are_changed_by_administrators_only(agent, admin_user, make_org):
    org = make_org("Retail", code="retail")
    with pytest.raises(PermissionDenied):
        ops.add_contact(agent, org, name="C", email="c@example.org")
    c = ops.add_contact(admin_user, org, name="C", email="c@example.org")
    with pytest.raises(PermissionDenied):
        ops.update_contact(agent, c, version=c.version, name="D")
    with pytest.raises(PermissionDenied):
        ops.remove_contact(agent, c, version=c.version)


def test_a_stale_contact_version_changes_nothing(admin_user, make_org):
    org = make_org("Retail", code="retail")
    c = ops.add_contact(admin_user, org, name="Carla", email="carla@example.org")
    stale = c.version
    ops.update_contact(admin_user, c, version=c.version, name="Carla J")
    with pytest.raises(StaleVersion):
        ops.update_contact(admin_user, c, version=stale, name="Other")
    with pytest.raises(StaleVersion):
        ops.remove_contact(admin_user, c, version=stale)
    c.refresh_from_db()
    assert c.name == "Carla J"


def test_contacts_are_read_by_it_staff_only(agent, requester, admin_user, make_org):
    org = requester.organization
    ops.add_contact(admin_user, org, name="Carla", email="carla@example.org")
    assert OrganizationContact.objects.for_user(agent, "view").count() == 1
    assert not OrganizationContact.objects.for_user(requester, "view").exists()
