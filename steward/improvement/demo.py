"""Demo improvements: a handful of items in different states with a past.

Loaded after the demo incidents, on the simulated clock (``core.clock``), through the
operations: each item is proposed, approved, worked and reviewed at the time the story says,
so every baseline is captured from the demo's 90 days of incidents as it stood on the day of
approval, and the journal and notifications carry those times. Idempotent: it does nothing
once an item exists.
"""

from __future__ import annotations

import datetime as dt

from steward.core import clock
from steward.improvement import operations as ops
from steward.improvement.choices import Outcome, Status
from steward.improvement.models import ImprovementItem
from steward.incidents.models import MajorIncident
from steward.people.models import User
from steward.services.models import Service

DAY = dt.timedelta(days=1)


def _people() -> dict[str, User]:
    names = [
        "sanne.visser",
        "bram.hendriks",
        "anouk.vanleeuwen",
        "tess.mulder",
        "koen.vermeulen",
        "yvonne.smits",
        "daan.bakker",
        "emma.jansen",
        "noah.peters",
    ]
    return {u.username: u for u in User.objects.filter(username__in=names)}


def _story(now: dt.datetime, p: dict, services: dict, major_number: str) -> list:
    """(days before now, what to do) steps; ``items`` carries the items between steps."""
    items: dict[str, ImprovementItem] = {}
    vpn = services.get("Remote Access (VPN)")
    banking = services.get("Online Banking")
    sanne, bram, anouk = p["sanne.visser"], p["bram.hendriks"], p["anouk.vanleeuwen"]

    def move(key, actor, to, **extra):
        item = items[key]
        items[key] = ops.transition(actor, item, to=to, version=item.version, **extra)

    def propose(key, actor, **fields):
        items[key] = ops.propose(actor, **fields)

    def action(key, actor, title, owner, due):
        return ops.add_action(actor, items[key], title=title, owner=owner, due_date=due)

    today = now.date()
    return [
        (
            62,
            lambda: propose(
                "vpn",
                sanne,
                title="Route VPN incidents straight to the Network team",
                problem=(
                    "VPN incidents are logged at the Service Desk and handed to Network almost "
                    "every time: callers wait for a handover nobody needed."
                ),
                owner=bram,
                service=vpn,
                public=True,
                kpi_key="incident_reassignment_rate",
                kpi_filters={"service": vpn.pk} if vpn else {},
                target=0.3,
                due_date=today + 20 * DAY,
            ),
        ),
        (60, lambda: move("vpn", sanne, Status.APPROVED)),
        (58, lambda: move("vpn", bram, Status.IN_PROGRESS)),
        (
            57,
            lambda: action(
                "vpn",
                bram,
                "Add a VPN category that routes to Network",
                p["noah.peters"],
                today - 40 * DAY,
            ),
        ),
        (
            57,
            lambda: action(
                "vpn",
                bram,
                "Brief the Service Desk on the new category",
                p["tess.mulder"],
                today - 30 * DAY,
            ),
        ),
        (
            35,
            lambda: ops.update_action(
                p["noah.peters"], items["vpn"].actions.order_by("id").first(), done=True
            ),
        ),
        (
            75,
            lambda: propose(
                "mttr",
                anouk,
                title="Shorten the time to resolve Online Banking incidents",
                problem=(
                    "Online Banking incidents take a working day to resolve on average; most "
                    "wait for the Applications team to pick them up."
                ),
                owner=anouk,
                service=banking,
                kpi_key="incident_mttr",
                kpi_filters={"service": banking.pk} if banking else {},
                target=6.0,
                due_date=today - 5 * DAY,
            ),
        ),
        (72, lambda: move("mttr", sanne, Status.APPROVED)),
        (70, lambda: move("mttr", anouk, Status.IN_PROGRESS)),
        (4, lambda: move("mttr", anouk, Status.BENEFITS_REVIEW)),
        (
            55,
            lambda: propose(
                "raised",
                sanne,
                title="Cut the backlog before the month-end close",
                problem="The open backlog grows every month-end and stays high for a week.",
                owner=sanne,
                public=True,
                kpi_key="incident_backlog",
                target=15,
                due_date=today - 12 * DAY,
            ),
        ),
        (54, lambda: move("raised", sanne, Status.APPROVED)),
        (50, lambda: move("raised", sanne, Status.IN_PROGRESS)),
        (12, lambda: move("raised", sanne, Status.BENEFITS_REVIEW)),
        (
            10,
            lambda: move(
                "raised",
                sanne,
                Status.CLOSED,
                outcome=Outcome.ACHIEVED,
                reason="The backlog stayed under target through the month-end.",
            ),
        ),
        (
            20,
            lambda: propose(
                "major",
                anouk,
                title="Fail over core banking without waiting for the vendor",
                problem="The core banking outage lasted hours while we waited for the vendor.",
                owner=p["koen.vermeulen"],
                source=major_number,
                kpi_key="major_incidents",
                target=0,
                due_date=today + 60 * DAY,
            ),
        ),
        (18, lambda: move("major", sanne, Status.APPROVED)),
        (
            30,
            lambda: propose(
                "cab",
                bram,
                title="A weekly review of network changes",
                problem="Network changes are announced too late for the desk to prepare.",
                owner=bram,
            ),
        ),
        (
            25,
            lambda: move(
                "cab",
                sanne,
                Status.CLOSED,
                reason="Changes are coming in their own practice; the review belongs there.",
            ),
        ),
        (
            9,
            lambda: propose(
                "idea",
                p["yvonne.smits"],
                title="Tell callers when a fix is planned",
                problem=(
                    "When online banking is down we hear nothing until it works again; a "
                    "message with the expected time would save many calls."
                ),
            ),
        ),
        (8, lambda: ops.comment(p["daan.bakker"], items["idea"], body="Half our calls are this.")),
        (8, lambda: ops.vote(p["daan.bakker"], items["idea"])),
        (7, lambda: ops.vote(p["emma.jansen"], items["idea"])),
        (6, lambda: ops.vote(p["tess.mulder"], items["idea"])),
    ]


def load(stdout, quiet: bool = False) -> None:
    if ImprovementItem.objects.exists():
        return
    people = _people()
    if len(people) < 9 or not MajorIncident.objects.exists():
        return  # the people and incidents steps did not run
    services = {s.name: s for s in Service.objects.all()}
    major = MajorIncident.objects.select_related("incident").order_by("declared_at").first()
    until = clock.real_now()

    def replay():
        steps = _story(until, people, services, major.incident.number)
        # in time order; the steps of one day keep their written order
        for i in sorted(range(len(steps)), key=lambda i: (-steps[i][0], i)):
            back, step = steps[i]
            clock.set(max(until - back * DAY, clock.now()))
            step()
            ops.notify_due(clock.now())  # the hourly job, as the worker would have run it
        clock.set(until)
        ops.notify_due(until)

    if clock.is_simulated():
        replay()
    else:
        with clock.simulated(until - 80 * DAY):
            replay()
    if not quiet:
        stdout.write(f"improvement: {ImprovementItem.objects.count()} demo improvement items\n")
