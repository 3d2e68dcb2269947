"""Demo incidents: about 90 days of history replayed through the operations.

``demo_history.plan`` draws the past (seeded, so every load tells the same story); this module
adds the fixed stories — three major incidents with their reviews, and the five named
incidents of the last working day that the docs and tests refer to — and replays everything in
time order with the simulated clock (``core.clock``) set to each event's time. The periodic
jobs run as they would have: SLA warnings and breaches, overdue handovers, closing resolved
incidents after a week. What is still open at the end is the desk's queue today.
"""

from __future__ import annotations

import datetime as dt

from steward.core import clock
from steward.incidents import demo_history as history
from steward.incidents import operations as ops
from steward.incidents.demo_history import Event
from steward.incidents.models import Incident
from steward.notifications import operations as notifications
from steward.people.models import SupportGroup, User
from steward.services.models import Service
from steward.slm.operations import check_clocks

ZONE = history.ZONE
NAMED = "named"
READ_UNTIL = dt.timedelta(days=3)  # notifications older than this were read
PHONE = "Reported by phone to the Service Desk."

# title: (caller, service, impact, urgency)
INCIDENTS = {
    "Online banking login fails with error 503": ("yvonne.smits", "Online Banking", 1, 1),
    "Outgoing SEPA batch stuck since 06:00": ("femke.huisman", "Payments Processing", 1, 2),
    "VPN drops every ten minutes when working from home": (
        "dennis.maas",
        "Remote Access (VPN)",
        3,
        2,
    ),
    "Shared mailbox 'Mortgages' not visible in Outlook": (
        "ahmed.elamrani",
        "Email and Calendar",
        3,
        3,
    ),
    "Payroll report shows last month's figures": ("saskia.verbeek", "HR and Payroll", 2, 2),
}

# days back, start, title, caller, service, resolver group, manager, minutes to resolve,
# cause, follow-up actions (description, owner)
MAJORS = [
    (
        74,
        (9, 20),
        "Branches cannot open accounts: core banking unavailable",
        "johan.veenstra",
        "Core Banking",
        "Applications",
        "anouk.vanleeuwen",
        190,
        "The nightly batch overran into office hours and held the account tables locked.",
        [
            ("Alert when the batch queue is still running at 07:00", "koen.vermeulen"),
            ("Rehearse the core banking failover twice a year", "fleur.vandijk"),
        ],
    ),
    (
        45,
        (14, 5),
        "Card payments declined at every branch",
        "femke.huisman",
        "Payments Processing",
        "Database",
        "koen.vermeulen",
        100,
        "A full transaction log stopped the payments database from accepting writes.",
        [("Monitor log space with a warning at 80%", "iris.hoekstra")],
    ),
    (
        19,
        (10, 30),
        "Online banking unavailable: certificate expired",
        "yvonne.smits",
        "Online Banking",
        "Security",
        "lars.koster",
        150,
        "The load balancer's certificate expired; its renewal reminder went to a former colleague.",
        [
            ("Inventory every certificate with an owner group", "stijn.jacobs"),
            ("Renew certificates automatically where the issuer allows it", "noah.peters"),
        ],
    ),
]


def _weekday_before(day: dt.date, back: int) -> dt.date:
    day -= dt.timedelta(days=back)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def _at(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), ZONE)


def _major_events(today: dt.date) -> list[Event]:
    events = []
    for n, major in enumerate(MAJORS):
        back, (h, m), title, caller, service, group, manager, minutes, cause, actions = major
        key, t = f"major-{n}", _at(_weekday_before(today, back), h, m)

        def add(after: float, kind: str, actor: str = "", key=key, t0=t, **data):
            events.append(Event(t0 + dt.timedelta(minutes=after), key, kind, actor, data))

        what = {"title": title, "caller": caller, "service": service, "impact": 1, "urgency": 1}
        add(0, "open", "tess.mulder", **what, description="Several branches called at once.")
        add(4, "assign", "tess.mulder", assignee="tess.mulder")
        add(6, "start", "tess.mulder")
        add(12, "major", "sanne.visser", manager=manager, reason="Customers cannot be served.")
        # the plan: every 30 minutes, the incident process owner named as a stakeholder
        add(13, "plan", manager, cadence=30, stakeholders=["sanne.visser"])
        add(14, "handover", "tess.mulder", group=group, reason=f"Major incident: {group} leads")
        add(16, "update", manager, moment="initial", body=None)  # the template, in each language
        add(18, "accept", manager)
        add(30, "update", manager, body="We know the cause and are restoring the service.")
        add(minutes * 0.7, "update", manager, body="Service partly back; monitoring closely.")
        add(minutes, "resolve", manager, code="solved", notes="Service restored and verified.")
        add(minutes + 5, "update", manager, moment="resolved", body=None)
        add(minutes + 2 * 24 * 60, "review", manager, cause=cause, actions=actions)
    return events


def _named_events(today: dt.date) -> list[Event]:
    """The five named incidents of the last working day (tests and docs refer to them)."""
    day = _weekday_before(today, 1)
    titles = list(INCIDENTS)
    login, sepa, vpn, mailbox, payroll = (f"{NAMED}-{n}" for n in range(5))
    events = [
        Event(_at(day, 7, 50 + n), f"{NAMED}-{n}", "open", "sanne.visser", {"title": title})
        for n, title in enumerate(titles)
    ]

    def add(h: int, m: int, key: str, kind: str, actor: str, **data):
        events.append(Event(_at(day, h, m), key, kind, actor, data))

    add(8, 0, login, "assign", "sanne.visser", assignee="daan.bakker")
    add(8, 5, login, "start", "daan.bakker")
    note = "Load balancer health checks fail for two of four nodes. @Network please look."
    add(8, 20, login, "note", "daan.bakker", time_spent=10, body=note)
    note = "Restarted the portal nodes; the 503s come back within a minute."
    reason = "Load balancer health checks failing"
    add(8, 25, login, "handover", "daan.bakker", group="Network", reason=reason, note=note)
    add(8, 40, login, "accept", "noah.peters")
    reply = "We found the cause and are fixing it; expect service back within the hour."
    add(9, 10, login, "reply", "noah.peters", body=reply)
    add(8, 10, sepa, "start", "sanne.visser")
    note = "Checked the scheduler: the job is running but has processed nothing since 06:00."
    reason = "Batch job in the payments engine is not progressing"
    add(8, 30, sepa, "handover", "sanne.visser", group="Applications", reason=reason, note=note)
    add(9, 0, mailbox, "assign", "sanne.visser", assignee="emma.jansen")
    add(9, 5, mailbox, "start", "emma.jansen")
    notes = "Added the mailbox under File > Account settings; visible again."
    add(9, 35, mailbox, "resolve", "emma.jansen", code="user_instruction", notes=notes)
    add(8, 15, vpn, "start", "sanne.visser")
    add(8, 45, vpn, "hold", "sanne.visser", reason="awaiting_caller")
    del payroll  # raised, still new: waiting for someone to pick it up
    return events


class Replay:
    """Runs events through the operations, the clock at each event's time."""

    def __init__(self):
        self.users = {u.username: u for u in User.objects.all()}
        self.groups = {g.name: g for g in SupportGroup.objects.all()}
        self.services = {s.name: s for s in Service.objects.all()}
        self.incidents: dict[str, Incident] = {}
        self.handovers: dict[str, object] = {}
        self.checked = self.closed = None

    def jobs(self, now: dt.datetime) -> None:
        """The periodic jobs, as the worker would have run them by ``now`` (less often than
        the worker does, which changes only when a warning or a breach is told, not what)."""
        if self.checked is None or now - self.checked >= dt.timedelta(minutes=30):
            check_clocks(now)
            self.checked = now
        if self.closed is None or now - self.closed >= dt.timedelta(hours=4):
            ops.notify_overdue_handovers(now)
            ops.close_resolved(now - dt.timedelta(days=ops.auto_close_days()))
            self.closed = now

    def run(self, e: Event) -> None:
        incident = self.incidents.get(e.key)
        if incident is None and e.kind != "open":
            return  # its incident was never raised (before the history began)
        caller = incident.caller if incident is not None else None
        actor = caller if e.actor == "~caller" else self.users.get(e.actor)
        d = e.data
        u = self.users.__getitem__
        if e.kind == "open":
            title = d["title"]
            if e.key.startswith(NAMED):
                caller_name, service, impact, urgency = INCIDENTS[title]
                d = {
                    **d,
                    **{"caller": caller_name, "service": service, "impact": impact},
                    **{"urgency": urgency, "description": PHONE},
                }
            self.incidents[e.key] = ops.open_incident(
                actor,
                title=title,
                caller=u(d["caller"]),
                service=self.services[d["service"]],
                impact=d["impact"],
                urgency=d["urgency"],
                description=d["description"],
            )
        elif e.kind == "assign":
            ops.assign(actor, incident, u(d["assignee"]))
        elif e.kind == "start":
            ops.transition(actor, incident, "in_progress")
        elif e.kind in ("note", "reply"):
            visibility = "public" if e.kind == "reply" else "internal"
            spent = d.get("time_spent", 0)
            ops.add_comment(
                actor, incident, body=d["body"], visibility=visibility, time_spent=spent
            )
        elif e.kind == "hold":
            ops.transition(actor, incident, "on_hold", hold_reason=d["reason"])
        elif e.kind == "resume":
            ops.transition(actor, incident, "in_progress")
        elif e.kind == "handover":
            group, note = self.groups[d["group"]], d.get("note", "")
            self.handovers[e.key] = ops.hand_over(
                actor, incident, to_group=group, reason=d["reason"], note=note
            )
        elif e.kind == "accept":
            ops.accept_handover(actor, self.handovers.pop(e.key), take_assignment=True)
        elif e.kind == "reject":
            ops.reject_handover(actor, self.handovers.pop(e.key), reason=d["reason"])
        elif e.kind == "resolve":
            ops.transition(
                actor, incident, "resolved", resolution_code=d["code"], resolution_notes=d["notes"]
            )
        elif e.kind == "reopen":
            ops.transition(actor, incident, "in_progress", comment=d["comment"])
        elif e.kind == "cancel":
            ops.transition(actor, incident, "cancelled", comment=d["comment"])
        elif e.kind == "major":
            ops.declare_major(actor, incident, reason=d["reason"], manager=u(d["manager"]))
        elif e.kind == "plan":
            plan = ops.plan_of(incident.major)
            ops.set_plan(
                actor,
                incident,
                version=plan.version,
                cadence_minutes=d["cadence"],
                stakeholders=[u(name) for name in d["stakeholders"]],
            )
        elif e.kind == "update":
            kind = d.get("moment", "progress")
            ops.post_stakeholder_update(actor, incident, body=d["body"], kind=kind)
        elif e.kind == "review":
            actions = [(text, u(owner)) for text, owner in d["actions"]]
            ops.record_review(actor, incident, cause=d["cause"], actions=actions)


def people() -> history.People:
    groups = SupportGroup.objects.prefetch_related("members").select_related("manager")
    members = {g.name: sorted(m.username for m in g.members.all() if m.is_active) for g in groups}
    managers = {g.name: g.manager.username for g in groups if g.manager}
    callers = {}
    for service in Service.objects.prefetch_related("customers"):
        orgs = [o.pk for o in service.customers.all()]
        callers[service.name] = sorted(
            User.objects.filter(organization__in=orgs, is_active=True).values_list(
                "username", flat=True
            )
        )
    return history.People(members, managers, callers)


def events(today: dt.date) -> list[Event]:
    """Everything that happens, in time order (the plan, the majors, the named five)."""
    planned = history.plan(today, people())
    return sorted([*planned, *_major_events(today), *_named_events(today)], key=lambda e: e.at)


def _everyone_reads_their_notifications() -> None:
    """People kept up with their notifications until a few days ago: the bell shows what is
    new, not three months of demo."""
    for user in User.objects.filter(is_active=True).order_by("pk"):
        notifications.mark_all_read(user)


def replay(until: dt.datetime) -> None:
    """Replay the history up to ``until`` (the real now), moving the simulated clock."""
    today = until.astimezone(ZONE).date()
    player = Replay()
    caught_up = until - READ_UNTIL
    for event in events(today):
        if event.at > until:
            break
        if caught_up is not None and event.at >= caught_up:
            clock.set(max(caught_up, clock.now()))
            _everyone_reads_their_notifications()
            caught_up = None
        clock.set(max(event.at, clock.now()))
        player.jobs(clock.now())
        player.run(event)
    clock.set(until)
    player.jobs(until)  # what the worker would have done overnight


def load(stdout, quiet: bool = False) -> None:
    if Incident.objects.exists():
        return
    users = set(User.objects.values_list("username", flat=True))
    if "sanne.visser" not in users or not Service.objects.exists():
        return  # the people and services steps did not run
    until = clock.real_now()
    if clock.is_simulated():
        replay(until)
    else:
        with clock.simulated(until - dt.timedelta(days=history.DAYS + 2)):
            replay(until)
    if not quiet:
        count = Incident.objects.count()
        stdout.write(f"incidents: {count} demo incidents over {history.DAYS} days\n")
