"""The demo's past: a deterministic plan of about 90 days of incident work.

Pure Python (no database): :func:`plan` turns a seed and the day the demo is loaded into a
time-ordered list of :class:`Event` — raise, assign, start, note, reply, hold, resume, hand
over, accept, reject, resolve, reopen, cancel, declare major, stakeholder update, review —
which ``incidents.demo`` replays through the operations with the simulated clock
(``core.clock``). The same seed and day give the same plan.

The shape follows the BPI Challenge 2014 incident log (a Dutch bank's service desk,
October to December 2013): most incidents are raised Monday and Tuesday, fewer towards Friday,
almost none at weekends; in office hours with peaks at 9 and 12 and between 14 and 16; most are
priority 4 and 5; about 40% are reassigned at least once and 5% reopened. The numbers are
written here; the demo does not read the log.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

SEED = 2014
DAYS = 90
ZONE = ZoneInfo("Europe/Amsterdam")
OPEN_HOUR, CLOSE_HOUR = 8, 17.5

#: incidents raised per day, Monday first (BPI 2014's weekly shape, scaled to a small bank)
PER_DAY = (3.4, 3.4, 2.7, 2.9, 2.3, 0.15, 0.1)
#: share of incidents raised in each office hour, 07:00 .. 17:00
HOURS = {7: 1, 8: 6, 9: 13, 10: 13, 11: 13, 12: 9, 13: 10, 14: 11, 15: 11, 16: 9, 17: 3}
#: priority: (weight, (impact, urgency)); P1 comes from the major incidents and a few others
PRIORITIES = {2: (5, (1, 2)), 3: (18, (2, 2)), 4: (45, (2, 3)), 5: (32, (3, 3))}
#: working hours of the standard SLA targets (slm.demo.TARGETS): response, resolution
TARGET_HOURS = {1: (0.25, 4), 2: (0.5, 8), 3: (2, 24), 4: (4, 40), 5: (8, 80)}
ROUND_THE_CLOCK = {"Online Banking", "Payments Processing", "Core Banking"}

DESK = "Service Desk"
#: service: (resolver groups, [(title, resolution note), ...])
CATALOGUE = {
    "Online Banking": (
        ["Applications"],
        [
            ("Customer cannot confirm payment with the app", "Reset the device binding."),
            ("Balance page loads slowly in online banking", "Cleared the portal cache."),
            ("Login code by SMS arrives late", "SMS provider queue cleared."),
        ],
    ),
    "Payments Processing": (
        ["Applications", "Database"],
        [
            ("Incoming SEPA file rejected by the payments engine", "File reprocessed."),
            ("Standing orders not executed this morning", "Scheduler restarted."),
        ],
    ),
    "Core Banking": (
        ["Applications", "Database"],
        [
            ("Interest calculation job ends with a warning", "Rerun after index rebuild."),
            ("Account overview shows yesterday's balance", "Replication lag resolved."),
        ],
    ),
    "Corporate Lending Portal": (
        ["Applications"],
        [
            ("Credit application cannot be submitted", "Fixed a missing form field."),
            ("Limit overview export to Excel fails", "Export template corrected."),
        ],
    ),
    "Treasury Dealing": (
        ["Applications"],
        [("Market data feed stale on the dealing screen", "Feed handler restarted.")],
    ),
    "Customer Relationship Management": (
        ["Applications"],
        [
            ("Client file does not open in CRM", "Rebuilt the search index entry."),
            ("Campaign mailing list is empty", "Selection query corrected."),
        ],
    ),
    "Email and Calendar": (
        ["Server Operations"],
        [
            ("Outlook keeps asking for the password", "Credential cache reset."),
            ("Meeting invitations arrive twice", "Removed a duplicate delegate rule."),
            ("Mailbox full warning", "Archive policy applied."),
        ],
    ),
    "Workplace and Laptops": (
        ["Server Operations"],
        [
            ("Laptop does not start after the update", "Rolled back the driver."),
            ("Printer on the third floor prints blank pages", "Replaced the toner unit."),
            ("Docking station does not detect the second screen", "Firmware updated."),
            ("Software install request stuck in the portal", "Package redeployed."),
        ],
    ),
    "Remote Access (VPN)": (
        ["Network", "Security"],
        [
            ("VPN client cannot connect from the hotel", "Switched the client to TCP 443."),
            ("Token for remote access expired", "Token renewed."),
        ],
    ),
    "HR and Payroll": (
        ["Applications"],
        [("Leave request cannot be approved", "Workflow reassigned to the new manager.")],
    ),
    "Financial Reporting": (
        ["Applications", "Database"],
        [("Month-end report times out", "Query plan fixed and statistics refreshed.")],
    ),
}
WRONG_GROUP = {  # the group a desk agent sometimes guesses first, and why it sends it back
    "Applications": ("Network", "Not a network problem: the traffic reaches the servers."),
    "Database": ("Server Operations", "The servers are healthy; this is inside the database."),
    "Server Operations": ("Security", "No security block found; please check the device."),
    "Network": ("Server Operations", "The servers answer; please look at the connection."),
    "Security": ("Network", "No network fault; the account is locked."),
}
CODES = ["solved", "solved", "solved", "workaround", "user_instruction", "not_reproducible"]


@dataclass(frozen=True)
class Event:
    """One step of the history: at ``at``, ``actor`` does ``kind`` to incident ``key``."""

    at: dt.datetime
    key: str
    kind: str
    actor: str = ""  # a username, or "~caller" (the incident's caller)
    data: dict = field(default_factory=dict, compare=True, hash=False)


# --- time --------------------------------------------------------------------------------------


def in_office(t: dt.datetime) -> bool:
    local = t.astimezone(ZONE)
    hour = local.hour + local.minute / 60
    return local.weekday() < 5 and OPEN_HOUR <= hour < CLOSE_HOUR


def _next_opening(t: dt.datetime) -> dt.datetime:
    local = t.astimezone(ZONE)
    day = local.date()
    if local.weekday() < 5 and local.hour + local.minute / 60 < OPEN_HOUR:
        return dt.datetime.combine(day, dt.time(OPEN_HOUR), ZONE)
    day += dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(OPEN_HOUR), ZONE)


def later(t: dt.datetime, minutes: float, office: bool = True) -> dt.datetime:
    """``t`` plus ``minutes`` of working time (office hours) or of wall-clock time."""
    minutes = max(1.0, minutes)
    if not office:
        return t + dt.timedelta(minutes=minutes)
    while True:
        if not in_office(t):
            t = _next_opening(t)
        local = t.astimezone(ZONE)
        closing = dt.datetime.combine(local.date(), dt.time(17, 30), ZONE)
        left = (closing - local).total_seconds() / 60
        if minutes <= left:
            return t + dt.timedelta(minutes=minutes)
        minutes -= left
        t = closing


# --- drawing -----------------------------------------------------------------------------------


def _poisson(rng: random.Random, mean: float) -> int:
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


@dataclass
class People:
    """Who the plan may name: usernames by group, desk agents, callers by service."""

    members: dict[str, list[str]]  # group name -> active members (manager included)
    managers: dict[str, str]
    callers: dict[str, list[str]]  # service name -> requesters of its customers


class _Story:
    """Builds one incident's events in order; each step at least a minute after the last."""

    def __init__(self, key: str, at: dt.datetime, office: bool):
        self.key, self.t, self.office, self.events = key, at, office, []

    def add(self, kind: str, actor: str = "", minutes: float = 0, **data) -> None:
        if self.events:
            self.t = later(self.t, minutes, self.office and minutes > 0)
        self.events.append(Event(self.t, self.key, kind, actor, data))


def _incident(rng: random.Random, key: str, at: dt.datetime, people: People) -> list[Event]:
    service = rng.choice(sorted(CATALOGUE))
    resolvers, titles = CATALOGUE[service]
    title, fix = rng.choice(titles)
    priority = _weighted(rng, {p: w for p, (w, _) in PRIORITIES.items()})
    impact, urgency = PRIORITIES[priority][1]
    office = service not in ROUND_THE_CLOCK  # those are worked (and timed) around the clock
    response_h, resolution_h = TARGET_HOURS[priority]
    caller = rng.choice(people.callers[service])
    desk_agent = rng.choice([u for u in people.members[DESK] if u != people.managers[DESK]])
    story = _Story(key, at, office)
    by_caller = rng.random() < 0.3
    story.add(
        "open",
        caller if by_caller else desk_agent,
        title=title,
        caller=caller,
        service=service,
        impact=impact,
        urgency=urgency,
        description="Raised in the portal." if by_caller else "Reported by phone.",
    )
    shape = rng.random()
    if shape < 0.06:  # a duplicate, cancelled by the desk
        story.add("cancel", desk_agent, rng.uniform(5, 40), comment="Duplicate of an earlier call.")
        return story.events
    # response: most within target, some late (lognormal around 30% of the target)
    response = 60 * response_h * math.exp(rng.gauss(-1.2, 0.75))
    story.add("assign", desk_agent, response * 0.7, assignee=desk_agent)
    story.add("start", desk_agent, response * 0.3)
    # resolution: lognormal around 30% of the target; about one in ten runs late
    work = 60 * resolution_h * math.exp(rng.gauss(-1.2, 0.8))
    owner = desk_agent
    if shape < 0.46:  # the desk fixes it
        story.add("note", desk_agent, work * 0.3, body="Checked with the caller; known issue.")
    else:
        group = rng.choice(resolvers)
        if shape > 0.93 and group in WRONG_GROUP:  # sent to the wrong group first
            wrong, why = WRONG_GROUP[group]
            story.add("handover", desk_agent, work * 0.1, group=wrong, reason=f"Looks like {wrong}")
            story.add("reject", rng.choice(people.members[wrong]), work * 0.1, reason=why)
        story.add("handover", desk_agent, work * 0.1, group=group, reason=f"Needs {group}")
        owner = rng.choice(people.members[group])
        story.add("accept", owner, work * 0.1)
        if 0.80 < shape <= 0.86:  # ping-pong: handed on, handed back
            other = rng.choice([g for g in (*resolvers, DESK) if g != group])
            story.add("handover", owner, work * 0.1, group=other, reason=f"Over to {other}")
            story.add("accept", other_owner := rng.choice(people.members[other]), work * 0.05)
            story.add(
                "handover", other_owner, work * 0.1, group=group, reason="Back: not on our side"
            )
            owner = rng.choice(people.members[group])
            story.add("accept", owner, work * 0.05)
        story.add("note", owner, work * 0.1, body="Found the cause; working on a fix.")
    if rng.random() < 0.15:  # waiting for the caller
        story.add("hold", owner, work * 0.1, reason="awaiting_caller")
        story.add("reply", "~caller", rng.uniform(60, 900), body="Here is the screenshot.")
        story.add("resume", owner, rng.uniform(10, 90))
    story.add("resolve", owner, work * 0.3, code=rng.choice(CODES), notes=fix)
    if rng.random() < 0.06:  # reopened by the caller within a few days, resolved again
        story.add("reopen", "~caller", rng.uniform(120, 1500), comment="It happens again.")
        story.add("resolve", owner, rng.uniform(60, 600), code="solved", notes=f"{fix} Retested.")
    return story.events


def plan(today: dt.date, people: People, *, seed: int = SEED, days: int = DAYS) -> list[Event]:
    """The events of ``days`` days before ``today`` (and of ``today``), in time order."""
    rng = random.Random(seed)  # noqa: S311 - a story, not a secret
    events: list[Event] = []
    for back in range(days, -1, -1):
        day = today - dt.timedelta(days=back)
        for n in range(_poisson(rng, PER_DAY[day.weekday()])):
            hour = _weighted(rng, HOURS) if day.weekday() < 5 else rng.randint(9, 16)
            at = dt.datetime.combine(day, dt.time(hour, rng.randrange(60)), ZONE)
            events += _incident(rng, f"{day:%Y%m%d}-{n}", at, people)
    events.sort(key=lambda e: e.at)
    return events
