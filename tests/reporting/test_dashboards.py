"""Dashboards through /api/v1/dashboards and their operations: compose, share, version-checked
writes journaled on the dashboard, each widget's data and formula-safe CSV, role defaults, and
who sees what (a requester nothing; someone else's unshared dashboard is a 404). The clock of
the hand-built month (conftest.py) stands at 2 April 2026, so "last month" is March."""

from __future__ import annotations

import csv
import io

import pytest

from steward.core import operations as core_ops
from steward.core.models import JournalEntry
from steward.incidents import operations as incident_ops
from steward.reporting import dashboards
from steward.reporting import operations as ops
from steward.reporting.models import Dashboard, Widget
from steward.services import operations as service_ops
from tests.reporting.conftest import switch_off, t

pytestmark = pytest.mark.django_db

RAISED = {"kind": "figure", "kpi": "incidents_raised", "period": "last_month"}


def compose(api, name="Desk", **extra):
    status, board = api.post("dashboards", {"name": name, **extra})
    assert status == 201, board
    return board


def add(api, board, **widget):
    status, board = api.post(
        f"dashboards/{board['id']}/widgets", {"version": board["version"], **widget}
    )
    assert status == 201, board
    return board


def test_compose_a_dashboard_and_read_each_widget(month, api_as):
    api = api_as(month["people"]["agent"])
    board = compose(api)
    assert board["widgets"] == [] and board["editable"] is True and board["version"] == 1
    board = add(api, board, **RAISED)
    board = add(
        api,
        board,
        kind="bars",
        kpi="incidents_raised",
        period="last_month",
        group_by="service",
        title="Raised by service",
    )
    assert board["version"] == 3
    assert [(w["position"], w["kind"], w["title"]) for w in board["widgets"]] == [
        (1, "figure", ""),
        (2, "bars", "Raised by service"),
    ]
    figure_id, bars_id = (w["id"] for w in board["widgets"])

    status, data = api.get(f"dashboards/{board['id']}/widgets/{figure_id}")
    assert status == 200
    assert data["title"] == "Incidents raised"
    figure = data["figure"]
    # March: A B C E F G raised; February's period of the same length: D H
    assert (figure["value"], figure["previous"], figure["change"]) == (6, 2, 4)
    assert figure["from"].startswith("2026-03-01") and figure["to"].startswith("2026-04-01")
    assert data["records"] is None

    _, data = api.get(f"dashboards/{board['id']}/widgets/{bars_id}")
    series = {p["label"]: p["value"] for p in data["figure"]["series"]}
    assert series == {"Online Banking": 3, "Treasury": 2, "(none)": 1}


def test_a_time_series_and_a_list_of_records(month, api_as):
    api = api_as(month["people"]["agent"])
    board = compose(api)
    board = add(
        api, board, kind="series", kpi="incident_backlog", period="last_month", group_by="week"
    )
    board = add(api, board, kind="records", kpi="incidents_resolved", period="last_month")
    series_id, records_id = (w["id"] for w in board["widgets"])
    _, data = api.get(f"dashboards/{board['id']}/widgets/{series_id}")
    assert [p["value"] for p in data["figure"]["series"]] == [2, 1, 2, 3, 3, 3]
    _, data = api.get(f"dashboards/{board['id']}/widgets/{records_id}")
    titles = {item["label"].split(" ", 1)[1] for item in data["records"]["items"]}
    assert data["records"]["count"] == 4 and titles == {"A", "B", "C", "D"}
    assert all(item["url"].startswith("/incidents/") for item in data["records"]["items"])


def test_every_change_moves_the_version_and_is_journaled(month, api_as):
    api = api_as(month["people"]["agent"])
    board = compose(api)
    board = add(api, board, **RAISED)
    board = add(api, board, kind="figure", kpi="incident_mttr", period="last_7_days")
    first, second = (w["id"] for w in board["widgets"])
    status, board = api.post(
        f"dashboards/{board['id']}/widgets/{second}/move", {"version": 3, "position": 1}
    )
    assert status == 200 and [w["id"] for w in board["widgets"]] == [second, first]
    status, board = api.patch(
        f"dashboards/{board['id']}/widgets/{first}", {"version": 4, "period": "last_90_days"}
    )
    assert status == 200 and board["widgets"][1]["period"] == "last_90_days"
    group = month["groups"]["database"]
    status, board = api.patch(f"dashboards/{board['id']}", {"version": 5, "shared_with": group.pk})
    assert status == 200 and board["shared_with"] == {"id": group.pk, "name": "Database"}
    status, board = api.delete(f"dashboards/{board['id']}/widgets/{second}?version=6")
    assert status == 200 and [w["id"] for w in board["widgets"]] == [first]
    assert board["version"] == 7
    actions = list(
        JournalEntry.objects.filter(record_type="reporting.dashboard", record_id=str(board["id"]))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "dashboard_created",
        "widget_added",
        "widget_added",
        "widget_moved",
        "widget_changed",
        "dashboard_shared",
        "widget_removed",
    ]
    status, _ = api.delete(f"dashboards/{board['id']}?version=7")
    assert status == 204
    assert not Dashboard.objects.filter(pk=board["id"]).exists()
    assert not Widget.objects.filter(pk=first).exists()


def test_a_stale_version_is_a_409_and_changes_nothing(month, api_as):
    api = api_as(month["people"]["agent"])
    board = add(api, compose(api), **RAISED)
    wid = board["widgets"][0]["id"]
    base = f"dashboards/{board['id']}"
    for method, path, body in [
        ("patch", base, {"version": 1, "name": "Renamed"}),
        ("post", f"{base}/widgets", {"version": 1, **RAISED}),
        ("patch", f"{base}/widgets/{wid}", {"version": 1, "kpi": "incident_mttr"}),
        ("post", f"{base}/widgets/{wid}/move", {"version": 1, "position": 2}),
        ("delete", f"{base}/widgets/{wid}?version=1", None),
        ("delete", f"{base}?version=1", None),
    ]:
        status, data = getattr(api, method)(path, body) if body else api.delete(path)
        assert status == 409, (method, path, data)
        assert data["error"]["code"] == "stale_version" and "version" in data["error"]["fields"]
    _, after = api.get(base)
    assert after["name"] == "Desk" and after["version"] == 2
    assert [(w["id"], w["kpi"]) for w in after["widgets"]] == [(wid, "incidents_raised")]


# --- who sees what ------------------------------------------------------------------------------


def test_a_requester_gets_nothing(month, api_as):
    owned = ops.create_dashboard(month["people"]["agent"], name="Desk")
    api = api_as(month["people"]["requester"])
    for method, path, body in [
        ("get", "dashboards", None),
        ("get", "dashboards/defaults", None),
        ("get", f"dashboards/{owned.pk}", None),
        ("post", "dashboards", {"name": "Mine"}),
        ("post", "dashboards/defaults/agent/copy", {}),
    ]:
        status, data = getattr(api, method)(path, body) if body is not None else api.get(path)
        assert status in (403, 404), (path, status)
        assert set(data) == {"error"}
    assert Dashboard.objects.count() == 1


def test_someone_elses_unshared_dashboard_is_a_404(month, api_as):
    agent, other = month["people"]["agent"], month["dba"]
    board = ops.create_dashboard(agent, name="Private")
    widget = ops.add_widget(agent, board, version=1, **RAISED)
    api = api_as(other)
    base = f"dashboards/{board.pk}"
    assert api.get("dashboards")[1]["count"] == 0
    for method, path, body in [
        ("get", base, None),
        ("get", f"{base}/widgets/{widget.pk}", None),
        ("patch", base, {"version": 2, "name": "Mine now"}),
        ("post", f"{base}/widgets", {"version": 2, **RAISED}),
        ("delete", f"{base}?version=2", None),
    ]:
        status, data = (
            getattr(api, method)(path, body) if body is not None else getattr(api, method)(path)
        )
        assert status == 404 and data["error"]["code"] == "not_found", (method, path)
    response = api.client.get(f"/api/v1/{base}/widgets/{widget.pk}.csv", headers=api.headers)
    assert response.status_code == 404
    board.refresh_from_db()
    assert board.name == "Private" and board.version == 2


def test_a_shared_dashboard_is_read_only_for_the_groups_members(month, api_as):
    agent = month["people"]["agent"]
    board = ops.create_dashboard(
        agent, name="For the DBAs", shared_with=month["groups"]["database"]
    )
    ops.add_widget(agent, board, version=1, **RAISED)
    for reader in (month["dba"], month["dbmanager"]):  # a member and the manager
        api = api_as(reader)
        status, listed = api.get("dashboards")
        assert status == 200 and [d["name"] for d in listed["items"]] == ["For the DBAs"]
        _, data = api.get(f"dashboards/{board.pk}")
        assert data["editable"] is False and data["owner"]["username"] == "agent"
        status, data = api.patch(f"dashboards/{board.pk}", {"version": 2, "name": "Ours"})
        assert status == 403 and data["error"]["code"] == "forbidden"
        status, _ = api.post(f"dashboards/{board.pk}/widgets", {"version": 2, **RAISED})
        assert status == 403
    assert api_as(month["desk2"]).get(f"dashboards/{board.pk}")[0] == 404
    board.refresh_from_db()
    assert board.name == "For the DBAs" and board.widgets.count() == 1


# --- bad input ----------------------------------------------------------------------------------


@pytest.fixture
def board(month):
    agent = month["people"]["agent"]
    board = ops.create_dashboard(agent, name="Desk")
    widget = ops.add_widget(agent, board, version=1, **RAISED)
    board.refresh_from_db()
    return board, widget


BAD_BODIES = [
    # (path, method, body, field)
    ("", "post", {"name": ""}, "name"),
    ("", "post", {"name": "a\nb"}, "name"),
    ("", "post", {"name": "x" * 121}, "name"),
    ("", "post", {"name": "x", "shared_with": 0}, "shared_with"),
    ("", "post", {"name": "x", "shared_with": 999999}, "shared_with"),
    ("", "post", {"name": "x", "owner": 1}, "owner"),
    ("{d}", "patch", {"name": "x"}, "version"),
    ("{d}", "patch", {"version": 0, "name": "x"}, "version"),
    ("{d}", "patch", {"version": 2, "name": None}, "name"),
    ("{d}", "patch", {"version": 2, "shared_with": "db"}, "shared_with"),
    ("{d}/widgets", "post", {"version": 2, "kind": "pie", "kpi": "incidents_raised"}, "kind"),
    ("{d}/widgets", "post", {"version": 2, "kind": "figure", "kpi": "nope"}, "kpi"),
    ("{d}/widgets", "post", {"version": 2, "kind": "figure", "kpi": "Bad-Key"}, "kpi"),
    ("{d}/widgets", "post", {**RAISED, "version": 2, "period": "forever"}, "period"),
    ("{d}/widgets", "post", {**RAISED, "version": 2, "priority": 6}, "priority"),
    ("{d}/widgets", "post", {**RAISED, "version": 2, "service": 999999}, "service"),
    ("{d}/widgets", "post", {**RAISED, "version": 2, "group": -1}, "group"),
    ("{d}/widgets", "post", {**RAISED, "version": 2, "organization": 999999}, "organization"),
    ("{d}/widgets", "post", {**RAISED, "version": 2, "group_by": "service"}, "group_by"),
    ("{d}/widgets", "post", {**RAISED, "version": 2, "kind": "series"}, "group_by"),
    (
        "{d}/widgets",
        "post",
        {**RAISED, "version": 2, "kind": "series", "group_by": "service"},
        "group_by",
    ),
    (
        "{d}/widgets",
        "post",
        {**RAISED, "version": 2, "kind": "bars", "group_by": "week"},
        "group_by",
    ),
    (
        "{d}/widgets",
        "post",
        {**RAISED, "version": 2, "kind": "records", "group_by": "day"},
        "group_by",
    ),
    ("{d}/widgets", "post", {**RAISED, "version": 2, "title": "x" * 121}, "title"),
    ("{d}/widgets", "post", {**RAISED, "version": True}, "version"),
    ("{d}/widgets/{w}", "patch", {"version": 2, "kind": "records", "kpi": None}, "kpi"),
    ("{d}/widgets/{w}", "patch", {"version": 2, "group_by": "day"}, "group_by"),
    ("{d}/widgets/{w}", "patch", {"version": 2, "color": "red"}, "color"),
    ("{d}/widgets/{w}/move", "post", {"version": 2, "position": 0}, "position"),
    ("{d}/widgets/{w}/move", "post", {"version": 2}, "position"),
    ("defaults/{role}/copy", "post", {"name": ""}, "name"),
]


@pytest.mark.parametrize(("path", "method", "body", "field"), BAD_BODIES)
def test_bad_input_is_a_422_naming_the_field_and_writes_nothing(
    month, api_as, board, path, method, body, field
):
    dashboard, widget = board
    api = api_as(month["people"]["agent"])
    before = (Dashboard.objects.count(), Widget.objects.count(), JournalEntry.objects.count())
    url = "dashboards/" + path.format(d=dashboard.pk, w=widget.pk, role="agent")
    status, data = getattr(api, method)(url.rstrip("/"), body)
    assert status == 422, data
    assert field in data["error"]["fields"], data
    after = (Dashboard.objects.count(), Widget.objects.count(), JournalEntry.objects.count())
    assert after == before
    dashboard.refresh_from_db()
    assert dashboard.version == 2


@pytest.mark.parametrize(
    "path",
    [
        "dashboards/0",
        "dashboards/abc",
        "dashboards/{d}/widgets/0",
        "dashboards/{d}/widgets/x",
        "dashboards/{d}/widgets/999999",
        "dashboards/99999999999999999999",
        "dashboards/defaults/boss/copy",
    ],
)
def test_bad_paths_are_refused_in_the_one_shape(month, api_as, board, path):
    dashboard, _ = board
    api = api_as(month["people"]["agent"])
    url = path.format(d=dashboard.pk)
    status, data = api.post(url, {}) if url.endswith("copy") else api.get(url)
    assert status in (404, 422) and set(data) == {"error"}


def test_delete_needs_a_version(month, api_as, board):
    dashboard, widget = board
    api = api_as(month["people"]["agent"])
    for path in (f"dashboards/{dashboard.pk}", f"dashboards/{dashboard.pk}/widgets/{widget.pk}"):
        for query in ("", "?version=x", "?version=0"):
            status, data = api.delete(path + query)
            assert status == 422 and "version" in data["error"]["fields"], (path, query)
    assert Widget.objects.filter(pk=widget.pk).exists()


def test_without_a_token_it_is_401(month, api_as):
    assert api_as(None).get("dashboards")[0] == 401


# --- CSV ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_that_a_spreadsheet_would_run_is_quoted(start):
    assert dashboards.safe_cell(f"{start}1+1") == f"'{start}1+1"
    assert dashboards.safe_cell("Online Banking") == "Online Banking"
    assert dashboards.safe_cell(None) == ""


def test_the_csv_of_a_widget_is_formula_safe(month, api_as, monkeypatch):
    agent, owner = month["people"]["agent"], month["owner"]
    clock = month["clock"]
    clock(t(3, 15, 9))
    evil = service_ops.create_service(None, name="=HYPERLINK(1)", owner=owner, status="live")
    incident_ops.open_incident(
        agent,
        title="x",
        caller=month["people"]["requester"],
        impact=2,
        urgency=2,
        service=evil,
        owning_group=month["groups"]["desk"],
    )
    clock(t(4, 2, 12))
    board = ops.create_dashboard(agent, name="Desk")
    widget = ops.add_widget(
        agent,
        board,
        version=1,
        kind="table",
        kpi="incidents_raised",
        period="last_month",
        group_by="service",
    )
    api = api_as(agent)
    response = api.client.get(
        f"/api/v1/dashboards/{board.pk}/widgets/{widget.pk}.csv", headers=api.headers
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["service", "Value", "Records"]
    assert ["'=HYPERLINK(1)", "1", "1"] in rows
    assert ["Online Banking", "3", "3"] in rows


def test_the_csv_of_a_figure_and_of_records(month, api_as):
    agent = month["people"]["agent"]
    board = ops.create_dashboard(agent, name="Desk")
    figure = ops.add_widget(agent, board, version=1, **RAISED)
    records = ops.add_widget(
        agent, board, version=2, kind="records", kpi="incidents_resolved", period="last_month"
    )
    api = api_as(agent)
    base = f"/api/v1/dashboards/{board.pk}/widgets"
    rows = list(
        csv.reader(
            io.StringIO(
                api.client.get(f"{base}/{figure.pk}.csv", headers=api.headers).content.decode()
            )
        )
    )
    assert rows[1][0] == "Incidents raised" and rows[1][3:6] == ["6", "count", "6"]
    assert rows[1][6:] == ["2", "2", "4"]
    rows = list(
        csv.reader(
            io.StringIO(
                api.client.get(f"{base}/{records.pk}.csv", headers=api.headers).content.decode()
            )
        )
    )
    assert len(rows) == 5 and {r[0].split(" ", 1)[1] for r in rows[1:]} == {"A", "B", "C", "D"}


# --- role defaults ------------------------------------------------------------------------------


def test_a_group_managers_default_shows_their_groups(month, api_as):
    manager = month["dbmanager"]  # manages Database, is an agent in no group
    status, data = api_as(manager).get("dashboards/defaults")
    assert status == 200
    by_role = {d["role"]: d for d in data["items"]}
    assert set(by_role) == {"agent", "group_manager"}
    database = month["groups"]["database"].pk
    widgets = by_role["group_manager"]["widgets"]
    assert widgets and {w["group"] for w in widgets} == {database}
    assert all(w["title"].endswith("· Database") for w in widgets)
    assert all(w["id"] is None for w in widgets)


def test_each_role_gets_its_default(month, api_as):
    def roles(user):
        return {d["role"] for d in api_as(user).get("dashboards/defaults")[1]["items"]}

    assert roles(month["owner"]) == {"agent", "service_owner"}
    assert roles(month["people"]["admin"]) == {"it_manager"}
    owner_default = dashboards.default_for(month["owner"], "service_owner")
    services = {w.service for w in owner_default.widgets}
    assert services == {s.pk for s in month["services"].values()}
    assert dashboards.default_for(month["people"]["requester"], "agent") is None


def test_copying_a_default_makes_an_own_dashboard_to_change(month, api_as):
    manager = month["dbmanager"]
    api = api_as(manager)
    status, board = api.post("dashboards/defaults/group_manager/copy", {})
    assert status == 201 and board["editable"] is True
    default = dashboards.default_for(manager, "group_manager")
    assert [(w["kind"], w["kpi"], w["group"]) for w in board["widgets"]] == [
        (w.kind, w.kpi, w.group) for w in default.widgets
    ]
    assert board["name"] == "Group manager dashboard"
    status, data = api.get(f"dashboards/{board['id']}/widgets/{board['widgets'][0]['id']}")
    assert status == 200 and data["figure"]["filters"] == {"group": month["groups"]["database"].pk}
    status, _ = api.post("dashboards/defaults/service_owner/copy", {})
    assert status == 404  # not their role


def test_a_widget_whose_kpi_was_switched_off_is_a_404(month, api_as):
    agent, admin = month["people"]["agent"], month["people"]["admin"]
    board = ops.create_dashboard(agent, name="Desk")
    widget = ops.add_widget(agent, board, version=1, **RAISED)
    switch_off(admin, "incidents")
    api = api_as(agent)
    status, data = api.get(f"dashboards/{board.pk}/widgets/{widget.pk}")
    assert status == 404 and "switched off" in data["error"]["message"]
    assert api.get(f"dashboards/{board.pk}")[0] == 200
    core_ops.set_practice_enabled(admin, "incidents", True)
    assert api.get(f"dashboards/{board.pk}/widgets/{widget.pk}")[0] == 200


def test_the_dashboards_api_follows_the_reporting_switch(month, api_as):
    switch_off(month["people"]["admin"], "reporting")
    status, data = api_as(month["people"]["agent"]).get("dashboards")
    assert status == 404 and data["error"]["code"] == "practice_off"


def test_the_list_takes_the_same_queries_for_one_dashboard_or_many(
    month, api_as, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    agent = month["people"]["agent"]
    api = api_as(agent)

    def make(n):
        board = ops.create_dashboard(agent, name=f"Board {n}")
        ops.add_widget(agent, board, version=1, **RAISED)
        ops.add_widget(agent, board, version=2, kind="figure", kpi="incident_mttr")

    make(0)
    with CaptureQueriesContext(connection) as one:
        assert api.get("dashboards")[1]["count"] == 1
    for n in range(1, 6):
        make(n)
    with django_assert_max_num_queries(len(one)):
        assert api.get("dashboards")[1]["count"] == 6
