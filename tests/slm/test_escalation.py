"""Functional escalation: an SLA's rules hand the incident to the service's next support line
and/or raise its priority when a clock reaches a threshold, once each, journaled with the rule
that made it; the clock is driven by simulated time (``check_clocks(now)``)."""

from __future__ import annotations

import datetime as dt

import pytest

from steward.core.models import JournalEntry
from steward.incidents import operations as incident_ops
from steward.incidents.models import Handover
from steward.services import operations as service_ops
from steward.slm import operations as ops
from steward.slm.models import SlaClock, SlaDefinition

pytestmark = pytest.mark.django_db
HOUR = 3600


@pytest.fixture
def lines(desk):
    """Online Banking: first line the Service Desk, second Database, third Network."""
    service = desk["services"]["retail_live"]
    for line, group in (("first", "desk"), ("second", "database"), ("third", "network")):
        service_ops.set_support(None, service, line, [desk["groups"][group]])
    return desk


def define(admin, escalations, **fields):
    fields.setdefault("name", "Standard P3")
    fields.setdefault("priority", "P3")
    fields.setdefault("response_seconds", HOUR)
    fields.setdefault("resolution_seconds", 8 * HOUR)
    return ops.create_definition(admin, escalations=escalations, **fields)


def resolution_clock(incident) -> SlaClock:
    return SlaClock.objects.get(
        record_type="incident", record_id=str(incident.pk), metric="resolution"
    )


def entries(incident, action):
    return list(JournalEntry.objects.for_record(incident).filter(action=action))


def test_at_75_percent_the_incident_goes_to_the_next_support_line_once(lines, open_one):
    admin = lines["people"]["admin"]
    define(admin, [{"metric": "resolution", "at": 75, "hand_over": True}])
    incident = open_one()  # P3, owned by the Service Desk (first line)
    start = resolution_clock(incident).started_at

    ops.check_clocks(start + dt.timedelta(hours=5))  # 62%: nothing moves
    assert not Handover.objects.filter(incident=incident).exists()

    ops.check_clocks(start + dt.timedelta(hours=6, seconds=1))  # 75% reached
    handover = Handover.objects.get(incident=incident)
    assert handover.status == "pending" and handover.to_group == lines["groups"]["database"]
    assert handover.reason.startswith("SLA Standard P3: at 75% of the resolution target")
    assert handover.requested_by is None  # the system, on the SLA's rule
    (escalated,) = entries(incident, "sla_escalated")
    assert "at 75% of the resolution target: hand over to the next support line" in str(
        escalated.changes
    )
    assert "handed over to Database (waiting for acceptance)" in escalated.comment

    ops.check_clocks(start + dt.timedelta(hours=7))  # the rule has fired: once
    assert Handover.objects.filter(incident=incident).count() == 1
    assert len(entries(incident, "sla_escalated")) == 1


def test_at_the_breach_the_priority_goes_up_one_step_with_the_reason(lines, open_one):
    admin = lines["people"]["admin"]
    define(admin, [{"metric": "resolution", "at": 100, "raise_priority": True}])
    ops.create_definition(admin, name="P2", priority="P2", resolution_seconds=4 * HOUR)
    incident = open_one()
    start = resolution_clock(incident).started_at

    ops.check_clocks(start + dt.timedelta(hours=8))  # exactly at the target: not breached
    incident.refresh_from_db()
    assert incident.priority == 3

    ops.check_clocks(start + dt.timedelta(hours=8, seconds=2))
    incident.refresh_from_db()
    assert incident.priority == 2 and incident.priority_overridden
    (raised,) = entries(incident, "priority_raised")
    assert raised.changes == {"priority": [3, 2]}
    assert raised.comment.startswith("SLA Standard P3: at the breach of the resolution target")
    clock = resolution_clock(incident)
    assert clock.priority == "P2" and clock.target_seconds == 4 * HOUR  # the clock follows
    ops.check_clocks(start + dt.timedelta(hours=12))
    incident.refresh_from_db()
    assert incident.priority == 2  # once


def test_one_rule_may_do_both(lines, open_one):
    admin = lines["people"]["admin"]
    define(admin, [{"metric": "resolution", "at": 50, "hand_over": True, "raise_priority": True}])
    incident = open_one()
    start = resolution_clock(incident).started_at
    ops.check_clocks(start + dt.timedelta(hours=4, seconds=1))
    incident.refresh_from_db()
    assert incident.priority == 2
    assert Handover.objects.get(incident=incident).to_group == lines["groups"]["database"]
    (escalated,) = entries(incident, "sla_escalated")
    assert "priority raised from P3 to P2" in escalated.comment
    assert "handed over to Database" in escalated.comment


def test_what_cannot_be_done_is_journaled_not_raised(desk, open_one):
    admin = desk["people"]["admin"]
    define(
        admin,
        [{"metric": "resolution", "at": 90, "hand_over": True, "raise_priority": True}],
        priority="P1",
        response_seconds=600,
        resolution_seconds=2 * HOUR,
    )
    incident = open_one(impact=1, urgency=1)  # P1; the service has no support lines
    start = resolution_clock(incident).started_at
    ops.check_clocks(start + dt.timedelta(hours=2))
    incident.refresh_from_db()
    assert incident.priority == 1
    assert not Handover.objects.filter(incident=incident).exists()
    (escalated,) = entries(incident, "sla_escalated")
    assert "priority not raised" in escalated.comment and "already P1" in escalated.comment
    assert "not handed over: the service has no next support line" in escalated.comment


def test_a_pending_handover_is_not_doubled(lines, open_one):
    admin = lines["people"]["admin"]
    define(admin, [{"metric": "resolution", "at": 25, "hand_over": True}])
    incident = open_one()
    incident_ops.hand_over(
        lines["people"]["agent"], incident, to_group=lines["groups"]["network"], reason="cables"
    )
    start = resolution_clock(incident).started_at
    ops.check_clocks(start + dt.timedelta(hours=2, seconds=1))
    assert Handover.objects.filter(incident=incident).count() == 1
    assert "already waiting for acceptance" in entries(incident, "sla_escalated")[0].comment


def test_the_last_line_has_no_next_line(lines, open_one):
    incident = open_one(owning_group=lines["groups"]["network"])  # third line owns it
    assert incident_ops.next_support_line(incident) is None
    second = open_one(owning_group=lines["groups"]["database"])
    assert incident_ops.next_support_line(second) == lines["groups"]["network"]


def test_raise_priority_needs_a_reason_and_stops_at_p1(lines, open_one):
    agent = lines["people"]["agent"]
    incident = open_one()
    with pytest.raises(Exception) as refused:
        incident_ops.raise_priority(agent, incident, reason=" ")
    assert refused.value.fields == {"reason": ["required: say why the priority goes up"]}
    incident_ops.raise_priority(agent, incident, reason="VIP caller")
    incident_ops.raise_priority(agent, incident, reason="VIP caller")
    incident.refresh_from_db()
    assert incident.priority == 1
    with pytest.raises(Exception) as top:
        incident_ops.raise_priority(agent, incident, reason="more")
    assert top.value.fields == {"priority": ["is already P1"]}


@pytest.mark.parametrize(
    ("rules", "field"),
    [
        ([{"metric": "resolution", "at": 0, "hand_over": True}], "escalations[0].at"),
        ([{"metric": "resolution", "at": 101, "hand_over": True}], "escalations[0].at"),
        ([{"metric": "breakfast", "at": 50, "hand_over": True}], "escalations[0].metric"),
        ([{"metric": "resolution", "at": 50}], "escalations[0].hand_over"),
        (
            [
                {"metric": "resolution", "at": 50, "hand_over": True},
                {"metric": "resolution", "at": 50, "raise_priority": True},
            ],
            "escalations[1].at",
        ),
        ([{"metric": "resolution", "at": 50, "hand_over": "yes"}], "escalations[0].hand_over"),
    ],
)
def test_the_operation_refuses_bad_rules_naming_the_field(world, rules, field):
    with pytest.raises(Exception) as refused:
        define(world["people"]["admin"], rules)
    assert field in refused.value.fields
    assert not SlaDefinition.objects.exists()


def test_a_rule_needs_the_metric_s_target(world):
    with pytest.raises(Exception) as refused:
        define(
            world["people"]["admin"],
            [{"metric": "response", "at": 50, "hand_over": True}],
            response_seconds=None,
        )
    assert refused.value.fields == {"escalations[0].metric": ["the SLA sets no response target"]}


def test_the_api_reads_and_writes_the_rules(world, api_as):
    admin = world["people"]["admin"]
    status, body = api_as(admin).post(
        "sla-definitions",
        {
            "name": "Gold",
            "resolution_seconds": 4 * HOUR,
            "escalations": [{"metric": "resolution", "at": 100, "raise_priority": True}],
        },
    )
    assert status == 201
    assert body["escalations"] == [
        {"metric": "resolution", "at": 100, "hand_over": False, "raise_priority": True}
    ]
    status, body = api_as(admin).patch(
        f"sla-definitions/{body['id']}",
        {
            "version": body["version"],
            "escalations": [{"metric": "resolution", "at": 75, "hand_over": True}],
        },
    )
    assert status == 200 and body["escalations"][0]["at"] == 75
    assert body["signed_off_by"] is None


@pytest.mark.parametrize(
    ("rules", "field"),
    [
        ([{"metric": "resolution", "at": 0, "hand_over": True}], "escalations"),
        ([{"metric": "resolution", "at": 50, "hand_over": True, "when": "now"}], "escalations"),
        ([{"metric": "resolution", "at": 50}], "escalations[0].hand_over"),
        ([{"metric": "response", "at": 50, "hand_over": True}], "escalations[0].metric"),
        ("often", "escalations"),
    ],
)
def test_the_api_refuses_bad_rules_in_the_one_shape(world, api_as, rules, field):
    status, body = api_as(world["people"]["admin"]).post(
        "sla-definitions",
        {"name": "Gold", "resolution_seconds": 4 * HOUR, "escalations": rules},
    )
    assert status == 422
    assert any(name.startswith(field) for name in body["error"]["fields"]), body
    assert not SlaDefinition.objects.exists()
