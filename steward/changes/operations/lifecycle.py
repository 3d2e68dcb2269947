"""Raising and editing changes and moving them through their lifecycle (``workflow.py``
decides what is allowed; the review and the incidents caused are in ``review.py``).

Each write that moves what the risk reads (CIs, services, the outage, the answers) reassesses
it; each that moves what conflicts read (the window, CIs, services, implementer, status)
rechecks the stored conflicts of the change and of the changes that move with it."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.changes import authorization as auth
from steward.changes import conflicts as detection
from steward.changes.choices import (
    AuthorityLevel,
    ChangeType,
    Outcome,
    Status,
)
from steward.changes.models import (
    ChangeRequest,
    ChangeReview,
    ChangeTemplate,
)
from steward.changes.operations.approvals import ask, reauthorize, withdraw
from steward.changes.operations.common import (
    FIELDS,
    check_person,
    check_version,
    invalid,
    locked,
    reason_labels,
    reassess,
    recheck,
    require_editable,
    require_staff,
)
from steward.changes.operations.risk import answer_labels, resolve_answers, store_answers
from steward.changes.workflow import CHANGE, PLANS
from steward.core import journal
from steward.core.concurrency import save_versioned
from steward.core.errors import Conflict, ValidationError
from steward.core.numbering import next_number
from steward.core.operations import full_clean
from steward.people.models import SupportGroup, User

EDITABLE = {
    "type",
    "title",
    "description",
    "reason",
    "owner",
    "owning_group",
    "implementer",
    "services",
    "cis",
    "planned_start",
    "planned_end",
    *PLANS,
    "impact",
    "outage_expected",
    "outage_minutes",
    "answers",
}
#: What a standard change takes from its template and keeps.
FIXED_BY_TEMPLATE = {"type", "answers", *PLANS}
#: What the stored conflicts read.
CONFLICT_FIELDS = {"planned_start", "planned_end", "cis", "services", "implementer"}
#: What the risk reads.
RISK_INPUTS = {"cis", "services", "outage_expected", "answers", "type"}
#: What a change keeps once scheduled, or once votes are given in Authorize, unless it goes
#: back to Assess (the authorization covers it).
FIXED_WHEN_SCHEDULED = {"planned_start", "planned_end", "cis", "services"}
#: The two statuses a change's type may still move in.
TYPE_STATUSES = {Status.NEW, Status.ASSESS}


def _names(rows) -> list[str]:
    return sorted(str(r.name) for r in rows)


def _check_window(start: dt.datetime | None, end: dt.datetime | None) -> None:
    if (start is None) != (end is None):
        missing = "planned_end" if end is None else "planned_start"
        raise invalid(
            missing,
            _("A planned window has both a start and an end."),
            "give both the planned start and end",
        )
    if start is not None and end <= start:
        raise invalid(
            "planned_end",
            _("The planned end must be after the planned start."),
            "must be after the planned start",
        )


def _check_type(type_: str) -> None:
    if type_ not in ChangeType.values:
        raise invalid(
            "type",
            _("Unknown change type %(type)s.") % {"type": repr(type_)},
            f"one of {', '.join(ChangeType.values)}",
        )


def _created_entry(change: ChangeRequest, services, cis) -> dict:
    created = {
        f: [None, v] for f, v in journal.snapshot(change, FIELDS).items() if v not in ("", None)
    }
    created["number"] = [None, change.number]
    if change.template_id:
        created["template"] = [None, str(change.template)]
    if change.tasks:
        created["tasks"] = [None, list(change.tasks)]
    if services:
        created["services"] = [None, _names(services)]
    if cis:
        created["cis"] = [None, _names(cis)]
    if change.risk_reasons:
        created["risk_reasons"] = [None, reason_labels(change.risk_reasons)]
    return created


@transaction.atomic
def create_change(
    actor,
    *,
    title: str,
    owning_group: SupportGroup,
    type: str = ChangeType.NORMAL,
    template: ChangeTemplate | None = None,
    description: str = "",
    reason: str = "",
    owner: User | None = None,
    implementer: User | None = None,
    services=(),
    cis=(),
    planned_start: dt.datetime | None = None,
    planned_end: dt.datetime | None = None,
    implementation_plan: str = "",
    backout_plan: str = "",
    test_plan: str = "",
    communication_plan: str = "",
    impact: str = "medium",
    outage_expected: bool = False,
    outage_minutes: int | None = None,
    answers: dict[int, int] | None = None,
) -> ChangeRequest:
    """Raise a change (the actor is its requester). From a ``template`` it is a standard
    change: the template's plans, tasks, risk, impact and outage are taken, and its services
    and CIs unless others are given; it needs no approval. The tasks are copied: retiring or
    editing the template later leaves the change's steps as they were authorized."""
    require_staff(actor)
    _check_type(type)
    plans = {
        "implementation_plan": implementation_plan,
        "backout_plan": backout_plan,
        "test_plan": test_plan,
        "communication_plan": communication_plan,
    }
    if template is not None:
        if not template.is_active:
            raise invalid(
                "template",
                _("The template %(name)s is retired: no new changes are made from it.")
                % {"name": template.name},
                "retired template",
            )
        if answers:
            raise invalid(
                "answers",
                _("A standard change keeps its template's risk: it has no questionnaire."),
                "a standard change has no questionnaire",
            )
        type = ChangeType.STANDARD
        plans = {p: getattr(template, p) for p in PLANS}
        tasks = list(template.tasks or [])
        impact = template.impact
        outage_expected = template.outage_expected
        outage_minutes = template.outage_minutes
        services = services or list(template.services.all())
        cis = cis or list(template.cis.all())
    elif type == ChangeType.STANDARD:
        raise invalid(
            "template",
            _("A standard change is made from a standard change template."),
            "required for a standard change",
        )
    else:
        tasks = []
    check_person("owner", owner)
    check_person("implementer", implementer)
    requester = actor if actor is not None else owner
    if requester is None:
        raise invalid("owner", _("A change raised by the system needs its owner."), "required")
    _check_window(planned_start, planned_end)
    pairs = resolve_answers(answers)
    services, cis = list(dict.fromkeys(services)), list(dict.fromkeys(cis))
    change = ChangeRequest(
        number="CHG",
        type=type,
        template=template,
        title=(title or "").strip(),
        description=description or "",
        reason=reason or "",
        requester=requester,
        owner=owner,
        owning_group=owning_group,
        implementer=implementer,
        planned_start=planned_start,
        planned_end=planned_end,
        impact=impact,
        outage_expected=bool(outage_expected),
        outage_minutes=outage_minutes if outage_expected else None,
        tasks=tasks,
        **{p: (text or "") for p, text in plans.items()},
    )
    full_clean(change, exclude=["number"])
    change.number = next_number("CHG")
    change.save()
    change.services.set(services)
    change.cis.set(cis)
    store_answers(change, pairs)
    if reassess(change):
        change.save(update_fields=["risk", "risk_reasons"])
    created = _created_entry(change, services, cis)
    if pairs:
        created["answers"] = [None, answer_labels(change)]
    journal.record(actor, change, "created", created)
    recheck(change)
    return change


def _refuse_fixed(change: ChangeRequest, fields: dict) -> None:
    if change.type == ChangeType.STANDARD:
        fixed = sorted(
            name
            for name in set(fields) & FIXED_BY_TEMPLATE
            if (fields[name] if name == "answers" else fields[name] != getattr(change, name))
        )
        if fixed:
            raise Conflict(
                _("A standard change keeps its template's %(fields)s.")
                % {"fields": ", ".join(fixed)},
                {f: ["fixed by the standard change template"] for f in fixed},
            )
    if "type" in fields and fields["type"] != change.type:
        _check_type(fields["type"])
        if fields["type"] == ChangeType.STANDARD:
            raise invalid(
                "type",
                _("A standard change is made from a template, not by changing the type."),
                "a standard change is made from a template",
            )
        if change.status not in TYPE_STATUSES:
            raise Conflict(
                _("The type of a change is settled before it goes to authorization."),
                {"type": [f"cannot change while {change.status}"]},
            )


def _moved_when_scheduled(change: ChangeRequest, fields: dict) -> list[str]:
    moved = []
    for name in sorted(FIXED_WHEN_SCHEDULED & set(fields)):
        if name in ("cis", "services"):
            now = set(getattr(change, name).values_list("pk", flat=True))
            if {row.pk for row in fields[name]} != now:
                moved.append(name)
        elif fields[name] != getattr(change, name):
            moved.append(name)
    return moved


def _votes_cover_scope(change: ChangeRequest) -> bool:
    """Scheduled, or in Authorize with votes given: the window, CIs and services are what
    was (or is being) authorized."""
    if change.status == Status.SCHEDULED:
        return True
    return change.status == Status.AUTHORIZE and auth.has_votes(change)


@transaction.atomic
def update_change(actor, change: ChangeRequest, *, version: int | None, **fields) -> ChangeRequest:
    """Change fields of a change before implementation starts. A scheduled change (or one with
    votes in Authorize) keeps its window, CIs and services: it goes back to Assess (and is
    authorized again) to move them."""
    require_staff(actor)
    unknown = set(fields) - EDITABLE
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))},
            {k: ["unknown field"] for k in sorted(unknown)},
        )
    locked(change)
    check_version(change, version)
    require_editable(change)
    _refuse_fixed(change, fields)
    for name in ("title", "owning_group", "type", "impact", "outage_expected"):
        if name in fields and fields[name] is None:
            raise invalid(name, _("%(field)s cannot be empty.") % {"field": name}, "required")
    if _votes_cover_scope(change):
        moved = _moved_when_scheduled(change, fields)
        if moved:
            raise Conflict(
                _(
                    "The %(fields)s of %(number)s were authorized (or are being voted on) as "
                    "they are. Move it back to Assess first."
                )
                % {"number": change.number, "fields": ", ".join(moved)},
                {f: ["move it back to Assess first"] for f in moved},
            )
    for name in ("owner", "implementer"):
        if name in fields:
            check_person(name, fields[name])
    if "title" in fields:
        fields["title"] = (fields["title"] or "").strip()
    pairs = resolve_answers(fields.pop("answers", None))
    services = fields.pop("services", None)
    cis = fields.pop("cis", None)
    before = journal.snapshot(change, FIELDS)
    before["services"] = _names(change.services.all())
    before["cis"] = _names(change.cis.all())
    before["answers"] = answer_labels(change)
    before["risk_reasons"] = reason_labels(change.risk_reasons)
    for name, value in fields.items():
        setattr(change, name, value)
    if not change.outage_expected:
        change.outage_minutes = None
    _check_window(change.planned_start, change.planned_end)
    full_clean(change)
    if services is not None:
        change.services.set(list(dict.fromkeys(services)))
    if cis is not None:
        change.cis.set(list(dict.fromkeys(cis)))
    store_answers(change, pairs)
    after = {
        "services": _names(change.services.all()),
        "cis": _names(change.cis.all()),
        "answers": answer_labels(change),
        "outage_expected": change.outage_expected,
        "type": change.type,
    }
    if any(after[name] != before[name] for name in RISK_INPUTS):
        reassess(change)
    save_versioned(
        change, None, list(dict.fromkeys([*fields, "outage_minutes", "risk", "risk_reasons"]))
    )
    after.update(journal.snapshot(change, FIELDS))
    after["risk_reasons"] = reason_labels(change.risk_reasons)
    diff = journal.diff(before, after)
    if diff:
        journal.record(actor, change, "updated", diff)
    if {k for k in diff} & CONFLICT_FIELDS:
        recheck(change)
    # its risk, type or owning group moved in Authorize: the new authority decides afresh
    reauthorize(actor, change)
    return change


def _check_outcome(to: str, outcome: str, outcome_notes: str) -> None:
    if outcome and outcome not in Outcome.values:
        raise invalid(
            "outcome",
            _("Unknown outcome %(outcome)s.") % {"outcome": repr(outcome)},
            f"one of {', '.join(Outcome.values)}",
        )
    if (outcome or (outcome_notes or "").strip()) and to not in (Status.REVIEW, Status.CLOSED):
        raise invalid(
            "outcome",
            _("The outcome is recorded when implementation ends (Review) or on closing."),
            "recorded on entering review or closed",
        )


def _guard_context(change: ChangeRequest, to: str, **given) -> dict:
    """What the guards of ``change.status → to`` read that is not on the row."""
    context = {"change": change, **given}
    if not CHANGE.can(change.status, to):
        return context
    if to == Status.AUTHORIZE:
        context["has_scope"] = change.cis.exists() or change.services.exists()
    elif to == Status.SCHEDULED:
        recheck(change)
        context["authorized"] = auth.authorization(change).complete
        context["blocking_conflicts"] = len(detection.blocking(change))
    elif to == Status.CLOSED:
        context["has_review"] = ChangeReview.objects.filter(change=change).exists()
    return context


@transaction.atomic
def move_change(
    actor,
    change: ChangeRequest,
    to: str,
    *,
    version: int | None = None,
    cancel_reason: str = "",
    outcome: str = "",
    outcome_notes: str = "",
) -> ChangeRequest:
    """Move ``change`` to ``to`` if the lifecycle allows it and its guards pass (each refusal
    names what is missing). Going back to Assess starts a new round of authorization; entering
    Authorize pre-authorizes a change that needs no approval; entering Implement, Review and
    Closed (or Cancelled) stamp when implementation started, ended, and the change ended."""
    require_staff(actor)
    locked(change)
    check_version(change, version)
    _check_outcome(to, outcome, outcome_notes)
    cancel_reason = (cancel_reason or "").strip()
    context = _guard_context(change, to, cancel_reason=cancel_reason, outcome=outcome)
    CHANGE.check(change.status, to, **context)
    before = journal.snapshot(change, [*FIELDS, "authorized_at"])
    before["risk_reasons"] = reason_labels(change.risk_reasons)
    now = timezone.now()
    written = ["status"]
    if change.status == Status.AUTHORIZE and to != Status.SCHEDULED:
        withdraw(actor, change, cancel_reason)  # the open step is no longer asked
    if to == Status.ASSESS and change.status in (Status.AUTHORIZE, Status.SCHEDULED):
        change.approval_round += 1
        change.authorized_at = None
        written += ["approval_round", "authorized_at"]
    elif to == Status.AUTHORIZE:
        # the risk decides who authorizes: assessed afresh as authorization starts (a rule
        # about recent successes may hold now and not when the change was raised)
        reassess(change)
        written += ["risk", "risk_reasons"]
        change.status = to
        change.authorized_at = now if auth.authority(change)[0] == AuthorityLevel.NONE else None
        written.append("authorized_at")
    elif to == Status.IMPLEMENT:
        change.started_at = now
        written.append("started_at")
    elif to in (Status.REVIEW, Status.CLOSED):
        written.append("finished_at" if to == Status.REVIEW else "closed_at")
        setattr(change, written[-1], now)
        if outcome:
            change.outcome = outcome
            written.append("outcome")
        if (outcome_notes or "").strip():
            change.outcome_notes = outcome_notes.strip()
            written.append("outcome_notes")
    elif to == Status.CANCELLED:
        change.cancel_reason = cancel_reason[:200]
        change.closed_at = now
        written += ["cancel_reason", "closed_at"]
    change.status = to
    save_versioned(change, None, written)
    after = journal.snapshot(change, [*FIELDS, "authorized_at"])
    after["risk_reasons"] = reason_labels(change.risk_reasons)
    comment = cancel_reason if to == Status.CANCELLED else (outcome_notes or "").strip()
    journal.record(actor, change, "status_changed", journal.diff(before, after), comment)
    recheck(change)
    if to == Status.AUTHORIZE:
        ask(actor, change)  # its approvers are told
    return change
