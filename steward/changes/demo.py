"""Demo changes, replayed through the operations on the simulated clock after the incidents'
history: the change board (CAB) and who authorizes what, the risk questionnaire and rules, a
Saturday-night maintenance window and the year-end freeze, a standard template used every
week, and changes in every state — peer-reviewed, authorized by the change manager and by the
CAB, an emergency change that failed and was reviewed, one that caused an incident, one waiting
for the change manager, one nobody owns yet whose window conflicts. Idempotent: nothing happens
once a change exists."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from steward.changes import operations as ops
from steward.changes.choices import (
    AuthorityLevel,
    ChangeType,
    Outcome,
    Risk,
    RiskRuleKind,
    Status,
    WindowKind,
)
from steward.changes.models import ChangeBoard, ChangeRequest, RiskQuestion
from steward.core import clock
from steward.incidents.models import Incident
from steward.people import operations as people_ops
from steward.people.models import SupportGroup, User
from steward.services.models import CIClass, ConfigurationItem, Service

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
#: The change that fixes the problems demo's online banking logins (it looks it up by title).
SESSION_PURGE = "Purge expired portal sessions every five minutes"
CAB_MEMBERS = [
    "linda.kuipers",
    "fleur.vandijk",
    "koen.vermeulen",
    "bram.hendriks",
    "anouk.vanleeuwen",
]
QUESTIONS = [
    (
        "How many people notice the change while it is made?",
        2,
        [("Nobody", 0), ("One team or branch", 3), ("A whole service's users", 6)],
    ),
    (
        "Has this change been made before?",
        1,
        [("Routinely", 0), ("Once or twice", 2), ("Never", 5)],
    ),
    (
        "Can it be backed out within the window?",
        2,
        [("Yes, tested", 0), ("Yes, untested", 3), ("No", 6)],
    ),
]


def _saturday_night(now: dt.datetime, weeks_ahead: int) -> dt.datetime:
    """23:00 Amsterdam time on the Saturday ``weeks_ahead`` weeks from ``now``'s week."""
    local = now.astimezone(AMSTERDAM)
    saturday = local.date() + dt.timedelta(days=(5 - local.weekday()) % 7 + 7 * weeks_ahead)
    return dt.datetime.combine(saturday, dt.time(23), AMSTERDAM).astimezone(dt.UTC)


def _admin_data(people, groups) -> dict:
    linda = people["linda.kuipers"]
    cab_group = groups.get("Change Advisory Board") or people_ops.create_group(
        None,
        name="Change Advisory Board",
        manager=linda,
        members=[people[u] for u in CAB_MEMBERS],
    )
    board = ChangeBoard.objects.filter(group=cab_group).first() or ops.create_board(
        linda, group=cab_group, quorum=3, change_manager_required=True, meets_on="Tuesdays 14:00"
    )
    ops.set_authority(
        linda, type=ChangeType.NORMAL, risk=Risk.HIGH, level=AuthorityLevel.BOARD, board=board
    )
    if not RiskQuestion.objects.exists():
        for order, (text, weight, options) in enumerate(QUESTIONS):
            ops.create_question(
                linda,
                text=text,
                weight=weight,
                order=order,
                answers=[{"text": t, "value": v, "order": i} for i, (t, v) in enumerate(options)],
            )
    ops.create_risk_rule(
        linda,
        name="Affects a service of criticality 1",
        kind=RiskRuleKind.SERVICE_CRITICALITY,
        parameter=1,
        minimum=Risk.HIGH,
    )
    ops.create_risk_rule(
        linda,
        name="No successful change on the CI in 90 days",
        kind=RiskRuleKind.NO_RECENT_SUCCESS,
        parameter=90,
        minimum=Risk.MODERATE,
    )
    ops.create_risk_rule(
        linda,
        name="An outage is expected",
        kind=RiskRuleKind.OUTAGE_EXPECTED,
        minimum=Risk.MODERATE,
    )
    classes = {c.name: c for c in CIClass.objects.filter(name__in=["Server", "Virtual machine"])}
    ops.create_window(
        linda,
        kind=WindowKind.MAINTENANCE,
        name="Saturday night",
        description="Servers and virtual machines are changed on Saturday night.",
        time_zone="Europe/Amsterdam",
        hours={"sat": [["22:00", "24:00"]], "sun": [["00:00", "06:00"]]},
        ci_classes=list(classes.values()),
    )
    return board


def _answers(*choices) -> dict[int, int]:
    """The questionnaire answers ``(question text, answer text)`` as ids."""
    out = {}
    for question, answer in choices:
        found = RiskQuestion.objects.get(text=question)
        out[found.pk] = found.answers.get(text=answer).pk
    return out


PLANS = {
    "implementation_plan": "1. Announce the start in the change channel.\n2. Apply the change.\n"
    "3. Run the smoke tests.",
    "backout_plan": "Restore the snapshot taken before the change (15 minutes).",
    "test_plan": "The service's smoke tests, then a login by the service owner's team.",
    "communication_plan": "The service desk and the customers' contacts are told a week "
    "before and when it is done.",
}


def _replay(now: dt.datetime) -> int:
    people = {u.username: u for u in User.objects.filter(is_active=True)}
    groups = {g.name: g for g in SupportGroup.objects.all()}
    services = {s.name: s for s in Service.objects.all()}
    cis = {c.name: c for c in ConfigurationItem.objects.all()}
    linda, fleur, koen = people["linda.kuipers"], people["fleur.vandijk"], people["koen.vermeulen"]
    bram, noah, jesse = people["bram.hendriks"], people["noah.peters"], people["jesse.bos"]
    iris, lotte = people["iris.hoekstra"], people["lotte.vos"]
    clock.set(now - dt.timedelta(days=60))
    _admin_data(people, groups)
    made = 0

    # 1. A standard change, every Saturday night: patching the online banking VM
    template = ops.create_template(
        linda,
        name="Monthly OS patches on a Linux virtual machine",
        description="Security and OS patches from the approved repository, with a snapshot.",
        owning_group=groups["Server Operations"],
        implementation_plan="Snapshot, apply the approved patches, reboot, run the checks.",
        backout_plan="Revert to the snapshot.",
        test_plan="The VM's health checks and the application's smoke tests.",
        communication_plan="Listed on the change calendar; no outage beyond the reboot.",
        risk=Risk.LOW,
        impact="low",
        tasks=["Take a snapshot", "Apply the patches", "Reboot", "Run the checks"],
    )
    for weeks_ago, vm in ((6, "vm-online-banking-01"), (4, "vm-crm-01"), (2, "vm-lending-01")):
        start = _saturday_night(now, -weeks_ago)
        clock.set(start - dt.timedelta(days=3))
        change = ops.create_change(
            jesse,
            title=f"OS patches on {vm}",
            owning_group=groups["Server Operations"],
            template=template,
            owner=jesse,
            implementer=jesse,
            cis=[cis[vm]],
            planned_start=start,
            planned_end=start + dt.timedelta(hours=2),
        )
        for to in (Status.ASSESS, Status.AUTHORIZE, Status.SCHEDULED):
            ops.move_change(jesse, change, to)
        clock.set(start)
        ops.move_change(jesse, change, Status.IMPLEMENT)
        clock.set(start + dt.timedelta(hours=1, minutes=20))
        ops.move_change(jesse, change, Status.REVIEW, outcome=Outcome.SUCCESSFUL)
        clock.set(start + dt.timedelta(days=2))
        _close(jesse, change, "Patched and rebooted within the window.")
        made += 1

    # 2. A normal low-risk change, peer-reviewed: a firewall rule for a payments partner
    start = _saturday_night(now, -5)
    clock.set(start - dt.timedelta(days=6))
    change = ops.create_change(
        noah,
        title="Allow the new SEPA partner through fw-edge-01",
        reason="The payments partner moves to a new data centre on the 1st.",
        owning_group=groups["Network"],
        owner=noah,
        implementer=noah,
        cis=[cis["fw-edge-01"]],
        planned_start=start,
        planned_end=start + dt.timedelta(minutes=30),
        answers=_answers(
            (QUESTIONS[0][0], "Nobody"),
            (QUESTIONS[1][0], "Routinely"),
            (QUESTIONS[2][0], "Yes, tested"),
        ),
        **PLANS,
    )
    ops.move_change(noah, change, Status.ASSESS)
    ops.move_change(noah, change, Status.AUTHORIZE)
    clock.set(start - dt.timedelta(days=5))
    _authorize(change, people["mila.kok"], "Rule reviewed.")
    ops.move_change(noah, change, Status.SCHEDULED)
    clock.set(start)
    ops.move_change(noah, change, Status.IMPLEMENT)
    clock.set(start + dt.timedelta(minutes=25))
    ops.move_change(noah, change, Status.REVIEW, outcome=Outcome.SUCCESSFUL)
    _close(noah, change, "The partner's traffic flows through the new rule.")
    made += 1

    # 3. The change manager's: a database upgrade that went with issues and caused an incident
    start = _saturday_night(now, -3)
    clock.set(start - dt.timedelta(days=9))
    change = ops.create_change(
        iris,
        title="Upgrade pg-cluster-01 to PostgreSQL 17",
        reason="PostgreSQL 16 leaves support; 17 brings the faster vacuum the CRM needs.",
        owning_group=groups["Database"],
        owner=koen,
        implementer=iris,
        cis=[cis["pg-cluster-01"]],
        planned_start=start,
        planned_end=start + dt.timedelta(hours=4),
        outage_expected=True,
        outage_minutes=45,
        answers=_answers(
            (QUESTIONS[0][0], "One team or branch"),
            (QUESTIONS[1][0], "Once or twice"),
            (QUESTIONS[2][0], "Yes, tested"),
        ),
        **PLANS,
    )
    ops.move_change(koen, change, Status.ASSESS)
    ops.move_change(koen, change, Status.AUTHORIZE)
    clock.set(start - dt.timedelta(days=6))
    _authorize(change, iris, "Backout tested in acceptance.")
    ops.move_change(koen, change, Status.SCHEDULED)
    clock.set(start)
    ops.move_change(iris, change, Status.IMPLEMENT)
    clock.set(start + dt.timedelta(hours=5))
    ops.move_change(
        iris,
        change,
        Status.REVIEW,
        outcome=Outcome.WITH_ISSUES,
        outcome_notes="Done an hour late: the statistics were rebuilt before the CRM was fast.",
    )
    caused = (
        Incident.objects.filter(
            service__name="Customer Relationship Management",
            created_at__gte=start,
            created_at__lt=start + dt.timedelta(days=2),
        )
        .order_by("created_at")
        .first()
    )
    if caused is not None:
        ops.link_incident(koen, change, caused)
    clock.set(start + dt.timedelta(days=2))
    ops.record_review(
        koen,
        change,
        what_happened="The upgrade took five hours instead of four; the CRM was slow "
        "on Monday morning until the statistics were rebuilt.",
        cause="The runbook did not include ANALYZE after pg_upgrade.",
        follow_ups=[{"action": "Add ANALYZE to the upgrade runbook", "owner": iris.pk}],
    )
    ops.move_change(koen, change, Status.CLOSED)
    made += 1

    # 3b. The fix of the problems demo's online banking logins: the session purge job
    start = _saturday_night(now, -2)
    clock.set(start - dt.timedelta(days=5))
    change = ops.create_change(
        people["ruben.brouwer"],
        title=SESSION_PURGE,
        reason="Logins fail at peak hours when the session store fills up (a known error).",
        owning_group=groups["Applications"],
        owner=people["anouk.vanleeuwen"],
        implementer=people["ruben.brouwer"],
        cis=[cis["app-online-banking"]],
        planned_start=start,
        planned_end=start + dt.timedelta(minutes=30),
        answers=_answers(
            (QUESTIONS[0][0], "Nobody"),
            (QUESTIONS[1][0], "Once or twice"),
            (QUESTIONS[2][0], "Yes, tested"),
        ),
        **PLANS,
    )
    ops.move_change(people["anouk.vanleeuwen"], change, Status.ASSESS)
    ops.move_change(people["anouk.vanleeuwen"], change, Status.AUTHORIZE)
    clock.set(start - dt.timedelta(days=3))
    _authorize(change, people["sophie.degroot"], "A job schedule change.")
    ops.move_change(people["anouk.vanleeuwen"], change, Status.SCHEDULED)
    clock.set(start)
    ops.move_change(people["ruben.brouwer"], change, Status.IMPLEMENT)
    clock.set(start + dt.timedelta(minutes=20))
    ops.move_change(people["ruben.brouwer"], change, Status.REVIEW, outcome=Outcome.SUCCESSFUL)
    clock.set(start + dt.timedelta(days=1))
    _close(people["anouk.vanleeuwen"], change, "The job runs every five minutes; no login failed.")
    made += 1

    # 4. An emergency change that failed and was backed out, with its review
    start = now - dt.timedelta(days=12)
    clock.set(start)
    change = ops.create_change(
        bram,
        title="Emergency: patch fw-edge-01 for the VPN portal vulnerability",
        reason="The vendor's advisory: remote code execution on the VPN portal, exploited.",
        type=ChangeType.EMERGENCY,
        owning_group=groups["Network"],
        owner=bram,
        implementer=noah,
        cis=[cis["fw-edge-01"]],
        services=[services["Remote Access (VPN)"]],
        planned_start=start + dt.timedelta(hours=2),
        planned_end=start + dt.timedelta(hours=3),
        implementation_plan="Install hotfix 10.2.9-h1 on both firewall members, one at a time.",
        backout_plan="Boot the previous image on the passive member and fail over.",
    )
    ops.move_change(bram, change, Status.ASSESS)
    ops.move_change(bram, change, Status.AUTHORIZE)
    clock.set(start + dt.timedelta(minutes=40))
    _authorize(change, people["mila.kok"], "Emergency: go, with the backout ready.")
    change.refresh_from_db()
    if ops_blocked(change):
        ops.override_conflicts(
            linda, change, reason="Emergency fix: the exposure outweighs the conflict."
        )
    ops.move_change(bram, change, Status.SCHEDULED)
    clock.set(start + dt.timedelta(hours=2))
    ops.move_change(noah, change, Status.IMPLEMENT)
    clock.set(start + dt.timedelta(hours=3, minutes=10))
    ops.move_change(
        noah,
        change,
        Status.REVIEW,
        outcome=Outcome.BACKED_OUT,
        outcome_notes="The hotfix broke IPsec tunnels to two branches: backed out.",
    )
    clock.set(start + dt.timedelta(days=2))
    ops.record_review(
        bram,
        change,
        what_happened="Two branch tunnels dropped after the hotfix; the backout took 20 minutes.",
        cause="The hotfix changes the default IKE proposal; the branches use the old one.",
        follow_ups=[
            {"action": "Align the branch IKE proposals before the next attempt", "owner": noah.pk},
            {"action": "Add a branch tunnel test to the firewall test plan", "owner": bram.pk},
        ],
    )
    ops.move_change(bram, change, Status.CLOSED)
    made += 1

    # 5. Coming up: the CAB authorized a core switch replacement for the Saturday after next
    start = _saturday_night(now, 2)
    clock.set(now - dt.timedelta(days=8))
    change = ops.create_change(
        bram,
        title="Replace core-switch-01 with the new spine pair",
        reason="The switch is out of vendor support in January.",
        owning_group=groups["Network"],
        owner=bram,
        implementer=people["mila.kok"],
        cis=[cis["core-switch-01"]],
        services=[services["Online Banking"], services["Payments Processing"]],
        planned_start=start,
        planned_end=start + dt.timedelta(hours=5),
        outage_expected=True,
        outage_minutes=20,
        answers=_answers(
            (QUESTIONS[0][0], "A whole service's users"),
            (QUESTIONS[1][0], "Never"),
            (QUESTIONS[2][0], "Yes, untested"),
        ),
        **PLANS,
    )
    ops.move_change(bram, change, Status.ASSESS)
    ops.move_change(bram, change, Status.AUTHORIZE)
    clock.set(now - dt.timedelta(days=5))
    _authorize(change, people["noah.peters"], "Agreed in the CAB meeting.")
    change.refresh_from_db()
    if ops_blocked(change):
        ops.override_conflicts(
            linda, change, reason="Discussed in the CAB: the teams coordinate that night."
        )
    ops.move_change(bram, change, Status.SCHEDULED)
    made += 1

    # 6. Waiting for the change manager: decommissioning the old fax server
    clock.set(now - dt.timedelta(days=2))
    start = _saturday_night(now, 1)
    change = ops.create_change(
        lotte,
        title="Decommission legacy-fax-01",
        reason="Nobody has sent a fax through it since March.",
        owning_group=groups["Server Operations"],
        owner=fleur,
        implementer=lotte,
        cis=[cis["legacy-fax-01"]],
        planned_start=start,
        planned_end=start + dt.timedelta(hours=1),
        answers=_answers(
            (QUESTIONS[0][0], "One team or branch"),
            (QUESTIONS[1][0], "Once or twice"),
            (QUESTIONS[2][0], "Yes, untested"),
        ),
        **PLANS,
    )
    ops.move_change(fleur, change, Status.ASSESS)
    ops.move_change(fleur, change, Status.AUTHORIZE)
    made += 1

    # 7. New, nobody owns it yet, and its window collides with the switch replacement
    clock.set(now - dt.timedelta(hours=5))
    ops.create_change(
        people["ruben.brouwer"],
        title="Move the online banking app to esx-host-01 during the switch work",
        owning_group=groups["Applications"],
        implementer=people["mila.kok"],
        cis=[cis["app-online-banking"], cis["core-switch-01"]],
        planned_start=_saturday_night(now, 2) + dt.timedelta(hours=1),
        planned_end=_saturday_night(now, 2) + dt.timedelta(hours=3),
    )
    made += 1

    # The year-end freeze: nothing on the core payment services
    clock.set(now - dt.timedelta(hours=4))
    year = now.year
    ops.create_window(
        linda,
        kind=WindowKind.BLACKOUT,
        name=f"Year-end freeze {year}",
        description="No changes to the payment and core banking services over the year end.",
        time_zone="Europe/Amsterdam",
        starts_at=dt.datetime(year, 12, 20, tzinfo=AMSTERDAM).astimezone(dt.UTC),
        ends_at=dt.datetime(year + 1, 1, 4, tzinfo=AMSTERDAM).astimezone(dt.UTC),
        services=[services["Payments Processing"], services["Core Banking"]],
    )
    return made


def _authorize(change: ChangeRequest, peer: User, comment: str) -> None:
    """Approve ``change`` by whoever its authority asks for: ``peer`` (a member of the owning
    group), the change manager, or the CAB's members up to its quorum (the change manager
    among them); the requester and owner never vote."""
    from steward.changes.authorization import authorization, may_approve

    change.refresh_from_db()
    state = authorization(change)
    if state.complete:
        return
    if state.level == AuthorityLevel.PEER:
        voters = [peer]
    elif state.level == AuthorityLevel.BOARD:
        members = list(state.board.group.members.filter(is_active=True).order_by("username"))
        managers = [m for m in members if m.username == "linda.kuipers"]
        voters = managers + [m for m in members if m not in managers]
    else:
        voters = list(User.objects.filter(username="linda.kuipers"))
    for voter in voters:
        if authorization(change).complete:
            break
        if may_approve(voter, change):
            ops.decide(voter, change, decision="approved", comment=comment)
            change.refresh_from_db()


def _close(actor, change: ChangeRequest, what_happened: str) -> None:
    """Close ``change``, reviewing it first when its risk or type asks for a review."""
    from steward.changes.workflow import needs_review

    change.refresh_from_db()
    if needs_review(change) and not hasattr(change, "review"):
        ops.record_review(actor, change, what_happened=what_happened)
    ops.move_change(actor, change, Status.CLOSED)


def ops_blocked(change: ChangeRequest) -> bool:
    """Whether conflicts would keep the change from being scheduled."""
    from steward.changes import conflicts

    ops.recheck_conflicts(change)
    return bool(conflicts.blocking(change))


def load(stdout, quiet: bool = False) -> None:
    if ChangeRequest.objects.exists() or not ConfigurationItem.objects.exists():
        return
    needed = {"linda.kuipers", "fleur.vandijk", "koen.vermeulen", "bram.hendriks", "noah.peters"}
    if needed - set(User.objects.filter(username__in=needed).values_list("username", flat=True)):
        return  # the people step did not run
    until = clock.real_now()
    if clock.is_simulated():
        count = _replay(until)
        clock.set(until)
    else:
        with clock.simulated(until - dt.timedelta(days=60)):
            count = _replay(until)
    if not quiet:
        stdout.write(f"changes: {count} demo changes\n")
