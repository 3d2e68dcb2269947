"""The practice switch: administrators switch practices on and off through the API and the
Practices page; a practice that is off disappears (menu, start page, search, gaps, detail
panels) and its pages and API answer 404, and switching it on brings everything back."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from steward.core import demo as core_demo
from steward.core import operations as core_ops
from steward.core import practices
from steward.core.errors import PermissionDenied
from steward.core.models import JournalEntry, PracticeState
from steward.incidents import operations as incident_ops
from steward.ownership import gaps
from steward.ownership import operations as ownership_ops
from steward.ownership.models import Process
from steward.people import operations as people_ops
from steward.people.choices import Role
from steward.slm import operations as slm_ops

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("only_incidents_and_service_levels_on_by_default"),
]


@pytest.fixture
def people(world):
    return world["people"]


@pytest.fixture
def admin_api(people, api_as):
    return api_as(people["admin"])


@pytest.fixture
def incident(world):
    """An open incident "Printer on fire" raised by the agent, in the agent's group."""
    agent = world["people"]["agent"]
    people_ops.create_group(None, name="Service Desk", manager=agent, members=[agent])
    return incident_ops.open_incident(
        agent,
        title="Printer on fire",
        caller=world["people"]["requester"],
        impact=2,
        urgency=2,
        service=world["services"]["retail_live"],
    )


def switch(key, enabled, actor=None):
    return core_ops.set_practice_enabled(actor, key, enabled)


def by_key(body) -> dict:
    return {item["key"]: item for item in body["items"]}


def assert_error(body, code, field=None):
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == code
    if field is not None:
        assert field in body["error"]["fields"], body
        assert body["error"]["fields"][field]


# --- a new installation -------------------------------------------------------------------------


def test_a_new_installation_has_incidents_and_service_levels_on_and_the_platform(admin_api):
    status, body = admin_api.get("practices")

    assert status == 200
    items = by_key(body)
    assert body["count"] == len(items)
    assert {"core", "people", "notifications", "services", "ownership"} <= set(items)
    assert items["incidents"]["enabled"] is True
    assert items["service_levels"]["enabled"] is True
    assert all(items[k]["enabled"] and not items[k]["switchable"] for k in ("people", "services"))
    assert items["incidents"]["depends_on"] == ["service_levels"]
    assert items["service_levels"]["needed_by"] == ["incidents"]
    assert items["incidents"]["name"] == "Incidents"
    assert items["incidents"]["brings"]
    assert not PracticeState.objects.exists()  # defaults, nothing stored yet


def test_the_process_owner_is_the_owner_of_the_practices_process(admin_api, people, make_user):
    assert by_key(admin_api.get("practices")[1])["incidents"]["process_owner"] is None

    owner = make_user("powner", roles=[Role.AGENT, Role.PROCESS_OWNER], last_name="Owner")
    process = Process.objects.get(key="incident")
    ownership_ops.update_process(people["admin"], process, version=process.version, owner=owner)

    items = by_key(admin_api.get("practices")[1])
    assert items["incidents"]["process_owner"] == {
        "id": owner.pk,
        "username": "powner",
        "name": owner.display_name,
    }
    assert items["incidents"]["process"]["key"] == "incident"
    assert items["service_levels"]["process_owner"] is None
    assert items["people"]["process"] is None


# --- switching through the API ------------------------------------------------------------------


def test_an_administrator_switches_a_practice_off_and_on_and_each_switch_is_journaled(
    admin_api, people
):
    status, body = admin_api.put("practices/incidents", {"enabled": False})

    assert status == 200
    assert body["key"] == "incidents" and body["enabled"] is False
    assert by_key(admin_api.get("practices")[1])["incidents"]["enabled"] is False
    (entry,) = JournalEntry.objects.filter(record_type="core.practicestate")
    assert entry.actor == people["admin"]
    assert entry.action == "practice_switched_off"
    assert entry.changes == {"enabled": [True, False]}
    assert entry.record_label == "Incidents"

    status, body = admin_api.put("practices/incidents", {"enabled": False})
    assert status == 200 and body["enabled"] is False
    assert JournalEntry.objects.filter(record_type="core.practicestate").count() == 1

    status, body = admin_api.put("practices/incidents", {"enabled": True})
    assert status == 200 and body["enabled"] is True
    assert list(
        JournalEntry.objects.filter(record_type="core.practicestate").values_list(
            "action", flat=True
        )
    ) == ["practice_switched_off", "practice_switched_on"]


def test_only_administrators_switch_and_requesters_cannot_read_the_list(people, api_as):
    agent, requester = api_as(people["agent"]), api_as(people["requester"])

    status, body = agent.put("practices/incidents", {"enabled": False})
    assert status == 403
    assert_error(body, "forbidden")
    assert "administrators" in body["error"]["message"]
    assert agent.get("practices")[0] == 200
    status, body = requester.get("practices")
    assert status == 403
    assert_error(body, "forbidden")
    assert requester.put("practices/incidents", {"enabled": False})[0] == 403
    read_only = api_as(people["admin"], scope="read")
    assert read_only.put("practices/incidents", {"enabled": False})[0] == 403
    assert api_as(None).get("practices")[0] == 401
    assert practices.is_enabled("incidents")
    assert not JournalEntry.objects.filter(record_type="core.practicestate").exists()


def test_the_operation_refuses_non_administrators(people):
    with pytest.raises(PermissionDenied):
        switch("incidents", False, actor=people["agent"])
    assert practices.is_enabled("incidents")


@pytest.mark.parametrize(
    "path,body,field",
    [
        ("practices/incidents", {"enabled": "no"}, "enabled"),
        ("practices/incidents", {"enabled": 0}, "enabled"),
        ("practices/incidents", {"enabled": None}, "enabled"),
        ("practices/incidents", {}, "enabled"),
        ("practices/incidents", {"enabled": False, "colour": "red"}, "colour"),
        ("practices/Not%20a%20key", {"enabled": False}, "key"),
        ("practices/" + "x" * 41, {"enabled": False}, "key"),
    ],
)
def test_bad_input_to_the_switch_is_a_422_naming_the_field_and_changes_nothing(
    admin_api, path, body, field
):
    status, answer = admin_api.put(path, body)

    assert status == 422
    assert_error(answer, "invalid", field)
    assert practices.is_enabled("incidents")
    assert not PracticeState.objects.exists()


@pytest.mark.parametrize("params,field", [({"limit": 0}, "limit"), ({"offset": -1}, "offset")])
def test_bad_paging_of_the_list_is_a_422_naming_the_parameter(admin_api, params, field):
    status, body = admin_api.get("practices", **params)
    assert status == 422
    assert_error(body, "invalid", field)


def test_an_unknown_practice_is_a_404_and_the_platform_cannot_be_switched_off(admin_api):
    status, body = admin_api.put("practices/problems_of_tomorrow", {"enabled": True})
    assert status == 404
    assert_error(body, "not_found")
    assert "problems_of_tomorrow" in body["error"]["message"]

    status, body = admin_api.put("practices/people", {"enabled": False})
    assert status == 409
    assert_error(body, "conflict", "enabled")
    assert "always on" in body["error"]["message"]


def test_the_list_pages_like_every_list(admin_api):
    everything = admin_api.get("practices")[1]
    status, page = admin_api.get("practices", limit=2, offset=1)
    assert status == 200
    assert page["count"] == everything["count"] and page["limit"] == 2 and page["offset"] == 1
    assert [i["key"] for i in page["items"]] == [i["key"] for i in everything["items"][1:3]]


# --- dependencies -------------------------------------------------------------------------------


def test_service_levels_cannot_go_off_while_incidents_need_them(admin_api):
    status, body = admin_api.put("practices/service_levels", {"enabled": False})

    assert status == 409
    assert_error(body, "practice_dependency", "enabled")
    assert "Incidents" in body["error"]["message"]
    assert practices.is_enabled("service_levels")

    assert admin_api.put("practices/incidents", {"enabled": False})[0] == 200
    status, body = admin_api.put("practices/service_levels", {"enabled": False})
    assert status == 200 and body["enabled"] is False


def test_incidents_cannot_come_on_without_service_levels(admin_api):
    switch("incidents", False)
    switch("service_levels", False)

    status, body = admin_api.put("practices/incidents", {"enabled": True})

    assert status == 409
    assert_error(body, "practice_dependency", "enabled")
    assert "Service levels" in body["error"]["message"]
    assert not practices.is_enabled("incidents")
    assert admin_api.put("practices/service_levels", {"enabled": True})[0] == 200
    assert admin_api.put("practices/incidents", {"enabled": True})[0] == 200


# --- the gate on the API ------------------------------------------------------------------------


def test_a_switched_off_practice_api_answers_404_practice_off_and_comes_back(
    admin_api, people, api_as, incident
):
    agent = api_as(people["agent"])
    assert agent.get("incidents")[0] == 200
    switch("incidents", False)

    for method, path, body in [
        ("get", "incidents", None),
        ("get", f"incidents/{incident.number}", None),
        ("post", "incidents", {"title": "x"}),
        ("post", f"incidents/{incident.number}/comments", {"body": "hello"}),
    ]:
        status, answer = getattr(agent, method)(path, body) if body is not None else agent.get(path)
        assert status == 404, (method, path)
        assert_error(answer, "practice_off")
        assert answer["error"]["fields"] == {}
        assert "Incidents" in answer["error"]["message"]
    assert agent.get("services")[0] == 200  # the platform is untouched
    assert agent.get("sla-definitions")[0] == 200  # service levels are still on

    switch("service_levels", False)
    status, answer = admin_api.get("sla-definitions")
    assert status == 404
    assert_error(answer, "practice_off")
    assert "Service levels" in answer["error"]["message"]

    switch("service_levels", True)
    switch("incidents", True)
    status, body = agent.get(f"incidents/{incident.number}")
    assert status == 200 and body["title"] == "Printer on fire"


# --- the pages ----------------------------------------------------------------------------------


def nav_labels(response) -> list[str]:
    return [str(e["label"]) for e in response.context["nav_entries"]]


def test_the_practices_page_says_what_each_practice_does_and_who_owns_it(
    client_for, people, make_user
):
    owner = make_user("powner", roles=[Role.AGENT, Role.PROCESS_OWNER], last_name="Owner")
    process = Process.objects.get(key="incident")
    ownership_ops.update_process(None, process, version=process.version, owner=owner)

    response = client_for(people["admin"]).get("/practices/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Practices" in nav_labels(response)
    for text in [
        "Incidents",
        "Service levels",
        "Handovers between groups",  # what switching it on brings
        owner.display_name,
        "Switch off Incidents",
        "Needs",
        "Platform (always on)",
        "People and groups",
    ]:
        assert text in html, text
    assert 'name="csrfmiddlewaretoken"' in html
    assert "<script>" not in html


def test_the_practices_page_and_its_menu_entry_are_for_administrators_only(client_for, people):
    agent = client_for(people["agent"])
    assert agent.get("/practices/").status_code == 404
    assert agent.post("/practices/incidents/", {"enabled": "off"}).status_code == 404
    assert "Practices" not in nav_labels(agent.get("/"))
    assert practices.is_enabled("incidents")


def test_switching_incidents_off_hides_its_pages_menu_panels_and_search_until_switched_on(
    client_for, people, incident
):
    admin, agent = client_for(people["admin"]), client_for(people["agent"])
    home = agent.get("/")
    assert "Incidents" in nav_labels(home)
    assert "My work" in home.content.decode()
    assert "Printer on fire" in agent.get("/search", {"q": "Printer"}).content.decode()

    response = admin.post("/practices/incidents/", {"enabled": "off"}, follow=True)

    assert response.status_code == 200
    assert "Incidents is switched off" in response.content.decode()
    assert not practices.is_enabled("incidents")
    for url in ["/incidents/", "/incidents/new/", f"/incidents/{incident.number}/"]:
        assert agent.get(url).status_code == 404, url
    home = agent.get("/")
    assert "Incidents" not in nav_labels(home)
    assert "My work" not in home.content.decode()
    assert "Printer on fire" not in agent.get("/search", {"q": "Printer"}).content.decode()
    assert agent.get("/services/").status_code == 200

    admin.post("/practices/incidents/", {"enabled": "on"})

    assert agent.get(f"/incidents/{incident.number}/").status_code == 200
    home = agent.get("/")
    assert "Incidents" in nav_labels(home)
    assert "Printer on fire" in home.content.decode()
    assert "Printer on fire" in agent.get("/search", {"q": "Printer"}).content.decode()


def test_switching_service_levels_off_hides_its_report_panel_and_gaps(
    client_for, people, world, admin_user
):
    slm_ops.create_definition(admin_user, name="Gold", resolution_seconds=3600)
    admin = client_for(people["admin"])
    service = world["services"]["retail_live"]
    assert "Gold" in admin.get(f"/services/{service.pk}/").content.decode()
    assert "sla_not_signed_off" in {g["kind"] for g in gaps.collect()}
    assert "SLAs not signed off" in admin.get("/ownership/gaps/").content.decode()

    admin.post("/practices/incidents/", {"enabled": "off"})
    admin.post("/practices/service_levels/", {"enabled": "off"})

    assert admin.get("/service-levels/compliance/").status_code == 404
    assert "Service levels" not in nav_labels(admin.get("/"))
    assert "Gold" not in admin.get(f"/services/{service.pk}/").content.decode()
    assert "sla_not_signed_off" not in {g["kind"] for g in gaps.collect()}
    assert "handover_overdue" not in {k["kind"] for k in gaps.kinds()}
    assert "SLAs not signed off" not in admin.get("/ownership/gaps/").content.decode()

    admin.post("/practices/service_levels/", {"enabled": "on"})

    assert admin.get("/service-levels/compliance/").status_code == 200
    assert "Gold" in admin.get(f"/services/{service.pk}/").content.decode()
    assert "sla_not_signed_off" in {g["kind"] for g in gaps.collect()}


def test_the_page_refuses_a_switch_that_breaks_a_dependency_and_says_why(client_for, people):
    response = client_for(people["admin"]).post(
        "/practices/service_levels/", {"enabled": "off"}, follow=True
    )

    html = response.content.decode()
    assert "Incidents needs Service levels" in html
    assert practices.is_enabled("service_levels")


def test_the_page_refuses_an_unclear_switch(client_for, people):
    admin = client_for(people["admin"])
    response = admin.post("/practices/incidents/", {"enabled": "maybe"}, follow=True)
    assert "Choose on or off." in response.content.decode()
    assert practices.is_enabled("incidents")
    assert admin.post("/practices/nothing_here/", {"enabled": "on"}).status_code == 404
    assert admin.get("/practices/incidents/").status_code == 405


def test_the_switches_are_read_once_per_request(client_for, people):
    switch("incidents", False)
    agent = client_for(people["agent"])

    with CaptureQueriesContext(connection) as ctx:
        assert agent.get("/").status_code == 200
    reads = [q["sql"] for q in ctx.captured_queries if "core_practicestate" in q["sql"]]
    assert len(reads) == 1


# --- the demo -----------------------------------------------------------------------------------


def test_the_demo_switches_every_practice_on_in_dependency_order():
    switch("incidents", False)
    switch("service_levels", False)

    out = io.StringIO()
    core_demo.load(out, quiet=True)  # ``make run`` restarting: switches stored, left alone
    assert not practices.is_enabled("service_levels")

    core_demo.load(out)  # ``make demo``: everything on

    assert practices.is_enabled("service_levels") and practices.is_enabled("incidents")
    assert "Switched on the practice Incidents." in out.getvalue()


def test_a_practice_declared_later_starts_off_and_is_listed(monkeypatch, admin_api):
    # a key no app has: the cache of practices by app may outlive the monkeypatch
    monkeypatch.setitem(
        practices._practices,
        "capacity",
        practices.Practice(key="capacity", name="Capacity", depends_on=["incidents"]),
    )
    practices._by_app.cache_clear()

    assert not practices.is_enabled("capacity")
    assert by_key(admin_api.get("practices")[1])["capacity"]["enabled"] is False
    status, body = admin_api.put("practices/capacity", {"enabled": True})
    assert status == 200 and body["enabled"] is True
    status, body = admin_api.put("practices/incidents", {"enabled": False})
    assert status == 409 and "Capacity" in body["error"]["message"]
    practices._by_app.cache_clear()


def test_the_background_jobs_of_a_switched_off_practice_sleep(monkeypatch):
    from steward.incidents import jobs as incident_jobs
    from steward.slm import jobs as slm_jobs

    calls = []
    monkeypatch.setattr(slm_jobs, "check_clocks", lambda: calls.append("slm") or 1)
    monkeypatch.setattr(
        incident_jobs.ops, "notify_overdue_handovers", lambda: calls.append("inc") or 1
    )
    assert slm_jobs.check_sla_clocks.call_local() == 1
    assert incident_jobs.notify_overdue_handovers.call_local() == 1

    switch("incidents", False)
    switch("service_levels", False)

    assert slm_jobs.check_sla_clocks.call_local() == 0
    assert incident_jobs.notify_overdue_handovers.call_local() == 0
    assert calls == ["slm", "inc"]
