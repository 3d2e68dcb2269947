"""Asking for approval, deciding and cancelling: the only code that writes approval steps.

A practice asks for a round of steps on one of its records (:func:`request_approval`); people
decide the pending step (:func:`decide`); when the last step is approved, or at the first
rejection, the practice's ``on_complete`` runs inside the same transaction. Every write is
journaled on the subject record (the approval rows themselves are the detailed record).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.approvals import notices, queries, registry
from steward.approvals.calendar import add_business_days
from steward.approvals.choices import DECISIONS, OPEN_STATES, Decision, Kind, Mode, State
from steward.approvals.models import ApprovalRequest, Approver
from steward.core import journal
from steward.core.concurrency import save_versioned
from steward.core.errors import Conflict, PermissionDenied, ValidationError


@dataclass(frozen=True)
class StepSpec:
    """One step a practice asks for: who decides, and how."""

    name: str
    mode: str = Mode.ANY
    quorum: int = 1
    #: ((User, kind), ...): named approvers, kind one of approvals.choices.Kind
    users: tuple = ()
    group: object = None  # people.SupportGroup
    role: str = ""
    escalate_to: object = None  # people.User


def _subject_of(instance):
    type_ = instance._meta.label_lower
    subject = registry.subject(type_)
    if subject is None:
        raise ValueError(f"{type_} is not an approval subject (registry.register / Practice)")
    return subject


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError(message, {field: [message]})


def _check_step(spec: StepSpec, excluded: set[int], position: int) -> list:
    """The named people of ``spec`` (deduplicated, excluded dropped); refuses a step nobody
    could decide."""
    from steward.people.models import User

    if not str(spec.name).strip():
        raise _invalid("steps", _("Step %(n)s needs a name.") % {"n": position})
    if spec.mode not in Mode.values:
        raise _invalid("mode", _("A step's mode is any or all."))
    if spec.quorum < 1:
        raise _invalid("quorum", _("A quorum is at least 1."))
    named: dict = {}
    for user, kind in spec.users:
        if user is None or kind not in Kind.values:
            continue
        if user.is_active and user.pk not in excluded:
            named.setdefault(user.pk, (user, kind))
    possible = set(named)
    if spec.group is not None and spec.group.is_active:
        possible |= set(
            spec.group.members.filter(is_active=True)
            .exclude(pk__in=excluded)
            .values_list("pk", flat=True)
        )
    if spec.role:
        possible |= set(
            User.objects.filter(role_rows__role=spec.role, is_active=True)
            .exclude(pk__in=excluded)
            .values_list("pk", flat=True)
        )
    if not possible:
        message = _(
            "Nobody could decide the step %(name)s: name an approver who is active and not the "
            "requester."
        ) % {"name": spec.name}
        raise _invalid("approvers", message)
    if spec.mode == Mode.ANY and spec.quorum > len(possible):
        message = _(
            "The step %(name)s needs %(quorum)s approvals but only %(count)s people could give one."
        ) % {"name": spec.name, "quorum": spec.quorum, "count": len(possible)}
        raise _invalid("quorum", message)
    return list(named.values())


def _deadlines(request: ApprovalRequest, now) -> None:
    request.requested_at = now
    request.remind_at = add_business_days(now, settings.STEWARD_APPROVAL_REMIND_DAYS)
    request.escalate_at = add_business_days(now, settings.STEWARD_APPROVAL_ESCALATE_DAYS)


def _expand_all(request: ApprovalRequest, excluded: set[int]) -> None:
    """Mode all: one pending row for every member of the group / holder of the role, taken
    when the step opens."""
    from steward.people.models import User

    if request.mode != Mode.ALL:
        return
    people = []
    if request.group_id and request.group.is_active:
        people += [(u, Kind.GROUP) for u in request.group.members.filter(is_active=True)]
    if request.role:
        people += [
            (u, Kind.ROLE)
            for u in User.objects.filter(role_rows__role=request.role, is_active=True)
        ]
    have = set(request.approvers.values_list("user_id", flat=True))
    rows = []
    for user, kind in people:
        if user.pk not in excluded and user.pk not in have:
            have.add(user.pk)
            rows.append(Approver(request=request, user=user, kind=kind))
    Approver.objects.bulk_create(rows)


def _open(actor, request: ApprovalRequest, instance, excluded: set[int], now) -> None:
    """Make a step pending: its deadlines, its rows (mode all), its exclusions; tell people."""
    request.state = State.PENDING
    _deadlines(request, now)
    save_versioned(request, None, ["state", "requested_at", "remind_at", "escalate_at"])
    request.excluded_users.set(excluded)
    _expand_all(request, excluded)
    notices.asked(actor, request, instance, excluded, now)


@transaction.atomic
def request_approval(
    actor, subject, *, steps: list[StepSpec], round: int = 1
) -> list[ApprovalRequest]:
    """Ask for a round of approval ``steps`` on the record ``subject`` (a model instance whose
    type is a registered ApprovalSubject): one ApprovalRequest per step, the first pending,
    the rest waiting. The first step's approvers are told (in-app, and email with signed
    one-click links). A step nobody could decide is refused (field ``approvers``); a round
    already asked is refused (409)."""
    kind = _subject_of(subject)
    if not steps:
        raise _invalid("steps", _("An approval needs at least one step."))
    if round < 1:
        raise _invalid("round", _("A round is at least 1."))
    type_ = subject._meta.label_lower
    if ApprovalRequest.objects.filter(
        subject_type=type_, subject_id=subject.pk, round=round
    ).exists():
        message = _("Approval round %(round)s was already asked on %(label)s.") % {
            "round": round,
            "label": kind.label(subject),
        }
        raise Conflict(message, {"round": [message]})
    excluded = {pk for pk in kind.excluded(subject) if pk is not None}
    checked = [_check_step(spec, excluded, n) for n, spec in enumerate(steps, start=1)]
    now = timezone.now()
    label = str(kind.label(subject))[:200]
    requester = actor if getattr(actor, "pk", None) else None
    created = []
    for number, (spec, named) in enumerate(zip(steps, checked, strict=True), start=1):
        request = ApprovalRequest.objects.create(
            subject_type=type_,
            subject_id=subject.pk,
            subject_label=label,
            round=round,
            step=number,
            name=str(spec.name)[:120],
            mode=spec.mode,
            quorum=spec.quorum if spec.mode == Mode.ANY else 1,
            group=spec.group,
            role=spec.role,
            state=State.WAITING,
            requested_at=now,
            escalate_to=spec.escalate_to,
            requested_by=requester,
        )
        Approver.objects.bulk_create(
            [Approver(request=request, user=user, kind=kind_) for user, kind_ in named]
        )
        created.append(request)
    _open(actor, created[0], subject, excluded, now)
    journal.record(
        actor,
        subject,
        "approval_requested",
        {"approval_round": [None, round], "approval_steps": [None, [str(s.name) for s in steps]]},
    )
    return created


def _locked(request: ApprovalRequest) -> ApprovalRequest:
    return (
        ApprovalRequest.objects.select_for_update(of=("self",))
        .select_related("group")
        .get(pk=request.pk)
    )


def _step_outcome(request: ApprovalRequest, subject) -> bool:
    """Whether the step is approved now."""
    rows = list(request.approvers.all())
    if request.mode == Mode.ANY:
        enough = sum(r.decision == Decision.APPROVED for r in rows) >= request.quorum
    else:
        live = [r for r in rows if r.decision != Decision.CANCELLED]
        enough = bool(live) and all(r.decision == Decision.APPROVED for r in live)
    if enough and subject.still_missing is not None:
        return subject.still_missing(request) is None
    return enough


def _close_rows(request: ApprovalRequest, now) -> None:
    """The rows nobody decided no longer wait: cancelled."""
    request.approvers.filter(decision=Decision.PENDING).update(
        decision=Decision.CANCELLED, decided_at=now
    )


@transaction.atomic
def decide(
    actor, request: ApprovalRequest, *, decision: str, comment: str = "", version=None
) -> Approver:
    """``actor`` approves or rejects the pending step ``request`` (a rejection says why).

    Refused: a decision that is neither approved nor rejected (``decision``); a rejection
    without a reason (``comment``); a person the subject excludes ("Nobody approves their own
    request.", ``approver``, 403) or who is not among the approvers nor their active delegate
    (403); a second decision by the same person, or a step that is not pending (409); a stale
    ``version`` (409). When the step is decided the next waiting step opens, or the subject's
    ``on_complete`` runs with the round's outcome.
    """
    if decision not in DECISIONS:
        raise _invalid("decision", _("Decide approved or rejected."))
    comment = (comment or "").strip()
    if decision == Decision.REJECTED and not comment:
        raise _invalid("comment", _("A rejection gives its reason."))
    if actor is None:
        raise PermissionDenied(
            _("A decision is a person's."), {"approver": [_("a person decides")]}
        )
    request = _locked(request)
    if version is not None and version != request.version:
        save_versioned(request, version, [])  # raises StaleVersion with the current version
    subject = registry.subject(request.subject_type)
    instance = subject.instance(request.subject_id) if subject is not None else None
    if instance is None:
        raise Conflict(
            _("The record of this approval is gone."), {"approval": [_("record not found")]}
        )
    now = timezone.now()
    on_behalf_of, refusal = queries.resolve(actor, request, now)
    if refusal is not None:
        error = Conflict if refusal.conflict else PermissionDenied
        raise error(refusal.message, {refusal.field: [refusal.message]})
    person = on_behalf_of or actor
    row = request.approvers.filter(user=person).first()
    if row is None:
        kind = Kind.GROUP if request.group_id else Kind.ROLE if request.role else Kind.USER
        row = Approver(request=request, user=person, kind=kind)
    row.decision = decision
    row.decided_by = actor
    row.on_behalf_of = on_behalf_of
    row.comment = comment
    row.decided_at = now
    row.save()
    changes = {"decision": [None, decision], "approval_step": [None, request.name]}
    if on_behalf_of is not None:
        changes["on_behalf_of"] = [None, on_behalf_of]
    journal.record(actor, instance, "approval_decided", changes, comment)
    fields = []
    outcome = None
    if decision == Decision.REJECTED:
        request.state, request.decided_at = State.REJECTED, now
        fields = ["state", "decided_at"]
        _close_rows(request, now)
        later = list(
            ApprovalRequest.objects.filter(
                subject_type=request.subject_type,
                subject_id=request.subject_id,
                round=request.round,
                state=State.WAITING,
            )
        )
        for waiting in later:
            waiting.state = State.CANCELLED
            save_versioned(waiting, None, ["state"])
        Approver.objects.filter(request__in=later, decision=Decision.PENDING).update(
            decision=Decision.CANCELLED, decided_at=now
        )
        outcome = Decision.REJECTED
    elif _step_outcome(request, subject):
        request.state, request.decided_at = State.APPROVED, now
        fields = ["state", "decided_at"]
        _close_rows(request, now)
        following = (
            ApprovalRequest.objects.filter(
                subject_type=request.subject_type,
                subject_id=request.subject_id,
                round=request.round,
                state=State.WAITING,
            )
            .select_related("group", "requested_by")
            .order_by("step")
            .first()
        )
        if following is not None:
            save_versioned(request, version, fields)
            _open(actor, following, instance, queries.excluded(following), now)
            fields = None
        else:
            outcome = Decision.APPROVED
    if fields is not None:
        save_versioned(request, version, fields)
    if subject.on_step is not None:
        subject.on_step(actor, instance, request)
    if outcome is not None:
        subject.on_complete(
            actor, instance, outcome, request, comment if outcome == "rejected" else ""
        )
    return row


@transaction.atomic
def cancel_round(actor, subject, *, round: int | None = None, reason: str = "") -> int:
    """Cancel the open steps (pending and waiting) of ``subject``'s round ``round`` (every
    round when None), when the record no longer needs them (an item cancelled, a change
    withdrawn); the number of steps cancelled. Their undecided rows are cancelled too."""
    type_ = subject._meta.label_lower
    open_steps = ApprovalRequest.objects.select_for_update(of=("self",)).filter(
        subject_type=type_, subject_id=subject.pk, state__in=OPEN_STATES
    )
    if round is not None:
        open_steps = open_steps.filter(round=round)
    steps = list(open_steps)
    if not steps:
        return 0
    now = timezone.now()
    for step in steps:
        step.state, step.decided_at = State.CANCELLED, now
        save_versioned(step, None, ["state", "decided_at"])
    Approver.objects.filter(request__in=steps, decision=Decision.PENDING).update(
        decision=Decision.CANCELLED, decided_at=now
    )
    journal.record(
        actor,
        subject,
        "approval_cancelled",
        {
            "approval_round": [
                None,
                round if round is not None else sorted({s.round for s in steps}),
            ]
        },
        reason,
    )
    return len(steps)
