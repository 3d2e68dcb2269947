"""The processes and RACI API: who may read and write, versions, the matrix, CSV, journal."""

from __future__ import annotations

import csv
import io

import pytest

from steward.core.models import JournalEntry
from steward.ownership.models import Activity, Process, RaciAssignment
from steward.people.choices import Role

pytestmark = pytest.mark.django_db


def test_the_default_processes_and_activities_are_seeded():
    keys = set(Process.objects.values_list("key", flat=True))
    assert {
        "incident",
        "problem",
        "change",
        "request_fulfilment",
        "knowledge",
        "service_level",
        "continual_improvement",
    } <= keys
    incident = Process.objects.get(key="incident")
    assert list(incident.activities.order_by("order").values_list("name", flat=True)) == [
        "Log",
        "Categorize",
        "Prioritize",
        "Diagnose",
        "Hand over",
        "Resolve",
        "Close",
        "Review",
    ]
    assert all(p.activities.count() >= 6 for p in Process.objects.all())


@pytest.mark.parametrize("who,expected", [("admin", 7), ("agent", 7), ("requester", 0)])
def test_it_staff_read_processes_requesters_see_none(world, api_as, who, expected):
    status, body = api_as(world["people"][who], "read").get("processes")
    assert status == 200
    assert body["count"] == expected
    incident = Process.objects.get(key="incident")
    status, _ = api_as(world["people"][who], "read").get(f"processes/{incident.pk}/raci")
    assert status == (200 if expected else 404)


@pytest.mark.parametrize("who,expected", [("admin", 201), ("agent", 403), ("requester", 403)])
def test_only_admins_create_processes(world, api_as, who, expected):
    owner = world["owner"]
    status, body = api_as(world["people"][who]).post(
        "processes", {"key": "release", "name": "Release management", "owner": owner.pk}
    )
    assert status == expected, body
    if status == 201:
        assert body["owner"]["id"] == owner.pk and body["activity_count"] == 0
        entry = JournalEntry.objects.filter(record_type="ownership.process").last()
        assert entry.action == "created" and entry.changes["owner"][1]["id"] == owner.pk


def test_a_process_needs_an_active_owner(world, api_as, make_user):
    gone = make_user("gone", is_active=False)
    client = api_as(world["people"]["admin"])
    status, body = client.post("processes", {"key": "x", "name": "X", "owner": gone.pk})
    assert status == 422 and "inactive" in body["error"]["fields"]["owner"][0]
    status, body = client.post("processes", {"key": "x", "name": "X"})
    assert status == 422 and body["error"]["fields"] == {"owner": ["required"]}


def test_the_process_owner_edits_their_process_but_not_its_owner(
    world, api_as, process, process_owner
):
    client = api_as(process_owner)
    status, body = client.patch(
        f"processes/{process.pk}",
        {"version": process.version, "description": "How we test", "managers": [world["owner"].pk]},
    )
    assert status == 200, body
    assert body["description"] == "How we test"
    assert [m["id"] for m in body["managers"]] == [world["owner"].pk]
    status, body = client.patch(
        f"processes/{process.pk}", {"version": body["version"], "owner": world["owner"].pk}
    )
    assert status == 403 and "owner" in body["error"]["fields"]
    status, body = api_as(world["people"]["agent"]).patch(
        f"processes/{process.pk}", {"version": process.version + 1, "description": "mine now"}
    )
    assert status == 403


def test_a_stale_version_changes_nothing(world, api_as, process):
    client = api_as(world["people"]["admin"])
    status, body = client.patch(
        f"processes/{process.pk}", {"version": process.version, "name": "A"}
    )
    assert status == 200
    status, body = client.patch(
        f"processes/{process.pk}", {"version": process.version, "name": "B"}
    )
    assert status == 409 and body["error"]["code"] == "stale_version"
    assert Process.objects.get(pk=process.pk).name == "A"


def test_activities_are_listed_in_order_and_added_by_the_owner(api_as, process, process_owner):
    client = api_as(process_owner)
    status, body = client.get(f"processes/{process.pk}/activities")
    assert status == 200 and [a["name"] for a in body] == ["Plan", "Run", "Report"]
    status, body = client.post(
        f"processes/{process.pk}/activities",
        {"version": process.version, "name": "Prepare", "order": 15},
    )
    assert status == 201, body
    status, body = client.get(f"processes/{process.pk}/activities")
    assert [a["name"] for a in body] == ["Plan", "Run", "Prepare", "Report"]
    status, body = client.post(
        f"processes/{process.pk}/activities",
        {"version": process.version, "name": "Late", "order": 50},
    )
    assert status == 409


def _matrix(process, process_owner, team):
    plan, run, report = (
        Activity.objects.get(process=process, name=n) for n in ("Plan", "Run", "Report")
    )
    return [
        {"activity": plan.pk, "letter": "A", "user": process_owner.pk},
        {"activity": plan.pk, "letter": "R", "group": team["group"].pk},
        {
            "activity": run.pk,
            "letter": "A",
            "group": team["group"].pk,
            "accountable_person": team["lead"].pk,
        },
        {"activity": run.pk, "letter": "R", "user": team["member"].pk},
        {"activity": run.pk, "letter": "I", "role": Role.SERVICE_OWNER},
        {"activity": report.pk, "letter": "R", "user": process_owner.pk},
    ]


def test_writing_and_reading_the_matrix(api_as, process, process_owner, team):
    client = api_as(process_owner)
    status, body = client.put(
        f"processes/{process.pk}/raci",
        {"version": process.version, "assignments": _matrix(process, process_owner, team)},
    )
    assert status == 200, body
    assert body["version"] == process.version + 1
    run = next(a for a in body["activities"] if a["name"] == "Run")
    assert {(a["letter"], a["party"]["kind"], a["party"]["name"]) for a in run["assignments"]} == {
        ("A", "group", "Testers"),
        ("R", "user", "Member"),
        ("I", "role", "Service owner"),
    }
    a = next(a for a in run["assignments"] if a["letter"] == "A")
    assert a["accountable_person"]["id"] == team["lead"].pk
    # Report has no A: the matrix is saved and the finding says so.
    assert [(f["activity"]["name"], f["rule"]) for f in body["findings"]] == [
        ("Report", "one_accountable")
    ]
    entry = JournalEntry.objects.filter(record_type="ownership.process", action="raci_set").last()
    assert entry.actor_id == process_owner.pk
    assert entry.changes["RACI Run"][0] == [] and len(entry.changes["RACI Run"][1]) == 3

    status, body = client.get(f"processes/{process.pk}/raci/validation")
    assert status == 200
    assert (body["valid"], body["errors"], body["warnings"]) == (False, 1, 0)
    assert {r["key"] for r in body["rules"]} >= {"one_accountable", "responsible"}

    report = Activity.objects.get(process=process, name="Report")
    status, body = client.put(
        f"processes/{process.pk}/activities/{report.pk}/raci",
        {
            "version": body_version(client, process),
            "assignments": [
                {"letter": "R", "user": process_owner.pk},
                {"letter": "A", "user": team["lead"].pk},
            ],
        },
    )
    assert status == 200, body
    assert body["findings"] == []
    assert RaciAssignment.objects.filter(activity__process=process).count() == 7


def body_version(client, process):
    return client.get(f"processes/{process.pk}")[1]["version"]


def test_a_stale_matrix_write_changes_nothing(api_as, process, process_owner, team):
    client = api_as(process_owner)
    rows = _matrix(process, process_owner, team)
    assert (
        client.put(
            f"processes/{process.pk}/raci", {"version": process.version, "assignments": rows}
        )[0]
        == 200
    )
    status, _ = client.put(
        f"processes/{process.pk}/raci", {"version": process.version, "assignments": rows[:1]}
    )
    assert status == 409
    assert RaciAssignment.objects.filter(activity__process=process).count() == len(rows)


@pytest.mark.parametrize(
    "row,field",
    [
        ({"letter": "R"}, "assignments.0"),
        ({"letter": "R", "user": 1, "role": "agent"}, "assignments.0"),
        ({"letter": "R", "user": 999999}, "assignments.0.user"),
        ({"letter": "R", "group": 999999}, "assignments.0.group"),
        ({"letter": "X", "role": "agent"}, "assignments.0.letter"),
        ({"letter": "R", "role": "wizard"}, "assignments.0.role"),
        (
            {"letter": "R", "role": "agent", "accountable_person": 1},
            "assignments.0.accountable_person",
        ),
        ({"letter": "R", "role": "agent", "colour": "red"}, "assignments.0.colour"),
    ],
)
def test_bad_matrix_rows_are_422_naming_the_row_and_nothing_is_written(
    api_as, process, process_owner, row, field
):
    plan = Activity.objects.get(process=process, name="Plan")
    if "user" in row and row["user"] == 1:
        row["user"] = process_owner.pk
    if row.get("accountable_person") == 1:
        row["accountable_person"] = process_owner.pk
    status, body = api_as(process_owner).put(
        f"processes/{process.pk}/raci",
        {"version": process.version, "assignments": [{"activity": plan.pk, **row}]},
    )
    assert status == 422, body
    assert field in body["error"]["fields"], body
    assert not RaciAssignment.objects.filter(activity__process=process).exists()
    assert Process.objects.get(pk=process.pk).version == process.version


def test_an_activity_of_another_process_is_refused(api_as, process, process_owner):
    other = Activity.objects.filter(process__key="incident").first()
    status, body = api_as(process_owner).put(
        f"processes/{process.pk}/raci",
        {
            "version": process.version,
            "assignments": [{"activity": other.pk, "letter": "R", "user": process_owner.pk}],
        },
    )
    assert status == 422 and "assignments.0.activity" in body["error"]["fields"]


@pytest.mark.parametrize("who", ["agent", "requester"])
def test_others_cannot_write_the_matrix(world, api_as, process, process_owner, who):
    plan = Activity.objects.get(process=process, name="Plan")
    status, _ = api_as(world["people"][who]).put(
        f"processes/{process.pk}/raci",
        {
            "version": process.version,
            "assignments": [{"activity": plan.pk, "letter": "R", "user": process_owner.pk}],
        },
    )
    assert status == (403 if who == "agent" else 404)
    assert not RaciAssignment.objects.filter(activity__process=process).exists()


def test_the_matrix_exports_as_csv(api_as, process, process_owner, team):
    client = api_as(process_owner)
    client.put(
        f"processes/{process.pk}/raci",
        {"version": process.version, "assignments": _matrix(process, process_owner, team)},
    )
    response = client.client.get(f"/api/v1/processes/{process.pk}/raci.csv", headers=client.headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "Order",
        "Activity",
        "Service owner (role)",
        "Testers (group)",
        "Member",
        "Powner",
    ]
    assert rows[1] == ["0", "Plan", "", "R", "", "A"]
    assert rows[2] == ["10", "Run", "I", "A (Lead)", "R", ""]
    assert rows[3] == ["20", "Report", "", "", "", "R"]


def test_reading_the_matrix_runs_a_constant_number_of_queries(
    api_as, process, process_owner, team, django_assert_max_num_queries
):
    client = api_as(process_owner)
    client.get("me")
    client.put(
        f"processes/{process.pk}/raci",
        {"version": process.version, "assignments": _matrix(process, process_owner, team)},
    )
    with django_assert_max_num_queries(14):
        status, _ = client.get(f"processes/{process.pk}/raci")
    assert status == 200


@pytest.mark.parametrize("path", ["processes", "ownership/gaps"])
def test_process_list_and_gaps_run_a_constant_number_of_queries(world, api_as, make_user, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from steward.ownership import operations as ops

    client = api_as(world["people"]["admin"], "read")
    client.get("me")

    def grow(start, n):
        for i in range(start, start + n):
            owner = make_user(f"po{i}", roles=[Role.AGENT, Role.PROCESS_OWNER])
            p = ops.create_process(None, key=f"p{i}", name=f"P{i}", owner=owner, managers=[owner])
            act = Activity.objects.create(process=p, name="Do", order=1)
            ops.set_raci(
                None,
                p,
                version=p.version,
                cells=[ops.Cell(activity=act, letter="A", group=world["group"])],
            )

    def count():
        with CaptureQueriesContext(connection) as ctx:
            status, body = client.get(path, limit=200)
        assert status == 200
        return len(ctx.captured_queries), body["count"]

    grow(0, 2)
    small = count()
    grow(100, 10)
    big = count()
    assert big[1] > small[1] and big[0] == small[0], (small, big)
