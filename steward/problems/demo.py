"""Demo problems, replayed through the operations on the simulated clock after the incidents'
history: a fixed problem whose linked incidents were resolved in bulk, a known error with its
workaround in use while the fix is under way, and a new problem nobody owns yet (an ownership
gap). Idempotent: nothing happens once a problem exists."""

from __future__ import annotations

import datetime as dt

from steward.changes.demo import SESSION_PURGE
from steward.changes.models import ChangeRequest
from steward.core import clock, practices
from steward.incidents.choices import ACTIVE_STATUSES as INCIDENT_ACTIVE
from steward.incidents.models import Incident
from steward.people.models import SupportGroup, User
from steward.problems import operations as ops
from steward.problems.choices import Status
from steward.problems.models import Problem


def _incidents(service: str, since: dt.datetime, until: dt.datetime, limit: int = 12):
    return list(
        Incident.objects.filter(
            service__name=service, created_at__gte=since, created_at__lt=until
        ).order_by("created_at")[:limit]
    )


def _replay(now: dt.datetime) -> int:
    people = {u.username: u for u in User.objects.filter(is_active=True)}
    groups = {g.name: g for g in SupportGroup.objects.all()}
    desk, anouk, bram = people["sanne.visser"], people["anouk.vanleeuwen"], people["bram.hendriks"]
    made = 0

    # 1. Online banking logins fail under load: analysed, fixed, the incidents resolved in bulk
    start = now - dt.timedelta(days=24)
    clock.set(start)
    incidents = _incidents("Online Banking", start - dt.timedelta(days=30), start)
    if incidents:
        problem = ops.create_problem(
            desk,
            title="Online banking logins fail when the session store is full",
            statement="Customers get error 503 at login at peak hours, a few times a week.",
            owning_group=groups["Applications"],
            owner=anouk,
            impact=2,
            urgency=2,
            incidents=incidents,
        )
        clock.set(start + dt.timedelta(days=1))
        ops.transition(anouk, problem, Status.ASSESSMENT)
        clock.set(start + dt.timedelta(days=2))
        ops.transition(anouk, problem, Status.ROOT_CAUSE_ANALYSIS)
        clock.set(start + dt.timedelta(days=6))
        ops.record_rca(
            anouk,
            problem,
            version=problem.version,
            method="five_whys",
            whys=[
                "Logins answer 503 at peak hours",
                "The portal cannot create a session",
                "The session store is full",
                "Expired sessions are removed once a night only",
                "The clean-up job was sized for the old portal's traffic",
            ],
            root_cause="Expired sessions are purged nightly only: the store fills up at peaks.",
            contributing_factors=["Marketing campaign doubled logins in the evening"],
        )
        clock.set(start + dt.timedelta(days=7))
        ops.update_problem(
            anouk,
            problem,
            version=problem.version,
            known_error=True,
            workaround="Run the job 'purge-expired-sessions' on the portal admin console; "
            "logins work again within a minute.",
        )
        ops.transition(anouk, problem, Status.FIX_IN_PROGRESS)
        # the fix is the changes demo's change, closed successful (none: the fix stays open)
        fix = ChangeRequest.objects.filter(title=SESSION_PURGE, status="closed").first()
        if fix is not None or not practices.is_enabled("changes"):
            clock.set(now - dt.timedelta(days=2))
            ops.transition(
                anouk,
                problem,
                Status.RESOLVED,
                fix_description="Sessions are purged every five minutes (change to the portal "
                "job schedule).",
                fix_change=fix,
            )
            clock.set(now - dt.timedelta(hours=1))
            ops.resolve_incidents(anouk, problem)
        made += 1

    # 2. VPN drops: a known error with its workaround in use, the fix under way
    start = now - dt.timedelta(days=21)
    clock.set(start)
    incidents = _incidents("Remote Access (VPN)", start - dt.timedelta(days=30), start)
    if incidents:
        problem = ops.create_problem(
            desk,
            title="VPN sessions drop every ten minutes for home workers",
            statement="Home workers on the new laptops lose their VPN tunnel every ten minutes.",
            owning_group=groups["Network"],
            owner=bram,
            impact=3,
            urgency=2,
            incidents=incidents[:6],
        )
        clock.set(start + dt.timedelta(hours=3))
        ops.transition(bram, problem, Status.ASSESSMENT)
        clock.set(start + dt.timedelta(days=1))
        ops.transition(bram, problem, Status.ROOT_CAUSE_ANALYSIS)
        clock.set(start + dt.timedelta(days=3))
        ops.record_rca(
            bram,
            problem,
            version=problem.version,
            method="fishbone",
            causes={
                "technology": ["Client idle timeout shorter than the gateway's keep-alive"],
                "process": ["The laptop image was not tested on the VPN from home"],
                "supplier": ["Client update changed the default timeout"],
            },
            root_cause="The new VPN client's idle timeout (10 min) is below the gateway's "
            "keep-alive interval (15 min).",
        )
        clock.set(start + dt.timedelta(days=3, hours=2))
        ops.update_problem(
            bram,
            problem,
            version=problem.version,
            known_error=True,
            workaround="Set 'Keep-alive' to 5 minutes in the VPN client's advanced settings "
            "and reconnect.",
        )
        ops.transition(bram, problem, Status.FIX_IN_PROGRESS)
        open_ones = [
            i
            for i in _incidents("Remote Access (VPN)", start, now, limit=50)
            if i.status in INCIDENT_ACTIVE
        ]
        clock.set(now - dt.timedelta(hours=2))
        for incident in open_ones[:2]:
            ops.apply_workaround(people["noah.peters"], incident, problem)
        made += 1

    # 3. A new problem from mailbox incidents that nobody owns yet
    clock.set(now - dt.timedelta(hours=3))
    incidents = _incidents("Email and Calendar", now - dt.timedelta(days=40), now, limit=4)
    ops.create_problem(
        desk,
        title="Shared mailboxes disappear from Outlook after the monthly update",
        owning_group=groups["Server Operations"],
        impact=3,
        urgency=3,
        incidents=incidents,
    )
    return made + 1


def load(stdout, quiet: bool = False) -> None:
    if Problem.objects.exists() or not Incident.objects.exists():
        return
    needed = {"sanne.visser", "anouk.vanleeuwen", "bram.hendriks", "noah.peters"}
    if needed - set(User.objects.filter(username__in=needed).values_list("username", flat=True)):
        return  # the people step did not run
    until = clock.real_now()
    if clock.is_simulated():
        count = _replay(until)
        clock.set(until)
    else:
        with clock.simulated(until - dt.timedelta(days=24)):
            count = _replay(until)
    if not quiet:
        stdout.write(f"problems: {count} demo problems\n")
