"""Bad input on every changes endpoint: a 4xx in the one error shape, naming the field at
fault, and nothing written; unknown numbers and ids answer 404."""

from __future__ import annotations

import pytest

from tests.changes.test_api import PLANS, chg, raise_change, written  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(chg, api_as, raise_change):  # noqa: F811 - the fixtures imported above
    manager = api_as(chg["manager"])
    _, template = manager.post(
        "change-templates", {"name": "Restart", "owning_group": chg["database"].pk, **PLANS}
    )
    _, weekly = manager.post(
        "maintenance-windows", {"name": "Nights", "hours": {"sat": [["22:00", "24:00"]]}}
    )
    _, blackout = manager.post(
        "blackouts",
        {"name": "Freeze", "starts_at": "2030-12-20T00:00:00Z", "ends_at": "2031-01-01T00:00:00Z"},
    )
    _, question = manager.post(
        "risk-questions", {"text": "Users?", "answers": [{"text": "Few"}, {"text": "All"}]}
    )
    return {
        "change": raise_change(),
        "template": template,
        "window": weekly,
        "blackout": blackout,
        "question": question,
    }


def cases(chg, records):  # noqa: F811
    n = records["change"]["number"]
    v = records["change"]["version"]
    g = chg["database"].pk
    t = records["template"]["id"]
    w = records["window"]["id"]
    b = records["blackout"]["id"]
    q = records["question"]["id"]
    start, end = "2030-01-01T00:00:00Z", "2030-01-01T02:00:00Z"
    return [
        # raise a change
        ("post", "changes", {"owning_group": g}, "title"),
        ("post", "changes", {"title": "x"}, "owning_group"),
        ("post", "changes", {"title": "", "owning_group": g}, "title"),
        ("post", "changes", {"title": "x\ny", "owning_group": g}, "title"),
        ("post", "changes", {"title": "x", "owning_group": 999999}, "owning_group"),
        ("post", "changes", {"title": "x", "owning_group": g, "type": "standard"}, "type"),
        ("post", "changes", {"title": "x", "owning_group": g, "type": "weird"}, "type"),
        ("post", "changes", {"title": "x", "owning_group": g, "owner": 999999}, "owner"),
        ("post", "changes", {"title": "x", "owning_group": g, "cis": [999999]}, "cis"),
        ("post", "changes", {"title": "x", "owning_group": g, "services": [0]}, "services.0"),
        ("post", "changes", {"title": "x", "owning_group": g, "template": 999999}, "template"),
        ("post", "changes", {"title": "x", "template": t, "type": "emergency"}, "type"),
        ("post", "changes", {"title": "x", "template": t, "backout_plan": "y"}, "backout_plan"),
        ("post", "changes", {"title": "x", "owning_group": g, "impact": "huge"}, "impact"),
        (
            "post",
            "changes",
            {"title": "x", "owning_group": g, "outage_minutes": -1},
            "outage_minutes",
        ),
        (
            "post",
            "changes",
            {"title": "x", "owning_group": g, "outage_expected": "yes"},
            "outage_expected",
        ),
        (
            "post",
            "changes",
            {"title": "x", "owning_group": g, "planned_start": "tomorrow"},
            "planned_start",
        ),
        (
            "post",
            "changes",
            {"title": "x", "owning_group": g, "planned_start": "2030-01-01T00:00:00"},
            "planned_start",
        ),
        (
            "post",
            "changes",
            {"title": "x", "owning_group": g, "planned_start": "1970-01-01T00:00:00Z"},
            "planned_start",
        ),
        (
            "post",
            "changes",
            {"title": "x", "owning_group": g, "planned_start": end, "planned_end": start},
            "planned_end",
        ),
        ("post", "changes", {"title": "x", "owning_group": g, "status": "closed"}, "status"),
        (
            "post",
            "changes",
            {"title": "x", "owning_group": g, "answers": [{"question": q}]},
            "answers.0.answer",
        ),
        (
            "post",
            "changes",
            {
                "title": "x",
                "owning_group": g,
                "answers": [{"question": q, "answer": 1}, {"question": q, "answer": 1}],
            },
            "answers.1.question",
        ),
        (
            "post",
            "changes",
            {"title": "x", "owning_group": g, "answers": [{"question": q, "answer": 999999}]},
            "answers.0",
        ),
        # change it
        ("patch", f"changes/{n}", {"title": "no version"}, "version"),
        ("patch", f"changes/{n}", {"version": v + 5, "title": "x"}, "version"),
        ("patch", f"changes/{n}", {"version": v, "title": None}, "title"),
        ("patch", f"changes/{n}", {"version": v, "owning_group": None}, "owning_group"),
        ("patch", f"changes/{n}", {"version": v, "cis": None}, "cis"),
        ("patch", f"changes/{n}", {"version": v, "implementer": 999999}, "implementer"),
        ("patch", f"changes/{n}", {"version": v, "number": "CHG1"}, "number"),
        ("patch", f"changes/{n}", {"version": v, "risk": "low"}, "risk"),
        (
            "patch",
            f"changes/{n}",
            {"version": v, "planned_end": "2000-01-01T00:00:00Z"},
            "planned_end",
        ),
        # move it
        ("post", f"changes/{n}/transitions", {}, "to"),
        ("post", f"changes/{n}/transitions", {"to": "sleeping"}, "to"),
        ("post", f"changes/{n}/transitions", {"to": "closed"}, "to"),
        ("post", f"changes/{n}/transitions", {"to": "cancelled"}, "cancel_reason"),
        (
            "post",
            f"changes/{n}/transitions",
            {"to": "cancelled", "cancel_reason": "a\nb"},
            "cancel_reason",
        ),
        ("post", f"changes/{n}/transitions", {"to": "assess", "outcome": "meh"}, "outcome"),
        ("post", f"changes/{n}/transitions", {"to": "assess", "version": v + 5}, "version"),
        # risk, approvals, conflicts, review, incidents
        ("put", f"changes/{n}/risk", {"answers": []}, "version"),
        ("put", f"changes/{n}/risk", {"version": v}, "answers"),
        (
            "put",
            f"changes/{n}/risk",
            {"version": v, "answers": [{"question": "x", "answer": 1}]},
            "answers.0.question",
        ),
        (
            "put",
            f"changes/{n}/risk",
            {"version": v, "answers": [{"question": 999999, "answer": 1}]},
            "answers.0",
        ),
        ("post", f"changes/{n}/approvals", {}, "decision"),
        ("post", f"changes/{n}/approvals", {"decision": "maybe"}, "decision"),
        ("post", f"changes/{n}/approvals", {"decision": "approved", "comment": "\x00"}, "comment"),
        ("post", f"changes/{n}/approvals", {"decision": "approved"}, "status"),
        ("post", f"changes/{n}/conflicts/override", {}, "reason"),
        ("post", f"changes/{n}/conflicts/override", {"reason": "  "}, "reason"),
        ("put", f"changes/{n}/review", {}, "what_happened"),
        (
            "put",
            f"changes/{n}/review",
            {"what_happened": "x", "follow_ups": [{"owner": 1}]},
            "follow_ups.0.action",
        ),
        (
            "put",
            f"changes/{n}/review",
            {"what_happened": "x", "follow_ups": [{"action": "y", "owner": 999999}]},
            "follow_ups.0.owner",
        ),
        (
            "put",
            f"changes/{n}/review",
            {"what_happened": "x", "follow_ups": [{"action": "y", "due": "soon"}]},
            "follow_ups.0.due",
        ),
        ("post", f"changes/{n}/incidents", {}, "numbers"),
        ("post", f"changes/{n}/incidents", {"numbers": []}, "numbers"),
        ("post", f"changes/{n}/incidents", {"numbers": ["nonsense"]}, "numbers.0"),
        ("post", f"changes/{n}/incidents", {"numbers": ["INC9999999"]}, "numbers"),
        # lists and the calendar
        ("get", "changes", {"queue": "everything"}, "queue"),
        ("get", "changes", {"status": "sleeping"}, "status"),
        ("get", "changes", {"risk": "extreme"}, "risk"),
        ("get", "changes", {"owner": "me"}, "owner"),
        ("get", "changes", {"ci": 0}, "ci"),
        ("get", "changes", {"planned_from": "yesterday"}, "planned_from"),
        ("get", "changes", {"sort": "title; drop table"}, "sort"),
        ("get", "changes", {"limit": 0}, "limit"),
        ("get", "changes/calendar", {"to": end}, "from"),
        ("get", "changes/calendar", {"from": start}, "to"),
        ("get", "changes/calendar", {"from": start, "to": end, "service": "x"}, "service"),
        ("get", "change-templates", {"is_active": "perhaps"}, "is_active"),
        ("get", "blackouts", {"offset": -1}, "offset"),
        # templates
        ("post", "change-templates", {"owning_group": g, **PLANS}, "name"),
        ("post", "change-templates", {"name": "x", **PLANS}, "owning_group"),
        ("post", "change-templates", {"name": "x", "owning_group": g}, "implementation_plan"),
        (
            "post",
            "change-templates",
            {"name": "x", "owning_group": g, "risk": "none", **PLANS},
            "risk",
        ),
        (
            "post",
            "change-templates",
            {"name": "x", "owning_group": g, "tasks": [""], **PLANS},
            "tasks.0",
        ),
        ("post", "change-templates", {"name": "Restart", "owning_group": g, **PLANS}, "name"),
        ("patch", f"change-templates/{t}", {"name": "x"}, "version"),
        ("patch", f"change-templates/{t}", {"version": 1, "name": None}, "name"),
        ("patch", f"change-templates/{t}", {"version": 1, "is_active": "no"}, "is_active"),
        ("patch", f"change-templates/{t}", {"version": 1, "cis": [999999]}, "cis"),
        # windows and blackouts
        ("post", "maintenance-windows", {"hours": {}}, "name"),
        ("post", "maintenance-windows", {"name": "x", "hours": {"mon": "all day"}}, "hours.mon"),
        ("post", "maintenance-windows", {"name": "x", "hours": {"funday": []}}, "hours.funday"),
        (
            "post",
            "maintenance-windows",
            {"name": "x", "hours": {"mon": [["25:00", "26:00"]]}},
            "hours.mon[0]",
        ),
        (
            "post",
            "maintenance-windows",
            {"name": "x", "hours": {"mon": [["01:00", "02:00"]]}, "time_zone": "Mars/Olympus"},
            "time_zone",
        ),
        (
            "post",
            "maintenance-windows",
            {"name": "x", "hours": {}, "ci_classes": [999999]},
            "ci_classes",
        ),
        ("post", "blackouts", {"name": "x", "starts_at": end, "ends_at": start}, "ends_at"),
        ("post", "blackouts", {"name": "x", "starts_at": start, "ends_at": "then"}, "ends_at"),
        ("post", "blackouts", {"name": "x", "kind": "maintenance", "hours": {}}, "kind"),
        ("patch", f"maintenance-windows/{w}", {"name": "x"}, "version"),
        ("patch", f"maintenance-windows/{w}", {"version": 1, "name": None}, "name"),
        ("patch", f"blackouts/{b}", {"version": 1, "services": [999999]}, "services"),
        # risk questions
        ("post", "risk-questions", {"answers": [{"text": "a"}]}, "text"),
        ("post", "risk-questions", {"text": "x"}, "answers"),
        ("post", "risk-questions", {"text": "x", "answers": []}, "answers"),
        (
            "post",
            "risk-questions",
            {"text": "x", "answers": [{"text": "a", "value": -1}]},
            "answers.0.value",
        ),
        (
            "post",
            "risk-questions",
            {"text": "x", "weight": 1.5, "answers": [{"text": "a"}]},
            "weight",
        ),
        ("patch", f"risk-questions/{q}", {"text": "x"}, "version"),
        ("patch", f"risk-questions/{q}", {"version": 1, "answers": None}, "answers"),
        (
            "patch",
            f"risk-questions/{q}",
            {"version": 1, "answers": [{"id": 999999, "text": "a"}]},
            "answers.0.id",
        ),
    ]


def test_every_endpoint_rejects_bad_input(chg, api_as, records):  # noqa: F811
    """Every case is tried; the failures are reported together."""
    client = api_as(chg["manager"])
    wrong = []
    for method, path, body, field in cases(chg, records):
        before = written()
        if method == "get":
            status, data = client.get(path, **body)
        else:
            status, data = getattr(client, method)(path, body)
        if not (
            400 <= status < 500
            and set(data) == {"error"}
            and set(data["error"]) == {"code", "message", "fields"}
            and field in data["error"]["fields"]
            and written() == before
        ):
            wrong.append((method, path, body, field, status, data))
    assert not wrong, "\n".join(repr(w) for w in wrong)


def test_unknown_numbers_and_ids_are_404(chg, api_as):  # noqa: F811
    client = api_as(chg["manager"])
    n = "CHG9999999"
    for method, path, body in [
        ("get", f"changes/{n}", None),
        ("patch", f"changes/{n}", {"version": 1}),
        ("post", f"changes/{n}/transitions", {"to": "assess"}),
        ("put", f"changes/{n}/risk", {"version": 1, "answers": []}),
        ("get", f"changes/{n}/approvals", None),
        ("post", f"changes/{n}/approvals", {"decision": "approved"}),
        ("get", f"changes/{n}/conflicts", None),
        ("post", f"changes/{n}/conflicts/override", {"reason": "x"}),
        ("put", f"changes/{n}/review", {"what_happened": "x"}),
        ("post", f"changes/{n}/incidents", {"numbers": ["INC1"]}),
        ("get", "change-templates/999999", None),
        ("patch", "change-templates/999999", {"version": 1}),
        ("get", "maintenance-windows/999999", None),
        ("patch", "maintenance-windows/999999", {"version": 1}),
        ("get", "blackouts/999999", None),
        ("patch", "blackouts/999999", {"version": 1}),
        ("get", "risk-questions/999999", None),
        ("patch", "risk-questions/999999", {"version": 1}),
    ]:
        if body is None:
            status, data = client.get(path)
        else:
            status, data = getattr(client, method)(path, body)
        assert status == 404, (method, path, data)
