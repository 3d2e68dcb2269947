"""Who may read and write each endpoint, and that nobody reads rows their role does not allow."""

from __future__ import annotations

import pytest

from steward.core.models import JournalEntry

pytestmark = pytest.mark.django_db

READERS = ["admin", "agent", "requester", "outsider"]


def ids(body):
    return {row["id"] for row in body["items"]}


@pytest.mark.parametrize("who", READERS)
def test_user_list_shows_it_staff_everyone_and_requesters_only_their_organization(
    world, api_as, who
):
    person = world["people"][who]
    status, body = api_as(person, "read").get("users", limit=200)
    assert status == 200
    usernames = {row["username"] for row in body["items"]}
    if who in {"admin", "agent"}:
        assert {"root", "agent", "req", "neighbour", "outsider", "owner"} <= usernames
    elif who == "requester":
        assert usernames == {"req", "neighbour"}
    else:
        assert usernames == {"outsider"}
    assert body["count"] == len(usernames)


@pytest.mark.parametrize(
    "who,expected", [("admin", 200), ("agent", 200), ("requester", 200), ("outsider", 404)]
)
def test_reading_one_user_of_another_organization_is_404_like_a_missing_one(
    world, api_as, who, expected
):
    target = world["people"]["neighbour"]
    client = api_as(world["people"][who], "read")
    status, body = client.get(f"users/{target.pk}")
    assert status == expected
    if expected == 404:
        missing_status, missing = client.get("users/999999")
        assert missing_status == 404
        assert body["error"]["code"] == missing["error"]["code"] == "not_found"


@pytest.mark.parametrize("who,expected", [("admin", 201), ("agent", 403), ("requester", 403)])
def test_only_admins_create_users(world, api_as, who, expected):
    status, body = api_as(world["people"][who]).post(
        "users", {"username": "newbie", "first_name": "New", "roles": ["agent"]}
    )
    assert status == expected
    from steward.people.models import User

    assert User.objects.filter(username="newbie").exists() == (expected == 201)
    if expected == 403:
        assert body["error"]["code"] == "forbidden"


def test_anonymous_requests_get_401_in_the_error_shape(world, api_as):
    for path in ("me", "users", "groups", "organizations", "services"):
        status, body = api_as(None).get(path)
        assert status == 401, path
        assert body["error"]["code"] == "not_authenticated"


def test_a_user_changes_their_own_profile_but_not_their_roles_or_someone_elses_email(world, api_as):
    me = world["people"]["requester"]
    client = api_as(me)
    status, body = client.patch(
        f"users/{me.pk}", {"version": me.version, "time_zone": "Europe/Amsterdam", "language": "nl"}
    )
    assert status == 200, body
    assert body["time_zone"] == "Europe/Amsterdam" and body["language"] == "nl"
    status, body = client.patch(f"users/{me.pk}", {"version": body["version"], "roles": ["admin"]})
    assert status == 403
    assert "roles" in body["error"]["fields"]
    neighbour = world["people"]["neighbour"]
    status, body = client.patch(
        f"users/{neighbour.pk}", {"version": neighbour.version, "email": "mine@evil.test"}
    )
    assert status == 403
    neighbour.refresh_from_db()
    assert neighbour.email == "neighbour@example.org"
    me.refresh_from_db()
    assert me.roles == {"requester"} and not me.is_staff and not me.is_superuser


def test_an_agent_cannot_make_themself_admin_or_staff(world, api_as):
    agent = world["people"]["agent"]
    status, body = api_as(agent).patch(
        f"users/{agent.pk}", {"version": agent.version, "roles": ["admin"]}
    )
    assert status == 403
    status, body = api_as(agent).patch(
        f"users/{agent.pk}", {"version": agent.version, "is_staff": True}
    )
    assert status == 422 and body["error"]["fields"] == {"is_staff": ["unknown field"]}
    agent.refresh_from_db()
    assert not agent.is_staff and "admin" not in agent.roles


def test_admin_grants_the_admin_role_which_sets_the_staff_flags(world, api_as):
    agent = world["people"]["agent"]
    status, body = api_as(world["people"]["admin"]).patch(
        f"users/{agent.pk}", {"version": agent.version, "roles": ["agent", "admin"]}
    )
    assert status == 200
    assert body["roles"] == ["admin", "agent"]
    agent.refresh_from_db()
    assert agent.is_staff and agent.is_superuser
    entry = JournalEntry.objects.for_record(agent).last()
    assert entry.changes["roles"] == [["agent"], ["admin", "agent"]]


@pytest.mark.parametrize("who", READERS)
def test_groups_are_for_it_staff_only(world, api_as, who):
    client = api_as(world["people"][who], "read")
    status, body = client.get("groups")
    assert status == 200
    group_id = world["group"].pk
    detail_status, detail = client.get(f"groups/{group_id}")
    if who in {"admin", "agent"}:
        assert ids(body) == {group_id}
        assert detail_status == 200
        assert detail["manager"]["username"] == "agent"
        assert {m["username"] for m in detail["members"]} == {"agent", "owner"}
        assert set(detail["members"][0]) == {"id", "username", "name"}
    else:
        assert body["items"] == [] and body["count"] == 0
        assert detail_status == 404


@pytest.mark.parametrize("who,expected", [("admin", 201), ("agent", 403), ("requester", 403)])
def test_only_admins_create_groups(world, api_as, who, expected):
    status, _ = api_as(world["people"][who]).post("groups", {"name": "Database"})
    assert status == expected


def test_users_filter_by_group_in_sql(world, api_as, django_assert_max_num_queries):
    client = api_as(world["people"]["agent"], "read")
    status, body = client.get("users", group=world["group"].pk)
    assert status == 200
    assert {r["username"] for r in body["items"]} == {"agent", "owner"}


@pytest.mark.parametrize(
    "who,visible",
    [
        ("admin", {"retail", "corporate"}),
        ("agent", {"retail", "corporate"}),
        ("requester", {"retail"}),
        ("outsider", {"corporate"}),
    ],
)
def test_organizations_visible_by_role(world, api_as, who, visible):
    status, body = api_as(world["people"][who], "read").get("organizations")
    assert status == 200
    assert {r["code"] for r in body["items"]} == visible


@pytest.mark.parametrize("who,expected", [("admin", 201), ("agent", 403), ("requester", 403)])
def test_only_admins_create_organizations(world, api_as, who, expected):
    status, _ = api_as(world["people"][who]).post(
        "organizations", {"name": "Insurance", "code": "ins"}
    )
    assert status == expected


@pytest.mark.parametrize(
    "who,visible",
    [
        ("admin", {"retail_live", "retail_pipeline", "corporate_live"}),
        ("agent", {"retail_live", "retail_pipeline", "corporate_live"}),
        ("requester", {"retail_live"}),
        ("outsider", {"corporate_live"}),
    ],
)
def test_services_visible_by_role(world, api_as, who, visible):
    client = api_as(world["people"][who], "read")
    status, body = client.get("services")
    assert status == 200
    expected_ids = {world["services"][k].pk for k in visible}
    assert ids(body) == expected_ids
    for key, service in world["services"].items():
        status, _ = client.get(f"services/{service.pk}")
        assert status == (200 if key in visible else 404), key


@pytest.mark.parametrize(
    "who,expected", [("admin", 200), ("agent", 403), ("requester", 404), ("outsider", 404)]
)
def test_only_admins_change_services(world, api_as, who, expected):
    service = world["services"]["retail_pipeline"]
    status, _ = api_as(world["people"][who]).patch(
        f"services/{service.pk}", {"version": service.version, "status": "live"}
    )
    assert status == expected
    service.refresh_from_db()
    assert service.status == ("live" if expected == 200 else "pipeline")


def test_me_describes_the_caller(world, api_as):
    status, body = api_as(world["people"]["agent"], "read").get("me")
    assert status == 200
    assert body["username"] == "agent" and body["is_it"] and not body["is_admin"]
    assert body["groups"] == [{"id": world["group"].pk, "name": "Network"}]
