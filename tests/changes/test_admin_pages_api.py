"""The API the administration pages stand beside: change boards, the authority table, risk
rules and the settings (``api/admin_boards.py``). Happy paths (answers validated against the
OpenAPI document), who may write (administrators and change managers; other IT staff 403,
requesters 404), a stale version 409 with nothing written, and bad input on every endpoint:
a 4xx in the one error shape naming the field, nothing written."""

from __future__ import annotations

import pytest

from steward.changes import operations as ops
from steward.changes.models import AuthorityRule, ChangeBoard, ChangeSettings, RiskRule
from steward.core.models import JournalEntry

pytestmark = pytest.mark.django_db


def written():
    return (
        list(ChangeBoard.objects.values_list("id", "version", "quorum", "meets_on")),
        list(AuthorityRule.objects.values_list("type", "risk", "level", "board_id")),
        list(RiskRule.objects.values_list("id", "version", "name", "parameter")),
        list(ChangeSettings.objects.values_list("version", "moderate_from", "high_from")),
        JournalEntry.objects.count(),
    )


def test_boards_are_created_changed_and_removed(desk, api_as):
    cm = api_as(desk["people"]["cm"])
    status, board = cm.post(
        "change-boards", {"group": desk["groups"]["cab"].pk, "quorum": 2, "meets_on": "Tue 14:00"}
    )
    assert status == 201, board
    assert board["group"] == {"id": desk["groups"]["cab"].pk, "name": "CAB"}
    assert (board["quorum"], board["change_manager_required"]) == (2, True)
    status, page = cm.get("change-boards")
    assert status == 200 and [b["id"] for b in page["items"]] == [board["id"]]

    status, changed = cm.patch(
        f"change-boards/{board['id']}", {"version": board["version"], "quorum": 3}
    )
    assert status == 200 and changed["quorum"] == 3 and changed["version"] == 2
    before = written()
    status, stale = cm.patch(f"change-boards/{board['id']}", {"version": 1, "quorum": 5})
    assert status == 409 and "version" in stale["error"]["fields"]
    assert written() == before

    status, table = cm.put(
        "change-authority",
        {"type": "normal", "risk": "high", "level": "board", "board": board["id"]},
    )
    assert status == 200
    cell = next(c for c in table["items"] if (c["type"], c["risk"]) == ("normal", "high"))
    assert cell == {
        "type": "normal",
        "risk": "high",
        "level": "board",
        "board": {"id": board["id"], "name": "CAB"},
    }
    status, refused = cm.delete(f"change-boards/{board['id']}")
    assert status == 409 and "board" in refused["error"]["fields"]
    assert ChangeBoard.objects.filter(pk=board["id"]).exists()

    cm.put("change-authority", {"type": "normal", "risk": "high", "level": "change_manager"})
    status, _ = cm.delete(f"change-boards/{board['id']}")
    assert status == 204
    assert not ChangeBoard.objects.filter(pk=board["id"]).exists()
    assert JournalEntry.objects.filter(action="deleted", record_id=board["id"]).exists()


def test_the_authority_table_is_every_type_and_risk(desk, api_as):
    status, table = api_as(desk["people"]["agent"]).get("change-authority")
    assert status == 200
    cells = {(c["type"], c["risk"]): c["level"] for c in table["items"]}
    assert len(cells) == 9
    assert cells[("standard", "high")] == "none"
    assert cells[("normal", "low")] == "peer"
    assert cells[("emergency", "high")] == "change_manager"


def test_risk_rules_are_kept_and_reassess_open_changes(desk, api_as, make_change):
    change = make_change(cis=[desk["cis"]["web01"]], outage_expected=True, outage_minutes=10)
    assert change.risk == "low"
    cm = api_as(desk["people"]["cm"])
    status, rule = cm.post(
        "risk-rules", {"name": "Outages", "kind": "outage_expected", "minimum": "moderate"}
    )
    assert status == 201, rule
    assert (rule["parameter"], rule["is_active"], rule["version"]) == (None, True, 1)
    change.refresh_from_db()
    assert change.risk == "moderate"
    status, critical = cm.post(
        "risk-rules",
        {"name": "Critical", "kind": "service_criticality", "parameter": 1, "minimum": "high"},
    )
    assert status == 201 and critical["parameter"] == 1
    status, page = cm.get("risk-rules")
    assert status == 200 and [r["name"] for r in page["items"]] == ["Outages", "Critical"]

    status, off = cm.patch(f"risk-rules/{rule['id']}", {"version": 1, "is_active": False})
    assert status == 200 and (off["is_active"], off["version"]) == (False, 2)
    change.refresh_from_db()
    assert change.risk == "low"
    cm.patch(f"risk-rules/{rule['id']}", {"version": 2, "is_active": True})
    change.refresh_from_db()
    assert change.risk == "moderate"
    status, _ = cm.delete(f"risk-rules/{rule['id']}")
    assert status == 204 and not RiskRule.objects.filter(pk=rule["id"]).exists()
    change.refresh_from_db()
    assert change.risk == "low"


def test_settings_are_read_and_changed_with_their_version(desk, api_as):
    cm = api_as(desk["people"]["cm"])
    status, row = cm.get("change-settings")
    assert status == 200
    assert (row["moderate_from"], row["high_from"]) == (10, 20)
    status, row2 = cm.patch(
        "change-settings", {"version": row["version"], "template_success_threshold": 80}
    )
    assert status == 200 and row2["template_success_threshold"] == 80
    before = written()
    status, stale = cm.patch("change-settings", {"version": row["version"], "high_from": 30})
    assert "version" in stale["error"]["fields"]
    assert status == 409 and written() == before


def test_only_administrators_and_change_managers_write(desk, api_as):
    agent = api_as(desk["people"]["agent"])
    requester = api_as(desk["people"]["requester"])
    board = ops.create_board(None, group=desk["groups"]["cab"])
    rule = ops.create_risk_rule(None, name="R", kind="outage_expected", minimum="moderate")
    before = written()
    for method, path, body in [
        ("post", "change-boards", {"group": desk["groups"]["platform"].pk}),
        ("patch", f"change-boards/{board.pk}", {"version": 1, "quorum": 2}),
        ("delete", f"change-boards/{board.pk}", None),
        ("put", "change-authority", {"type": "normal", "risk": "low", "level": "change_manager"}),
        ("post", "risk-rules", {"name": "x", "kind": "outage_expected", "minimum": "low"}),
        ("patch", f"risk-rules/{rule.pk}", {"version": 1, "name": "y"}),
        ("delete", f"risk-rules/{rule.pk}", None),
        ("patch", "change-settings", {"version": 1, "high_from": 30}),
    ]:
        args = (path,) if body is None else (path, body)
        status, _ = getattr(agent, method)(*args)
        assert status == 403, (method, path, status)
        status, _ = getattr(requester, method)(*args)
        assert status == 404, (method, path, status)
    for path in ("change-boards", "change-authority", "risk-rules", "change-settings"):
        assert agent.get(path)[0] == 200, path
        assert requester.get(path)[0] == 404, path
    assert written() == before
    status, _ = api_as(desk["people"]["admin"]).patch(
        f"change-boards/{board.pk}", {"version": 1, "quorum": 2}
    )
    assert status == 200


@pytest.fixture
def rows(desk):
    board = ops.create_board(None, group=desk["groups"]["cab"])
    rule = ops.create_risk_rule(
        None, name="R", kind="no_recent_success", parameter=90, minimum="moderate"
    )
    return {"board": board, "rule": rule}


def cases(desk, rows):
    b, r = rows["board"].pk, rows["rule"].pk
    cab, platform = desk["groups"]["cab"].pk, desk["groups"]["platform"].pk
    return [
        ("post", "change-boards", {}, "group"),
        ("post", "change-boards", {"group": 999999}, "group"),
        ("post", "change-boards", {"group": cab}, "group"),  # already a board
        ("post", "change-boards", {"group": platform, "quorum": 0}, "quorum"),
        ("post", "change-boards", {"group": platform, "meets_on": "a\nb"}, "meets_on"),
        ("post", "change-boards", {"group": platform, "extra": 1}, "extra"),
        ("patch", f"change-boards/{b}", {"quorum": 2}, "version"),
        ("patch", f"change-boards/{b}", {"version": 1, "quorum": None}, "quorum"),
        (
            "patch",
            f"change-boards/{b}",
            {"version": 1, "change_manager_required": "x"},
            "change_manager_required",
        ),
        ("patch", "change-boards/999999", {"version": 1}, "board"),
        ("delete", "change-boards/999999", None, "board"),
        ("put", "change-authority", {"risk": "low", "level": "peer"}, "type"),
        ("put", "change-authority", {"type": "normal", "risk": "extreme", "level": "peer"}, "risk"),
        ("put", "change-authority", {"type": "normal", "risk": "low", "level": "boss"}, "level"),
        ("put", "change-authority", {"type": "normal", "risk": "low", "level": "board"}, "board"),
        (
            "put",
            "change-authority",
            {"type": "normal", "risk": "low", "level": "board", "board": 999999},
            "board",
        ),
        ("put", "change-authority", {"type": "standard", "risk": "low", "level": "peer"}, "level"),
        ("post", "risk-rules", {"kind": "outage_expected", "minimum": "low"}, "name"),
        ("post", "risk-rules", {"name": "x", "kind": "moon_phase", "minimum": "low"}, "kind"),
        (
            "post",
            "risk-rules",
            {"name": "x", "kind": "service_criticality", "minimum": "low"},
            "parameter",
        ),
        (
            "post",
            "risk-rules",
            {"name": "x", "kind": "service_criticality", "parameter": 7, "minimum": "low"},
            "parameter",
        ),
        (
            "post",
            "risk-rules",
            {"name": "x", "kind": "outage_expected", "minimum": "huge"},
            "minimum",
        ),
        ("patch", f"risk-rules/{r}", {"name": "x"}, "version"),
        ("patch", f"risk-rules/{r}", {"version": 1, "parameter": 0}, "parameter"),
        ("patch", f"risk-rules/{r}", {"version": 1, "name": ""}, "name"),
        ("patch", f"risk-rules/{r}", {"version": 1, "minimum": None}, "minimum"),
        ("patch", "risk-rules/999999", {"version": 1}, "rule"),
        ("delete", "risk-rules/999999", None, "rule"),
        ("patch", "change-settings", {"high_from": 5}, "version"),
        ("patch", "change-settings", {"version": 1, "high_from": -1}, "high_from"),
        ("patch", "change-settings", {"version": 1, "high_from": 5}, "high_from"),
        (
            "patch",
            "change-settings",
            {"version": 1, "template_success_threshold": 101},
            "template_success_threshold",
        ),
        (
            "patch",
            "change-settings",
            {"version": 1, "template_success_window": 0},
            "template_success_window",
        ),
        ("patch", "change-settings", {"version": 1, "moderate_from": None}, "moderate_from"),
    ]


def test_every_endpoint_rejects_bad_input(desk, api_as, rows):
    """Every case is tried; the failures are reported together. An unknown id answers 404
    (its ``field`` is only a label here)."""
    client = api_as(desk["people"]["cm"])
    wrong = []
    for method, path, body, field in cases(desk, rows):
        before = written()
        args = (path,) if body is None else (path, body)
        status, data = getattr(client, method)(*args)
        shaped = (
            isinstance(data, dict)
            and set(data) == {"error"}
            and set(data["error"]) == {"code", "message", "fields"}
        )
        named = status == 404 or field in data["error"]["fields"]
        if not (400 <= status < 500 and shaped and named and written() == before):
            wrong.append((method, path, body, status, data))
    assert not wrong, "\n".join(map(repr, wrong))
