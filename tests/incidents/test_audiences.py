"""The visibility contract of incidents: for each role (the caller, a colleague of the same
organization, an agent, an administrator) and each surface (API detail and list, CSV export,
search hit, list and detail pages, SLA clocks, timeline, messages to the caller), the fields
shown are the audience's declared set (``steward/incidents/audiences.py``); and internal text
seeded into an incident never reaches a requester, byte for byte."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse

from steward.incidents import audiences
from steward.incidents import operations as ops
from steward.incidents.audiences import REQUESTER, STAFF
from steward.incidents.registrations import search_incidents
from steward.incidents.schemas import IncidentOut, RequesterIncidentOut
from steward.notifications.models import Notification, OutboundEmail
from steward.people import operations as people_ops
from steward.slm import operations as slm

pytestmark = pytest.mark.django_db

HANDOVER_REASON = "Zq7HandoverReasonInternal"
HANDOVER_NOTE = "Zq7AlreadyTriedRebootingTheCore"
WORK_NOTE = "Zq7WorkNoteSuspectTheLoadBalancer"
OVERRIDE_REASON = "Zq7OverrideBecauseTheCfoCalled"
ASSIGNEE_FIRST, ASSIGNEE_LAST, ASSIGNEE_USERNAME = "Quillon", "Zq7Hushwood", "zq7assignee"
GROUP_NAME = "Zq7 Tiger Team"
OLA_REASON = "handover to Database waiting"
#: Internal text that must never reach a requester, on any surface.
SECRETS = (
    HANDOVER_REASON,
    HANDOVER_NOTE,
    WORK_NOTE,
    OVERRIDE_REASON,
    ASSIGNEE_FIRST,
    ASSIGNEE_LAST,
    ASSIGNEE_USERNAME,
    GROUP_NAME,
    OLA_REASON,
)
ROLES = {"caller": REQUESTER, "colleague": REQUESTER, "agent": STAFF, "admin": STAFF}


def _user(desk, role):
    people = desk["people"]
    return {
        "caller": people["requester"],
        "colleague": people["neighbour"],
        "agent": people["agent"],
        "admin": people["admin"],
    }[role]


@pytest.fixture
def scene(desk, open_one, make_user):
    """An incident with everything internal an incident can carry: an owning group and an
    assignee, a priority override with its reason, a work note, a pending handover with its
    reason and note, OLA clocks; and the public side: a reply, SLA clocks."""
    agent, admin = desk["people"]["agent"], desk["people"]["admin"]
    quiet = make_user(ASSIGNEE_USERNAME, first_name=ASSIGNEE_FIRST, last_name=ASSIGNEE_LAST)
    tiger = people_ops.create_group(None, name=GROUP_NAME, manager=agent, members=[agent, quiet])
    slm.create_definition(
        admin, name="Standard", priority="", response_seconds=3600, resolution_seconds=28800
    )
    for group in (tiger, desk["groups"]["database"]):
        slm.set_ola(admin, group, handover_acceptance_seconds=1800, time_with_group_seconds=7200)
    incident = open_one(title="Printer offline", description="It blinks", owning_group=tiger)
    ops.assign(agent, incident, quiet)
    incident.refresh_from_db()
    ops.update_incident(
        agent, incident, version=incident.version, priority=1, priority_reason=OVERRIDE_REASON
    )
    ops.add_comment(agent, incident, body=WORK_NOTE, time_spent=5)
    ops.add_comment(agent, incident, body="We are on it", visibility="public")
    ops.transition(agent, incident, "in_progress")
    ops.hand_over(
        agent,
        incident,
        to_group=desk["groups"]["database"],
        reason=HANDOVER_REASON,
        note=HANDOVER_NOTE,
    )
    incident.refresh_from_db()
    return incident


def _fields_in_html(html: str) -> set[str]:
    return {f for value in re.findall(r'data-field="([^"]+)"', html) for f in value.split()}


def _no_secrets(raw: bytes | str, where: str) -> None:
    text = raw.decode() if isinstance(raw, bytes) else raw
    leaked = [s for s in SECRETS if s.lower() in text.lower()]
    assert not leaked, f"{where} shows a requester {leaked}"


# --- the declarations ---------------------------------------------------------------------------


def test_the_staff_schema_is_the_declared_staff_field_set():
    assert tuple(IncidentOut.model_fields) == audiences.STAFF_FIELDS


def test_every_staff_field_is_classified_for_requesters():
    """A field added to the staff schema fails here until someone puts it in REQUESTER_FIELDS
    (shown to requesters, in RequesterIncidentOut and its serializer) or REQUESTER_HIDDEN."""
    staff = set(IncidentOut.model_fields)
    shown, hidden = set(audiences.REQUESTER_FIELDS), set(audiences.REQUESTER_HIDDEN)
    unclassified = staff - shown - hidden
    assert not unclassified, f"classify for requesters (audiences.py): {sorted(unclassified)}"
    assert not shown & hidden
    assert shown | hidden == staff
    assert all(audiences.REQUESTER_HIDDEN.values())  # each with its reason


def test_the_requester_schema_is_the_declared_requester_field_set():
    assert tuple(RequesterIncidentOut.model_fields) == audiences.REQUESTER_FIELDS
    # it refuses what it does not declare: a staff answer can never pass for it
    assert RequesterIncidentOut.model_config.get("extra") == "forbid"


@pytest.mark.parametrize("audience", audiences.AUDIENCES)
def test_each_surface_shows_only_fields_of_its_audience(audience):
    allowed = set(audiences.STAFF_FIELDS if audience == STAFF else audiences.REQUESTER_FIELDS)
    assert audiences.PAGE_FIELDS[audience] <= allowed
    assert set(audiences.LIST_FIELDS[audience]) <= allowed
    assert set(audiences.CSV_COLUMNS[audience].values()) <= allowed
    assert set(audiences.SEARCH_FIELDS[audience]) <= allowed
    assert set(audiences.CALLER_MESSAGE_FIELDS) <= set(audiences.REQUESTER_FIELDS)


def test_the_openapi_document_describes_both_audiences():
    from steward.api import api

    doc = api.get_openapi_schema(path_prefix="/api/v1")
    for path, method, status in (
        ("/api/v1/incidents/{number}", "get", "200"),
        ("/api/v1/incidents/{number}", "patch", "200"),
        ("/api/v1/incidents", "post", "201"),
        ("/api/v1/incidents/{number}/transitions", "post", "200"),
    ):
        schema = str(doc["paths"][path][method]["responses"][int(status)])
        assert "IncidentOut" in schema and "RequesterIncidentOut" in schema, (path, method)
    page = str(doc["components"]["schemas"]["IncidentPage"])
    assert "IncidentOut" in page and "RequesterIncidentOut" in page
    requester = doc["components"]["schemas"]["RequesterIncidentOut"]
    assert set(requester["properties"]) == set(audiences.REQUESTER_FIELDS)
    assert requester.get("additionalProperties") is False


# --- every surface, every role ------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_api_detail_and_list_show_the_audience_schema(desk, scene, api_as, role):
    audience = ROLES[role]
    declared = set(audiences.STAFF_FIELDS if audience == STAFF else audiences.REQUESTER_FIELDS)
    client = api_as(_user(desk, role))
    status, detail = client.get(f"incidents/{scene.number}")
    assert status == 200 and set(detail) == declared
    status, page = client.get("incidents")
    (item,) = [i for i in page["items"] if i["number"] == scene.number]
    assert set(item) == declared and item == detail
    if audience == REQUESTER:
        assert detail["priority"] == 1 and detail["caller"]["username"] == "req"


@pytest.mark.parametrize("role", ROLES)
def test_csv_columns_are_the_audience_columns(desk, scene, client_for, role):
    audience = ROLES[role]
    response = client_for(_user(desk, role)).get("/incidents/export.csv?queue=all")
    body = b"".join(response.streaming_content).decode()
    header, *rows = list(csv.reader(io.StringIO(body)))
    assert header == list(audiences.CSV_COLUMNS[audience])
    (row,) = [r for r in rows if r[0] == scene.number]
    assert len(row) == len(header)


@pytest.mark.parametrize("role", ROLES)
def test_search_hits_show_the_audience_fields(desk, scene, client_for, role):
    audience = ROLES[role]
    user = _user(desk, role)
    (hit,) = search_incidents(user, "printer", 10)
    assert hit.title == f"{scene.number} Printer offline"
    parts = hit.summary.split(" · ")
    shown = [f for f in audiences.SEARCH_FIELDS[audience] if f not in ("number", "title")]
    assert len(parts) == len(shown)
    assert parts[:2] == ["P1", "In progress"]
    assert (GROUP_NAME in parts) == (audience == STAFF)
    page = client_for(user).get(reverse("core:search"), {"q": "printer"})
    assert page.status_code == 200 and scene.number in page.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_the_pages_show_the_audience_fields(desk, scene, client_for, role):
    audience = ROLES[role]
    client = client_for(_user(desk, role))
    detail = client.get(f"/incidents/{scene.number}/").content.decode()
    shown = _fields_in_html(detail)
    assert shown <= audiences.PAGE_FIELDS[audience]
    # in progress, overridden, assigned, handover pending: all but a hold, a resolution, a
    # reopen, a parent and the major badge are on the page now
    later = {
        "hold_reason",
        "resolution_code",
        "resolution_notes",
        "reopen_count",
        "parent",
        "is_major",
    }
    assert shown == audiences.PAGE_FIELDS[audience] - later
    listing = client.get("/incidents/?queue=all").content.decode()
    assert scene.number in listing
    assert _fields_in_html(listing) == set(audiences.LIST_FIELDS[audience])


@pytest.mark.parametrize("role", ["caller", "agent"])
def test_the_rest_of_the_detail_page_appears_once_the_incident_gets_there(
    desk, scene, client_for, role
):
    """Major, held, then resolved after a reopen: the fields that only a state shows."""
    audience = ROLES[role]
    dba = desk["dba"]
    ops.declare_major(desk["dbmanager"], scene, reason="Zq7 big", manager=desk["dbmanager"])
    ops.accept_handover(dba, scene.handovers.get(), take_assignment=True)
    scene.refresh_from_db()
    ops.transition(dba, scene, "on_hold", hold_reason="awaiting_caller")
    client = client_for(_user(desk, role))
    held = _fields_in_html(client.get(f"/incidents/{scene.number}/").content.decode())
    assert "hold_reason" in held and held <= audiences.PAGE_FIELDS[audience]
    assert ("is_major" in held) == (audience == STAFF)
    ops.transition(dba, scene, "in_progress")
    ops.transition(dba, scene, "resolved", resolution_code="solved", resolution_notes="Fixed")
    ops.transition(desk["people"]["requester"], scene, "in_progress")
    ops.transition(dba, scene, "resolved", resolution_code="solved", resolution_notes="Again")
    resolved = _fields_in_html(client.get(f"/incidents/{scene.number}/").content.decode())
    assert {"resolution_code", "resolution_notes", "reopen_count"} <= resolved
    assert resolved <= audiences.PAGE_FIELDS[audience]


@pytest.mark.parametrize("role", ROLES)
def test_sla_clocks_are_the_audience_clocks(desk, scene, api_as, role):
    audience = ROLES[role]
    status, clocks = api_as(_user(desk, role)).get(f"incidents/{scene.number}/slas")
    assert status == 200
    metrics = {c["metric"] for c in clocks}
    assert metrics <= audiences.SLA_METRICS[audience]
    assert {"response", "resolution"} <= metrics
    assert ("handover_acceptance" in metrics) == (audience == STAFF)


@pytest.mark.parametrize("role", ROLES)
def test_the_page_shows_the_audience_clocks(desk, scene, client_for, role):
    """A requester's page shows the targets their organisation was promised (response and
    resolution, with why the due time is what it is); only staff see the groups' OLA clocks."""
    audience = ROLES[role]
    html = client_for(_user(desk, role)).get(f"/incidents/{scene.number}/").content.decode()
    assert 'id="slas"' in html
    assert ">Response<" in html and ">Resolution<" in html
    assert (">Handover acceptance<" in html) == (audience == STAFF)


@pytest.mark.parametrize("role", ROLES)
def test_timeline_changes_are_the_audience_fields(desk, scene, api_as, role):
    audience = ROLES[role]
    status, page = api_as(_user(desk, role)).get(f"incidents/{scene.number}/timeline")
    assert status == 200
    keys = {k for e in page["items"] for k in e["changes"]}
    created = next(e for e in page["items"] if e["action"] == "created")
    if audience == REQUESTER:
        assert keys <= audiences.REQUESTER_CHANGE_KEYS
        assert "owning_group" not in created["changes"]
    else:
        assert "owning_group" in created["changes"]


@pytest.mark.parametrize("role", ["caller", "colleague"])
def test_messages_to_requesters_carry_the_caller_fields_only(desk, scene, api_as, role):
    """The caller (and a colleague watching) hear of replies and status changes: the subject
    names the number, the status and the title; the body is text written for them."""
    user = _user(desk, role)
    if role == "colleague":
        ops.add_watcher(user, scene, user)
    agent, dba = desk["people"]["agent"], desk["dba"]
    ops.add_comment(agent, scene, body="A fix is coming", visibility="public")
    ops.reject_handover(dba, scene.handovers.get(), reason="Zq7 not ours")
    ops.transition(agent, scene, "resolved", resolution_code="solved", resolution_notes="Fixed")
    messages = list(Notification.objects.filter(recipient=user)) + list(
        OutboundEmail.objects.filter(recipient=user)
    )
    assert messages
    subjects = {m.subject for m in messages}
    assert f"{scene.number} is resolved: Printer offline" in subjects
    allowed = re.compile(rf"^(Reply on {scene.number}|{scene.number} is [a-z ]+): Printer offline$")
    assert all(allowed.match(s) for s in subjects), subjects
    assert {m.body for m in messages} <= {"We are on it", "A fix is coming", "Fixed"}
    for m in messages:
        _no_secrets(f"{m.subject}\n{m.body}", "a message")
        assert "Zq7 not ours" not in m.body  # the rejection reason goes to the sender only
    status, page = api_as(user).get("notifications")
    assert status == 200
    _no_secrets(str(page), "GET /notifications")


# --- nothing internal reaches a requester, byte for byte -----------------------------------------


@pytest.mark.parametrize("role", ["caller", "colleague"])
def test_no_internal_text_reaches_a_requester_anywhere(desk, scene, api_as, client_for, role):
    user = _user(desk, role)
    api, web = api_as(user), client_for(user)
    number = scene.number
    for path in (
        f"/api/v1/incidents/{number}",
        "/api/v1/incidents",
        "/api/v1/incidents?q=printer",
        f"/api/v1/incidents/{number}/timeline",
        f"/api/v1/incidents/{number}/comments",
        f"/api/v1/incidents/{number}/slas",
        f"/api/v1/incidents/{number}/attachments",
        "/api/v1/notifications",
    ):
        response = api.client.get(path, headers=api.headers)
        assert response.status_code == 200, path
        _no_secrets(response.content, path)
    for path in (
        f"/incidents/{number}/",
        "/incidents/",
        "/incidents/?queue=all&status=any",
        "/incidents/?q=printer",
        "/",
        f"{reverse('core:search')}?q=printer",
    ):
        response = web.get(path)
        assert response.status_code == 200, path
        _no_secrets(response.content, path)
    export = web.get("/incidents/export.csv?status=any")
    _no_secrets(b"".join(export.streaming_content), "the CSV export")
    # a reply of the requester's own comes back without anything internal
    status, data = api.post(
        f"incidents/{number}/comments", {"body": "Any news?", "visibility": "public"}
    )
    assert status == 201
    _no_secrets(str(data), "POST comments")


def test_staff_do_see_the_internal_data(desk, scene, api_as, client_for):
    """The same seeds are there for IT staff: the requester tests above look at real data."""
    status, data = api_as(desk["people"]["agent"]).get(f"incidents/{scene.number}")
    assert status == 200 and data["pending_handover"]["reason"] == HANDOVER_REASON
    assert data["pending_handover"]["note"] == HANDOVER_NOTE
    assert data["assignee"]["username"] == ASSIGNEE_USERNAME
    assert data["owning_group"]["name"] == GROUP_NAME and data["priority_overridden"]
    html = client_for(desk["people"]["agent"]).get(f"/incidents/{scene.number}/").content
    assert HANDOVER_NOTE.encode() in html and ASSIGNEE_LAST.encode() in html


def test_a_requester_raising_and_reopening_gets_the_requester_shape(desk, open_one, api_as):
    requester = api_as(desk["people"]["requester"])
    status, data = requester.post("incidents", {"title": "Mouse", "impact": 3, "urgency": 3})
    assert status == 201 and set(data) == set(audiences.REQUESTER_FIELDS)
    incident = open_one()
    agent = desk["people"]["agent"]
    ops.transition(agent, incident, "in_progress")
    ops.transition(agent, incident, "resolved", resolution_code="solved", resolution_notes="Ok")
    status, data = requester.post(f"incidents/{incident.number}/transitions", {"to": "in_progress"})
    assert status == 200 and set(data) == set(audiences.REQUESTER_FIELDS)
    assert data["reopen_count"] == 1
