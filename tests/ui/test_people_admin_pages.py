"""The Administration area's people pages, support groups run from their pages, and
organizations with their contacts: who may open what, writes through the operations with the
journal, bad input beside the field, and a stale save shown to the person."""

from __future__ import annotations

import pytest
from django.urls import reverse

from steward.core.models import JournalEntry
from steward.people import operations as people_ops
from steward.people.choices import Role
from steward.people.models import ApiToken, Organization, OrganizationContact, SupportGroup, User


@pytest.fixture
def manager(make_user):
    return make_user("mona", roles=[Role.AGENT, Role.GROUP_MANAGER], last_name="Manager")


@pytest.fixture
def desk(manager, agent):
    return people_ops.create_group(
        None, name="Service Desk", manager=manager, members=[manager], email="desk@example.org"
    )


@pytest.fixture
def network(make_user):
    lead = make_user("nina", roles=[Role.AGENT, Role.GROUP_MANAGER])
    return people_ops.create_group(None, name="Network", manager=lead, members=[lead])


def edit_data(user, **changes):
    data = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "organization": user.organization_id or "",
        "job_title": user.job_title,
        "phone": user.phone,
        "time_zone": user.time_zone,
        "language": user.language,
        "roles": sorted(user.roles),
        "is_active": "on" if user.is_active else "",
        "version": user.version,
    }
    return data | changes


# --- who may open what -------------------------------------------------------------------------


ADMIN_ONLY = ["people:administration", "people:user_list", "people:user_create"]


@pytest.mark.parametrize("url_name", ADMIN_ONLY)
def test_the_administration_area_is_for_administrators(
    client_for, admin_user, agent, manager, requester, url_name
):
    url = reverse(url_name)
    assert client_for(admin_user).get(url).status_code == 200
    for other in (agent, manager, requester):
        assert client_for(other).get(url).status_code == 404


def test_a_user_edit_page_is_for_administrators(client_for, admin_user, agent, requester):
    url = reverse("people:user_edit", args=[agent.username])
    assert client_for(admin_user).get(url).status_code == 200
    assert client_for(agent).get(url).status_code == 404
    assert client_for(requester).get(url).status_code == 404
    for name in ("people:user_password", "people:user_token_create"):
        post = client_for(agent).post(reverse(name, args=[agent.username]), {"password": "x" * 12})
        assert post.status_code == 404


def test_organizations_are_read_by_it_staff_and_changed_by_administrators(
    client_for, admin_user, agent, requester
):
    org = requester.organization
    read = [
        reverse("people:organization_list"),
        reverse("people:organization_detail", args=[org.pk]),
    ]
    change = [
        reverse("people:organization_create"),
        reverse("people:organization_edit", args=[org.pk]),
    ]
    for url in read + change:
        assert client_for(admin_user).get(url).status_code == 200
        assert client_for(requester).get(url).status_code == 404
    for url in read:
        assert client_for(agent).get(url).status_code == 200
    for url in change:
        assert client_for(agent).get(url).status_code == 403
    add = client_for(agent).post(
        reverse("people:contact_add", args=[org.pk]), {"name": "X", "email": "x@example.org"}
    )
    assert add.status_code == 403
    assert not OrganizationContact.objects.exists()


def test_group_pages_per_role(client_for, admin_user, agent, manager, requester, desk, network):
    edit = reverse("people:group_edit", args=[desk.pk])
    assert client_for(admin_user).get(edit).status_code == 200
    assert client_for(manager).get(edit).status_code == 200  # their own group
    assert client_for(agent).get(edit).status_code == 403  # a member of IT, not its manager
    assert client_for(requester).get(edit).status_code == 404
    # The manager of another group cannot change this one.
    other_manager = network.manager
    assert client_for(other_manager).get(edit).status_code == 403
    assert (
        client_for(manager).get(reverse("people:group_edit", args=[network.pk])).status_code == 403
    )
    assert client_for(manager).get(reverse("people:group_create")).status_code == 403
    assert client_for(requester).get(reverse("people:group_create")).status_code == 404


def test_menu_shows_administration_to_administrators_only(client_for, admin_user, agent):
    admin_html = client_for(admin_user).get(reverse("core:home")).content.decode()
    assert reverse("people:administration") in admin_html
    agent_html = client_for(agent).get(reverse("core:home")).content.decode()
    assert reverse("people:administration") not in agent_html
    assert reverse("people:organization_list") in agent_html


def test_administration_lists_the_sections_of_the_practices(client_for, admin_user):
    html = client_for(admin_user).get(reverse("people:administration")).content.decode()
    for url in (
        reverse("people:user_list"),
        reverse("people:group_list"),
        reverse("people:organization_list"),
        reverse("incidents:settings_matrix"),
        reverse("incidents:settings_categories"),
    ):
        assert f'href="{url}"' in html


# --- users ---------------------------------------------------------------------------------------


def test_user_list_filters_by_text_role_organization_and_status(
    client_for, admin_user, agent, requester, make_user
):
    gone = make_user("gone", roles=[Role.AGENT])
    people_ops.update_user(None, gone, version=gone.version, is_active=False)
    client = client_for(admin_user)
    url = reverse("people:user_list")

    def names(**params):
        return [u.username for u in client.get(url, params).context["page_obj"]]

    assert names() == ["admin", "agent", "gone", "requester"]
    assert names(q="REQ") == ["requester"]
    assert names(role="requester") == ["requester"]
    assert names(organization=requester.organization_id) == ["requester"]
    assert names(status="inactive") == ["gone"]
    assert names(status="active", role="agent") == ["admin", "agent"]


def test_user_list_pages_and_answers_htmx_with_the_results_only(client_for, admin_user, make_user):
    for n in range(55):
        make_user(f"bulk{n:02}", roles=[Role.AGENT])
    client = client_for(admin_user)
    first = client.get(reverse("people:user_list"))
    assert len(first.context["page_obj"]) == 50
    second = client.get(reverse("people:user_list"), {"page": 2})
    assert len(second.context["page_obj"]) == 6
    partial = client.get(
        reverse("people:user_list"),
        {"q": "bulk0"},
        headers={"HX-Request": "true", "HX-Target": "results"},
    )
    html = partial.content.decode()
    assert "<html" not in html and "bulk05" in html


def test_administrator_creates_a_person_with_roles(client_for, admin_user, make_org):
    org = make_org("Retail Banking")
    response = client_for(admin_user).post(
        reverse("people:user_create"),
        {
            "username": "rita",
            "first_name": "Rita",
            "last_name": "Retail",
            "email": "rita@example.org",
            "password": "a-long-secret-9",
            "organization": org.pk,
            "time_zone": "Europe/Amsterdam",
            "language": "nl",
            "roles": ["requester"],
        },
    )
    assert response.status_code == 302
    rita = User.objects.get(username="rita")
    assert (rita.organization, rita.time_zone, rita.language) == (org, "Europe/Amsterdam", "nl")
    assert rita.roles == {"requester"}
    assert rita.check_password("a-long-secret-9")
    entry = JournalEntry.objects.for_record(rita).get(action="created")
    assert entry.actor == admin_user and entry.changes["roles"] == [None, ["requester"]]


def test_creating_a_person_shows_bad_input_beside_the_field(client_for, admin_user, agent):
    client = client_for(admin_user)
    response = client.post(
        reverse("people:user_create"),
        {"username": "bad name!", "time_zone": "UTC", "language": "en", "roles": ["agent"]},
    )
    assert response.status_code == 200
    assert "username" in response.context["form"].errors
    assert 'id="id_username_error"' in response.content.decode()
    taken = client.post(
        reverse("people:user_create"),
        {
            "username": "twin",
            "email": agent.email.upper(),
            "time_zone": "UTC",
            "language": "en",
            "roles": ["agent"],
        },
    )
    assert taken.context["form"].errors["email"] == ["another user already has this email address"]
    assert not User.objects.filter(username__in=["twin", "bad name!"]).exists()


def test_administrator_changes_roles_organization_and_deactivates(
    client_for, admin_user, agent, make_org
):
    org = make_org("Corporate")
    response = client_for(admin_user).post(
        reverse("people:user_edit", args=[agent.username]),
        edit_data(
            agent,
            roles=["agent", "group_manager"],
            organization=org.pk,
            time_zone="Asia/Tokyo",
            language="de",
            is_active="",
        ),
    )
    assert response.status_code == 302
    agent.refresh_from_db()
    agent._roles_cache = None
    assert agent.roles == {"agent", "group_manager"}
    assert (agent.organization, agent.time_zone, agent.language, agent.is_active) == (
        org,
        "Asia/Tokyo",
        "de",
        False,
    )
    entry = JournalEntry.objects.for_record(agent).filter(action="updated").last()
    assert entry.actor == admin_user
    assert entry.changes["is_active"] == [True, False]
    assert entry.changes["roles"] == [["agent"], ["agent", "group_manager"]]


def test_a_person_of_a_deactivated_organization_can_still_be_edited(
    client_for, admin_user, requester
):
    org = requester.organization
    people_ops.update_organization(None, org, version=org.version, is_active=False)
    client = client_for(admin_user)
    url = reverse("people:user_edit", args=[requester.username])
    choices = [
        c.instance for c, _ in client.get(url).context["form"].fields["organization"].choices if c
    ]
    assert choices == [org]
    response = client.post(url, edit_data(requester, phone="555-0199"))
    assert response.status_code == 302
    requester.refresh_from_db()
    assert (requester.phone, requester.organization) == ("555-0199", org)


def test_administrator_cannot_drop_their_own_admin_role(client_for, admin_user):
    response = client_for(admin_user).post(
        reverse("people:user_edit", args=[admin_user.username]),
        edit_data(admin_user, roles=["agent"]),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["roles"] == ["you cannot remove your own admin role"]
    assert 'id="id_roles_error"' in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.is_superuser


def test_a_stale_save_shows_who_changed_the_person_and_writes_nothing(
    client_for, admin_user, agent, make_user
):
    other_admin = make_user("anna", roles=[Role.ADMIN], first_name="Anna")
    client = client_for(admin_user)
    page = client.get(reverse("people:user_edit", args=[agent.username]))
    read = page.context["form"].initial
    people_ops.update_user(other_admin, agent, version=agent.version, job_title="Team lead")
    response = client.post(
        reverse("people:user_edit", args=[agent.username]),
        edit_data(agent, version=read["version"], seen=read["seen"], phone="555-0100"),
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Changed by Anna at" in html
    assert "Team lead" in html  # what Anna changed
    assert 'value="555-0100"' in html  # the person's input is kept
    agent.refresh_from_db()
    assert agent.phone == "" and agent.job_title == "Team lead"
    # The form now carries the current version: saving again is deliberate and succeeds.
    assert response.context["form"].data["version"] == str(agent.version)
    again = client.post(
        reverse("people:user_edit", args=[agent.username]),
        dict(response.context["form"].data.lists()),
    )
    assert again.status_code == 302
    agent.refresh_from_db()
    assert agent.phone == "555-0100"
    assert agent.job_title == "Team lead"  # a field the person never touched keeps Anna's value


def test_administrator_sets_a_password(client_for, admin_user, agent):
    url = reverse("people:user_password", args=[agent.username])
    weak = client_for(admin_user).post(url, {"password": "123"})
    assert weak.status_code == 200
    assert weak.context["password_form"].errors["password"]
    assert client_for(admin_user).post(url, {"password": "a-new-long-one-7"}).status_code == 302
    agent.refresh_from_db()
    assert agent.check_password("a-new-long-one-7")


def test_administrator_makes_a_token_for_someone_shown_once(client_for, admin_user, agent):
    client = client_for(admin_user)
    url = reverse("people:user_token_create", args=[agent.username])
    response = client.post(url, {"name": "monitoring", "scope": "read"})
    assert response.status_code == 201
    secret = response.context["created"]["secret"]
    assert secret in response.content.decode()
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    token = ApiToken.objects.get()
    assert token.user == agent and token.name == "monitoring"
    entry = JournalEntry.objects.for_record(agent).get(action="api_token_created")
    assert entry.actor == admin_user
    again = client.get(reverse("people:user_edit", args=[agent.username])).content.decode()
    assert secret not in again and token.prefix in again
    # The token works, as the agent.
    api = client_for(agent).__class__()
    me = api.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 200 and me.json()["username"] == "agent"


def test_token_form_errors_beside_the_field(client_for, admin_user, agent):
    response = client_for(admin_user).post(
        reverse("people:user_token_create", args=[agent.username]), {"name": "", "scope": "root"}
    )
    assert response.status_code == 200
    assert set(response.context["token_form"].errors) == {"name", "scope"}
    assert not ApiToken.objects.exists()


def test_administrator_revokes_someones_token(client_for, admin_user, agent):
    token, _ = people_ops.create_api_token(agent, agent, name="laptop")
    url = reverse("people:user_token_revoke", args=[agent.username, token.pk])
    assert client_for(agent).post(url).status_code == 404
    assert client_for(admin_user).post(url).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


# --- support groups --------------------------------------------------------------------------


def test_administrator_creates_a_group(client_for, admin_user, manager):
    response = client_for(admin_user).post(
        reverse("people:group_create"),
        {"name": "Database", "manager": manager.username, "email": "db@example.org"},
    )
    group = SupportGroup.objects.get(name="Database")
    assert response.status_code == 302 and response["Location"] == reverse(
        "people:group_detail", args=[group.pk]
    )
    assert group.manager == manager
    assert JournalEntry.objects.for_record(group).get(action="created").actor == admin_user


def test_group_form_errors_beside_the_field(client_for, admin_user, desk):
    client = client_for(admin_user)
    response = client.post(
        reverse("people:group_create"), {"name": "Service Desk", "manager": "nobody"}
    )
    form = response.context["form"]
    assert form.errors["manager"] == ["No one has this username or email address."]
    response = client.post(reverse("people:group_create"), {"name": "Service Desk"})
    assert "name" in response.context["form"].errors
    assert 'id="id_name_error"' in response.content.decode()
    assert SupportGroup.objects.count() == 1


def test_manager_changes_description_and_mailbox_but_not_name_or_manager(
    client_for, manager, desk, agent
):
    client = client_for(manager)
    page = client.get(reverse("people:group_edit", args=[desk.pk]))
    assert set(page.context["form"].fields) == {"description", "email", "version", "seen"}
    response = client.post(
        reverse("people:group_edit", args=[desk.pk]),
        {
            "description": "First line",
            "email": "help@example.org",
            "name": "Renamed",
            "manager": agent.username,
            "version": desk.version,
        },
    )
    assert response.status_code == 302
    desk.refresh_from_db()
    assert (desk.description, desk.email) == ("First line", "help@example.org")
    assert (desk.name, desk.manager) == ("Service Desk", manager)


def test_manager_cannot_rename_through_the_api_either(api_as, manager, desk):
    status, body = api_as(manager).patch(
        f"groups/{desk.pk}", {"version": desk.version, "name": "Renamed"}
    )
    assert status == 403
    assert body["error"]["fields"] == {"name": ["only administrators may change this"]}
    status, body = api_as(manager).patch(
        f"groups/{desk.pk}", {"version": desk.version, "description": "Ours"}
    )
    assert status == 200 and body["description"] == "Ours"


def test_manager_adds_and_removes_members(client_for, manager, desk, agent):
    client = client_for(manager)
    url = reverse("people:group_members", args=[desk.pk])
    assert client.post(url, {"member": agent.email, "version": desk.version}).status_code == 302
    assert set(desk.members.all()) == {manager, agent}
    desk.refresh_from_db()
    assert client.post(url, {"remove": agent.username, "version": desk.version}).status_code == 302
    assert set(desk.members.all()) == {manager}
    actions = list(JournalEntry.objects.for_record(desk).values_list("changes", flat=True))
    assert actions[-1]["members"] == [["agent", "mona"], ["mona"]]


def test_unknown_or_inactive_member_shown_beside_the_field(client_for, manager, desk, make_user):
    client = client_for(manager)
    url = reverse("people:group_members", args=[desk.pk])
    response = client.post(url, {"member": "ghost", "version": desk.version})
    assert response.status_code == 422
    assert response.context["member_form"].errors["member"] == [
        "No one has this username or email address."
    ]
    assert 'id="id_member_error"' in response.content.decode()
    idle = make_user("idle")
    people_ops.update_user(None, idle, version=idle.version, is_active=False)
    response = client.post(url, {"member": "idle", "version": desk.version})
    assert response.context["member_form"].errors["member"] == ["user 'idle' is inactive"]
    assert set(desk.members.all()) == {manager}


def test_a_stale_member_change_changes_nothing(client_for, manager, desk, agent, admin_user):
    stale = desk.version
    people_ops.update_group(admin_user, desk, version=desk.version, description="changed")
    response = client_for(manager).post(
        reverse("people:group_members", args=[desk.pk]),
        {"member": agent.username, "version": stale},
        follow=True,
    )
    assert "changed the group while you were looking at it" in response.content.decode()
    assert set(desk.members.all()) == {manager}


def test_another_groups_manager_cannot_change_members(client_for, network, desk, agent):
    response = client_for(network.manager).post(
        reverse("people:group_members", args=[desk.pk]),
        {"member": agent.username, "version": desk.version},
    )
    assert response.status_code == 403
    assert agent not in desk.members.all()


def test_group_edit_conflict_is_shown(client_for, admin_user, desk, make_user):
    anna = make_user("anna", roles=[Role.ADMIN], first_name="Anna")
    client = client_for(admin_user)
    read = client.get(reverse("people:group_edit", args=[desk.pk])).context["form"].initial
    people_ops.update_group(anna, desk, version=desk.version, email="new@example.org")
    response = client.post(
        reverse("people:group_edit", args=[desk.pk]),
        {**read, "manager": read["manager"], "is_active": "on", "description": "mine"},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Changed by Anna at" in html and "new@example.org" in html
    desk.refresh_from_db()
    assert desk.description == ""
    form = response.context["form"]
    assert form.data["email"] == "new@example.org"  # untouched by the person: Anna's value
    assert form.data["description"] == "mine"  # changed by the person: their input
    again = client.post(reverse("people:group_edit", args=[desk.pk]), dict(form.data.items()))
    assert again.status_code == 302
    desk.refresh_from_db()
    assert (desk.email, desk.description) == ("new@example.org", "mine")


def test_group_page_offers_edits_only_to_those_who_may(client_for, manager, agent, desk):
    url = reverse("people:group_detail", args=[desk.pk])
    mine = client_for(manager).get(url).content.decode()
    assert reverse("people:group_edit", args=[desk.pk]) in mine
    assert "Add member" in mine
    theirs = client_for(agent).get(url).content.decode()
    assert reverse("people:group_edit", args=[desk.pk]) not in theirs
    assert "Add member" not in theirs


# --- organizations and contacts ----------------------------------------------------------------


def test_organization_list_filters(client_for, agent, make_org):
    make_org("Retail Banking")
    gone = make_org("Old Insurance")
    people_ops.update_organization(None, gone, version=gone.version, is_active=False)
    client = client_for(agent)
    url = reverse("people:organization_list")
    names = [o.name for o in client.get(url, {"q": "bank"}).context["page_obj"]]
    assert names == ["Retail Banking"]
    names = [o.name for o in client.get(url, {"status": "inactive"}).context["page_obj"]]
    assert names == ["Old Insurance"]


def test_administrator_creates_and_edits_an_organization(client_for, admin_user):
    client = client_for(admin_user)
    response = client.post(
        reverse("people:organization_create"), {"name": "Retail", "code": "not a slug"}
    )
    assert "code" in response.context["form"].errors
    client.post(reverse("people:organization_create"), {"name": "Retail", "code": "retail"})
    org = Organization.objects.get(code="retail")
    response = client.post(
        reverse("people:organization_edit", args=[org.pk]),
        {"name": "Retail Banking", "code": "retail", "is_active": "on", "version": org.version},
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.name == "Retail Banking"
    assert JournalEntry.objects.for_record(org).filter(action="updated").get().actor == admin_user


def test_organization_stale_edit_is_shown(client_for, admin_user, make_org, make_user):
    anna = make_user("anna", roles=[Role.ADMIN], first_name="Anna")
    org = make_org("Retail", code="retail")
    client = client_for(admin_user)
    read = client.get(reverse("people:organization_edit", args=[org.pk])).context["form"].initial
    people_ops.update_organization(anna, org, version=org.version, description="Anna's words")
    response = client.post(
        reverse("people:organization_edit", args=[org.pk]),
        {**read, "name": "Mine", "is_active": "on"},
    )
    assert response.status_code == 409
    assert "Changed by Anna at" in response.content.decode()
    org.refresh_from_db()
    assert org.name == "Retail"


def test_contacts_are_added_changed_and_removed(client_for, admin_user, agent, make_org):
    org = make_org("Retail", code="retail")
    client = client_for(admin_user)
    add = reverse("people:contact_add", args=[org.pk])
    bad = client.post(add, {"name": "", "email": "not-an-address", "role": "primary"})
    assert bad.status_code == 422
    assert set(bad.context["contact_form"].errors) >= {"name", "email"}
    assert 'id="contact_email_error"' in bad.content.decode()
    client.post(
        add,
        {
            "name": "Carla",
            "email": "carla@retail.example",
            "role": "communications",
            "language": "nl",
        },
    )
    contact = OrganizationContact.objects.get()
    assert (contact.name, contact.role, contact.language) == ("Carla", "communications", "nl")
    twin = client.post(
        add, {"name": "C2", "email": "CARLA@retail.example", "role": "primary", "language": "en"}
    )
    assert twin.context["contact_form"].errors["email"] == [
        "this organization already has a contact with this email address"
    ]
    # IT staff read the contacts.
    assert (
        "carla@retail.example"
        in client_for(agent)
        .get(reverse("people:organization_detail", args=[org.pk]))
        .content.decode()
    )
    edit = reverse("people:contact_edit", args=[org.pk, contact.pk])
    response = client.post(
        edit,
        {
            "name": "Carla Jansen",
            "email": "carla@retail.example",
            "role": "escalation",
            "language": "nl",
            "version": contact.version,
        },
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.name, contact.role) == ("Carla Jansen", "escalation")
    remove = reverse("people:contact_remove", args=[org.pk, contact.pk])
    assert client.post(remove, {"version": contact.version}).status_code == 302
    assert not OrganizationContact.objects.exists()
    actions = list(JournalEntry.objects.for_record(org).values_list("action", flat=True))
    assert actions[-3:] == ["contact_added", "contact_updated", "contact_removed"]


def test_a_stale_contact_removal_removes_nothing(client_for, admin_user, make_org):
    org = make_org("Retail", code="retail")
    contact = people_ops.add_contact(None, org, name="Carla", email="carla@retail.example")
    stale = contact.version
    people_ops.update_contact(None, contact, version=contact.version, name="Carla J")
    response = client_for(admin_user).post(
        reverse("people:contact_remove", args=[org.pk, contact.pk]), {"version": stale}, follow=True
    )
    assert "was changed while you were looking" in response.content.decode()
    assert OrganizationContact.objects.filter(pk=contact.pk).exists()


# --- constant queries ----------------------------------------------------------------------------


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_admin_lists_run_a_constant_number_of_queries(
    client_for, admin_user, make_user, make_org, django_assert_max_num_queries
):
    client = client_for(admin_user)
    urls = [reverse("people:user_list"), reverse("people:organization_list")]

    def grow(n, start):
        for i in range(start, start + n):
            org = make_org(f"Customer {i:03}")
            make_user(f"person{i:03}", roles=[Role.REQUESTER], organization=org)
            people_ops.add_contact(None, org, name=f"Contact {i}", email=f"c{i}@example.org")

    grow(3, 0)
    few = {url: _queries(client, url) for url in urls}
    grow(20, 3)
    for url in urls:
        with django_assert_max_num_queries(few[url]):
            client.get(url)
