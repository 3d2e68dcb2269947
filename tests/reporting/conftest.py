"""A hand-built month of incidents (March 2026, UTC) whose every KPI is worked out by hand in
the tests. The clock is moved by patching ``django.utils.timezone.now``, so every timestamp
(journal, handovers, SLA clocks) is the one the story says."""

from __future__ import annotations

import datetime as dt

import pytest

from steward.incidents import operations as ops
from steward.slm import operations as slm
from tests.incidents.conftest import desk  # noqa: F401  (a fixture)

HOUR = 3600
MARCH = (dt.datetime(2026, 3, 1, tzinfo=dt.UTC), dt.datetime(2026, 4, 1, tzinfo=dt.UTC))
OFFICE = {
    **{d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")},
    "sat": [],
    "sun": [],
}


def t(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=dt.UTC)


class Clock:
    def __init__(self, monkeypatch):
        self.now = t(1, 1, 0)
        monkeypatch.setattr("django.utils.timezone.now", lambda: self.now)

    def __call__(self, moment: dt.datetime) -> Clock:
        self.now = moment
        return self


@pytest.fixture
def month(desk, monkeypatch):  # noqa: F811
    """The story (times UTC; the SLA calendar is Monday to Friday 09:00-17:00 UTC):

    A  P3 desk, Online Banking, retail. Mon 03-02 09:00 raised, 09:30 in progress, 11:00 on
       hold, 12:00 in progress, 13:00 resolved. No handover.
    B  P3 desk, Online Banking, retail. Tue 03-03 09:00 raised, 09:30 in progress, 10:00 handed
       to Database, 11:00 accepted; 12:00 handed back to Service Desk, 14:00 accepted (A→B→A);
       Wed 03-04 11:00 resolved.
    C  P1 desk, Treasury, corporate. Wed 03-04 09:00 raised, 09:10 in progress, 09:30 declared
       major; 10:00 handed to Database, 10:20 rejected; 12:00 handed to Network, 12:15
       accepted; 15:00 resolved; Fri 03-06 15:00 review recorded.
    D  P3 desk, Online Banking, retail. Fri 02-20 09:00 raised, 09:30 in progress, 12:00
       resolved; Thu 03-05 09:00 reopened, 10:00 resolved again.
    E  P3 Network, Online Banking, retail. Tue 03-10 09:00 raised, 09:45 in progress, 11:00
       handed to Database (still pending).
    F  P3 desk, no service, retail. Fri 03-20 09:00 raised, 11:00 in progress (still open).
    G  P3 desk, Treasury, retail. Wed 03-25 09:00 raised, Thu 03-26 09:00 cancelled.
    H  P3 desk, Online Banking, retail. Tue 02-10 09:00 raised, 09:20 in progress, Wed 02-11
       09:00 on hold (still).
    """
    clock = Clock(monkeypatch)
    people, groups, services = desk["people"], desk["groups"], desk["services"]
    admin, agent, dba, owner = people["admin"], people["agent"], desk["dba"], desk["owner"]
    manager = desk["dbmanager"]
    clock(t(1, 5, 8))
    office = slm.create_calendar(admin, name="Office", time_zone="UTC", hours=OFFICE)
    for p, resolution in (("P3", 16 * HOUR), ("P1", 4 * HOUR)):
        slm.create_definition(
            admin,
            name=p,
            priority=p,
            response_seconds=HOUR,
            resolution_seconds=resolution,
            calendar=office,
        )
    slm.set_ola(
        admin,
        groups["database"],
        handover_acceptance_seconds=1800,
        time_with_group_seconds=4 * HOUR,
    )

    def raise_(at, group="desk", service="retail_live", caller="requester", level=2, title="x"):
        clock(at)
        return ops.open_incident(
            agent,
            title=title,
            caller=people[caller],
            impact=level,
            urgency=level,
            service=services[service] if service else None,
            owning_group=groups[group],
        )

    def move(incident, at, to, **extra):
        clock(at)
        incident.refresh_from_db()
        if to == "resolved":
            extra = {"resolution_code": "solved", "resolution_notes": "fixed", **extra}
        return ops.transition(agent, incident, to, **extra)

    def hand(incident, at, to, by=agent):
        clock(at)
        incident.refresh_from_db()
        return ops.hand_over(by, incident, to_group=groups[to], reason="needs them")

    def accept(handover, at, by):
        clock(at)
        return ops.accept_handover(by, handover)

    # H and D: the previous period
    h = raise_(t(2, 10, 9), title="H")
    move(h, t(2, 10, 9, 20), "in_progress")
    move(h, t(2, 11, 9), "on_hold", hold_reason="awaiting_caller")
    d = raise_(t(2, 20, 9), title="D")
    move(d, t(2, 20, 9, 30), "in_progress")
    move(d, t(2, 20, 12), "resolved")

    a = raise_(t(3, 2, 9), title="A")
    move(a, t(3, 2, 9, 30), "in_progress")
    move(a, t(3, 2, 11), "on_hold", hold_reason="awaiting_caller")
    move(a, t(3, 2, 12), "in_progress")
    move(a, t(3, 2, 13), "resolved")

    b = raise_(t(3, 3, 9), title="B")
    move(b, t(3, 3, 9, 30), "in_progress")
    accept(hand(b, t(3, 3, 10), "database"), t(3, 3, 11), dba)
    accept(hand(b, t(3, 3, 12), "desk", by=dba), t(3, 3, 14), agent)
    move(b, t(3, 4, 11), "resolved")

    c = raise_(t(3, 4, 9), service="corporate_live", caller="outsider", level=1, title="C")
    move(c, t(3, 4, 9, 10), "in_progress")
    clock(t(3, 4, 9, 30))
    ops.declare_major(manager, c, reason="Treasury down", manager=manager)
    rejected = hand(c, t(3, 4, 10), "database")
    clock(t(3, 4, 10, 20))
    ops.reject_handover(dba, rejected, reason="not ours")
    accept(hand(c, t(3, 4, 12), "network"), t(3, 4, 12, 15), owner)
    move(c, t(3, 4, 15), "resolved")

    move(d, t(3, 5, 9), "in_progress")  # a reopen
    move(d, t(3, 5, 10), "resolved")

    clock(t(3, 6, 15))
    c.refresh_from_db()
    ops.record_review(manager, c, cause="A full disk", actions=[("Add monitoring", manager)])

    e = raise_(t(3, 10, 9), group="network", title="E")
    move(e, t(3, 10, 9, 45), "in_progress")
    hand(e, t(3, 10, 11), "database")

    f = raise_(t(3, 20, 9), service=None, title="F")
    move(f, t(3, 20, 11), "in_progress")

    g = raise_(t(3, 25, 9), service="corporate_live", title="G")
    move(g, t(3, 26, 9), "cancelled")

    clock(t(4, 2, 12))
    incidents = {i.title: i for i in (a, b, c, d, e, f, g, h)}
    for i in incidents.values():
        i.refresh_from_db()
    return {**desk, "incidents": incidents, "clock": clock}


def switch_off(admin, key: str) -> None:
    """Switch a practice off, and first the practices that depend on it (service reviews and
    improvement need reporting; problems need incidents)."""
    from steward.core import operations as core_ops
    from steward.core import practices

    for dependent in practices.dependents(key):
        if practices.is_enabled(dependent.key):
            switch_off(admin, dependent.key)
    core_ops.set_practice_enabled(admin, key, False)
