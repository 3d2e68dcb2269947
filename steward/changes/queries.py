"""Read-side helpers of the change pages: a change with its relations, its conflicts (and
which the override covers), its risk answers, the impact preview of its CIs (services,
owners, customers and their contacts), the approvals inbox, a board's agenda and the calendar
(month, week, list) in the viewer's time zone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone

from steward.approvals import queries as approval_queries
from steward.approvals.models import ApprovalRequest
from steward.changes import authorization as auth
from steward.changes import calendar as change_calendar
from steward.changes import lists
from steward.changes.choices import AuthorityLevel, Risk, Status
from steward.changes.models import (
    AuthorityRule,
    ChangeBoard,
    ChangeIncident,
    ChangeRequest,
    ChangeRiskAnswer,
    Conflict,
)
from steward.people.models import OrganizationContact
from steward.services import impact
from steward.services.models import ConfigurationItem, Service

#: The impact preview analyses at most this many of a change's CIs.
IMPACT_CIS = 20


def with_relations(qs):
    """What the list and the change page read, in a constant number of queries."""
    return qs.select_related(
        "template",
        "requester",
        "owner",
        "owning_group",
        "implementer",
        "conflicts_overridden_by",
    ).prefetch_related(
        Prefetch("services", queryset=Service.objects.order_by("name")),
        Prefetch(
            "cis", queryset=ConfigurationItem.objects.select_related("ci_class").order_by("name")
        ),
    )


def with_conflict_flag(qs):
    return qs.annotate(has_conflicts=Exists(Conflict.objects.filter(change_id=OuterRef("pk"))))


def change_for(user, number: str) -> ChangeRequest | None:
    return (
        with_relations(ChangeRequest.objects.for_user(user, "view"))
        .filter(number=number.strip().upper())
        .first()
    )


def review_of(change: ChangeRequest):
    try:
        return change.review
    except ChangeRequest.review.RelatedObjectDoesNotExist:
        return None


def conflicts_of(change: ChangeRequest) -> list[Conflict]:
    """The change's conflicts as last computed, each marked ``covered`` when the change
    manager's override saw it (a conflict not covered blocks scheduling)."""
    covered = set(change.conflicts_overridden or [])
    rows = list(
        Conflict.objects.filter(change=change)
        .select_related("other_change", "ci", "related_ci", "window", "person")
        .order_by("kind", "id")
    )
    for row in rows:
        row.covered = row.key in covered
    return rows


def risk_answers(change: ChangeRequest) -> list[ChangeRiskAnswer]:
    return list(
        ChangeRiskAnswer.objects.filter(change=change)
        .select_related("question", "answer")
        .order_by("question__order", "question_id")
    )


def risk_reasons(change: ChangeRequest) -> list[dict]:
    """What set the risk, each with its risk's label (the row keeps the value)."""
    labels = dict(Risk.choices)
    return [
        dict(r, risk_label=labels.get(r.get("risk"), r.get("risk")))
        for r in change.risk_reasons or []
        if isinstance(r, dict)
    ]


def approvals_of(change: ChangeRequest) -> list[auth.Vote]:
    """Every decision, every round's, the current round's first."""
    return auth.all_votes(change)


def approval_flow(change: ChangeRequest) -> list[ApprovalRequest]:
    """Every step asked on the change, every round's, with its approvers (the shared
    ``approvals/includes/flow.html`` renders it): the latest round first."""
    steps = approval_queries.flow(auth.SUBJECT_TYPE, change.pk)
    return sorted(steps, key=lambda s: (-s.round, s.step))


def caused_incidents(change: ChangeRequest) -> list[ChangeIncident]:
    return list(
        ChangeIncident.objects.filter(change=change)
        .select_related("incident", "incident__service")
        .order_by("incident__number")
    )


def impact_preview(change: ChangeRequest) -> dict:
    """The CMDB impact of the change's CIs (at most ``IMPACT_CIS``): each affected service
    once (through the CI nearest to it), with its owner and customers, and the contacts of
    those customers (whom the communication plan should reach)."""
    cis = list(change.cis.all())[:IMPACT_CIS]
    services: dict[int, dict] = {}
    for ci in cis:
        for row in impact.analyse(ci)["services"]:
            row = dict(row, through=ci.name)
            known = services.get(row["service"]["id"])
            if known is None or row["depth"] < known["depth"]:
                services[row["service"]["id"]] = row
    rows = sorted(
        services.values(),
        key=lambda r: (r["service"]["criticality"], r["depth"], r["service"]["name"]),
    )
    customer_ids = {c["id"] for r in rows for c in r["customers"]}
    contacts = list(
        OrganizationContact.objects.filter(organization_id__in=customer_ids)
        .select_related("organization")
        .order_by("organization__name", "name")
    )
    return {
        "cis": len(cis),
        "more_cis": max(0, change.cis.count() - IMPACT_CIS) if len(cis) == IMPACT_CIS else 0,
        "services": rows,
        "contacts": contacts,
    }


# --- the inbox and the board's agenda ------------------------------------------------------


def inbox(user):
    """The changes awaiting ``user``'s decision, the earliest planned first."""
    return with_relations(lists.filtered(user, _Filters(queue="awaiting_me", sort="planned_start")))


def boards():
    return list(ChangeBoard.objects.select_related("group").order_by("group__name"))


def agenda(user, board: ChangeBoard):
    """The changes awaiting ``board``'s decision (in Authorize, their type and risk
    authorized by it), the earliest planned first: the agenda of its next meeting."""
    rules = AuthorityRule.objects.filter(
        type=OuterRef("type"), risk=OuterRef("risk"), level=AuthorityLevel.BOARD, board=board
    )
    qs = (
        ChangeRequest.objects.for_user(user, "view")
        .filter(status=Status.AUTHORIZE)
        .filter(Exists(rules))
        .order_by("planned_start", "id")
    )
    return with_conflict_flag(with_relations(qs))


def current_steps(changes) -> dict[int, ApprovalRequest]:
    """The step asked in each change's current round, by change id, in one query."""
    wanted = {c.pk: c.approval_round for c in changes}
    steps: dict[int, ApprovalRequest] = {}
    rows = ApprovalRequest.objects.filter(
        subject_type=auth.SUBJECT_TYPE, subject_id__in=wanted
    ).order_by("round", "step")
    for step in rows:
        if step.round == wanted[step.subject_id]:
            steps[step.subject_id] = step
    return steps


def votes_by_change(changes) -> dict[int, list[auth.Vote]]:
    """The current round's votes of each change (two or three queries)."""
    steps = current_steps(changes)
    found = auth.votes(steps.values())
    return {c.pk: found.get(steps[c.pk].pk, []) if c.pk in steps else [] for c in changes}


def approvals_needed(changes) -> dict[int, int]:
    """How many approvals each change needs in its current round: its step's quorum, else
    what its authority would ask (the inbox's "1 of 3")."""
    steps = current_steps(changes)
    quorum = {
        (rule.type, rule.risk): rule.board.quorum if rule.board_id else 1
        for rule in AuthorityRule.objects.select_related("board")
    }
    return {
        c.pk: steps[c.pk].quorum if c.pk in steps else quorum.get((c.type, c.risk), 1)
        for c in changes
    }


@dataclass
class _Filters:
    queue: str | None = None
    sort: str | None = None
    service: int | None = None


# --- the calendar ----------------------------------------------------------------------------


@dataclass
class Day:
    date: dt.date
    in_month: bool = True
    changes: list = field(default_factory=list)

    @property
    def is_today(self) -> bool:
        return self.date == timezone.localdate()


def period(view: str, anchor: dt.date) -> tuple[dt.date, dt.date]:
    """The first and the day after the last day shown: a month from its Monday-started first
    week to its last week's Sunday, a week from Monday, the list a month."""
    if view == "week":
        start = anchor - dt.timedelta(days=anchor.weekday())
        return start, start + dt.timedelta(days=7)
    first = anchor.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    if view == "list":
        return first, following
    start = first - dt.timedelta(days=first.weekday())
    end = following + dt.timedelta(days=(7 - following.weekday()) % 7)
    return start, end


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def calendar(user, *, view: str, anchor: dt.date, service=None, ci=None, group=None) -> dict:
    """The changes (not cancelled) planned in the period shown, in the viewer's time zone
    (read through ``changes.calendar``): ``days`` (each with the changes that meet it) for
    the month and week, ``changes`` for the list; each change carries ``conflict_count`` and
    ``blocking`` (its conflicts not covered by an override)."""
    start, end = period(view, anchor)
    found = change_calendar.entries(
        user, _midnight(start), _midnight(end), service=service, group=group, ci=ci
    )
    changes = []
    for entry in found:
        entry.change.blocking = entry.blocking
        changes.append(entry.change)
    days = []
    day = start
    while day < end:
        days.append(Day(day, in_month=view != "month" or day.month == anchor.month))
        day += dt.timedelta(days=1)
    by_date = {d.date: d for d in days}
    for change in changes:
        first = timezone.localtime(change.planned_start).date()
        last = timezone.localtime(change.planned_end - dt.timedelta(microseconds=1)).date()
        day = max(first, start)
        while day <= last and day < end:
            by_date[day].changes.append(change)
            day += dt.timedelta(days=1)
    weeks = [days[i : i + 7] for i in range(0, len(days), 7)]
    return {
        "start": start,
        "end": end,
        "days": days,
        "weeks": weeks,
        "changes": changes,
        "limited": len(changes) >= change_calendar.LIMIT,
    }
