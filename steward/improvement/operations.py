"""The only code that writes the improvement register. Each operation checks the rules,
writes in one transaction, journals the change on the item and notifies through the outbox."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from steward.core import journal
from steward.core.concurrency import save_versioned
from steward.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from steward.core.numbering import next_number
from steward.core.operations import full_clean, require
from steward.core.texts import Text
from steward.improvement import queries, rules
from steward.improvement.choices import COMMITTED_STATUSES, Outcome, Status
from steward.improvement.models import Action, Comment, ImprovementItem, Vote
from steward.improvement.workflow import ITEM, journal_action
from steward.notifications.operations import notify

PREFIX = "IMP"
#: The fields people edit (PATCH) and that the journal follows.
FIELDS = (
    "title",
    "problem",
    "owner",
    "service",
    "public",
    "source",
    "kpi_key",
    "kpi_filters",
    "baseline_from",
    "baseline_to",
    "target",
    "due_date",
)
#: Fixed once the baseline is captured (the baseline is measured with them).
MEASURE_FIELDS = ("kpi_key", "kpi_filters", "baseline_from", "baseline_to")


def locked(item: ImprovementItem) -> ImprovementItem:
    """Re-read the item under a row lock (PostgreSQL; SQLite's write lock serializes)."""
    fresh = ImprovementItem.objects.select_for_update().get(pk=item.pk)
    for f in ImprovementItem._meta.concrete_fields:
        setattr(item, f.attname, getattr(fresh, f.attname))
    for name in ("owner", "proposer", "service"):
        field = ImprovementItem._meta.get_field(name)
        if field.is_cached(item):
            cached = field.get_cached_value(item)
            if getattr(cached, "pk", None) != getattr(item, field.attname):
                field.delete_cached_value(item)
    return item


def _clean_filters(filters: dict | None) -> dict:
    return {k: v for k, v in (filters or {}).items() if v not in (None, "")}


def _tell_owner(actor, item: ImprovementItem, said: str) -> None:
    if item.owner is None:
        return
    notify(
        actor,
        [item.owner],
        subject=Text(said, number=item.number, title=item.title),
        body=Text(said, number=item.number, title=item.title),
        link=item.get_absolute_url(),
        record=item,
    )


ASSIGNED = gettext_noop("You own the improvement %(number)s: %(title)s")
APPROVED = gettext_noop("Improvement %(number)s approved: %(title)s")
DUE = gettext_noop("Improvement %(number)s is due: time for its benefits review (%(title)s)")


@transaction.atomic
def propose(
    actor,
    *,
    title: str,
    problem: str,
    owner=None,
    service=None,
    public: bool = False,
    source: str = "",
    kpi_key: str = "",
    kpi_filters: dict | None = None,
    baseline_from: dt.datetime | None = None,
    baseline_to: dt.datetime | None = None,
    target: float | None = None,
    due_date: dt.date | None = None,
) -> ImprovementItem:
    """Anyone signed in proposes an improvement; IT staff may name its owner and share it."""
    if not rules.may_propose(actor):
        raise PermissionDenied(_("Sign in to propose an improvement."))
    if not rules.may_assign(actor):
        if owner is not None:
            raise PermissionDenied(
                _("IT staff name an improvement's owner."), {"owner": [_("IT staff only")]}
            )
        if public:
            raise PermissionDenied(
                _("IT staff share improvements with everyone."), {"public": [_("IT staff only")]}
            )
    filters = _clean_filters(kpi_filters)
    queries.check_kpi(kpi_key, filters, baseline_from, baseline_to)
    item = ImprovementItem(
        number="pending",
        title=title,
        problem=problem,
        proposer=actor,
        owner=owner,
        service=service,
        public=public,
        source=source,
        kpi_key=kpi_key,
        kpi_filters=filters,
        baseline_from=baseline_from,
        baseline_to=baseline_to,
        target=target,
        due_date=due_date,
    )
    full_clean(item, exclude=["number"])
    item.number = next_number(PREFIX)
    item.save()
    journal.record(actor, item, "proposed", journal.diff({}, journal.snapshot(item, FIELDS)))
    if owner is not None:
        _tell_owner(actor, item, ASSIGNED)
    return item


@transaction.atomic
def update(actor, item: ImprovementItem, *, version: int, **changes) -> ImprovementItem:
    """Change an item's fields. The KPI, its filters and the baseline period are fixed once
    the baseline is captured; a new owner is told."""
    require(actor, "change", item)
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValidationError.field(sorted(unknown)[0], _("cannot be changed"))
    locked(item)
    if not rules.may_edit(actor, item):
        raise PermissionDenied(
            _(
                "A closed item cannot be changed; a proposer edits their proposal until it is "
                "decided."
            )
        )
    if ("owner" in changes or changes.get("public")) and not rules.may_assign(actor):
        name = "owner" if "owner" in changes else "public"
        raise PermissionDenied(
            _("IT staff name the owner and share items."), {name: [_("IT staff only")]}
        )
    if "kpi_filters" in changes:
        changes["kpi_filters"] = _clean_filters(changes["kpi_filters"])
    before = journal.snapshot(item, FIELDS)
    frozen = item.baseline_captured_at is not None
    for name in MEASURE_FIELDS:
        if frozen and name in changes and changes[name] != getattr(item, name):
            raise ValidationError.field(
                name, _("fixed once the item is approved: its baseline was measured with it")
            )
    old_owner = item.owner_id
    for name, value in changes.items():
        setattr(item, name, value)
    if any(name in changes for name in MEASURE_FIELDS):
        queries.check_kpi(item.kpi_key, item.kpi_filters, item.baseline_from, item.baseline_to)
    full_clean(item)
    after = journal.snapshot(item, FIELDS)
    diff = journal.diff(before, after)
    save_versioned(item, version, list(changes))
    if diff:
        journal.record(actor, item, "updated", diff)
    if item.owner_id and item.owner_id != old_owner:
        _tell_owner(actor, item, ASSIGNED)
    return item


@transaction.atomic
def transition(
    actor, item: ImprovementItem, *, to: str, version: int, outcome: str = "", reason: str = ""
) -> ImprovementItem:
    """Move an item along its lifecycle. Approving captures the baseline from the live KPI and
    freezes it; the benefits review freezes the figures of its moment; closing keeps the
    outcome and its reason."""
    require(actor, "view", item)
    locked(item)
    current = item.status
    if ITEM.can(current, to) and not rules.may_transition(actor, item, to):
        raise PermissionDenied(
            _(
                "Managers approve proposals; the owner or a manager moves an approved item; a "
                "proposer may withdraw their own proposal."
            ),
            {"to": [_("not allowed for you")]},
        )
    ITEM.check(current, to, item=item, outcome=outcome, reason=reason)
    now = timezone.now()
    fields = ["status"]
    changes = {"status": [current, to]}
    if to == Status.APPROVED:
        item.approved_at = now
        fields.append("approved_at")
        kpi = queries.kpi_of(item.kpi_key)
        if item.kpi_key and kpi is None:
            raise ValidationError.field(
                "kpi",
                _("the KPI %(key)s is not in the catalogue (is its practice off?)")
                % {"key": item.kpi_key},
            )
        if kpi is not None:
            start, end = queries.baseline_period(item, now)
            figure = queries.measure(kpi, item.kpi_filters, start, end)
            item.baseline_from, item.baseline_to = start, end
            item.baseline_value, item.baseline_count = figure["value"], figure["count"]
            item.baseline_unit, item.baseline_captured_at = kpi.unit, now
            fields += [
                "baseline_from",
                "baseline_to",
                "baseline_value",
                "baseline_count",
                "baseline_unit",
                "baseline_captured_at",
            ]
            changes["baseline_value"] = [None, item.baseline_value]
    elif to == Status.BENEFITS_REVIEW:
        kpi = queries.kpi_of(item.kpi_key)
        if kpi is not None:
            start = now - queries.period_length(item)
            figure = queries.measure(kpi, item.kpi_filters, start, now)
            item.review_value, item.review_count = figure["value"], figure["count"]
            item.review_from, item.review_to = start, now
            fields += ["review_value", "review_count", "review_from", "review_to"]
            changes["review_value"] = [None, item.review_value]
    elif to == Status.CLOSED:
        item.outcome = outcome or Outcome.ABANDONED
        item.outcome_reason = reason.strip()
        item.closed_at = now
        fields += ["outcome", "outcome_reason", "closed_at"]
        changes["outcome"] = ["", item.outcome]
    item.status = to
    full_clean(item)
    save_versioned(item, version, fields)
    journal.record(actor, item, journal_action(current, to), changes, comment=reason.strip())
    if to == Status.APPROVED:
        told = [u for u in (item.owner, item.proposer) if u is not None]
        notify(
            actor,
            told,
            subject=Text(APPROVED, number=item.number, title=item.title),
            body=Text(APPROVED, number=item.number, title=item.title),
            link=item.get_absolute_url(),
            record=item,
        )
    return item


# --- votes and comments ------------------------------------------------------------------------


@transaction.atomic
def vote(actor, item: ImprovementItem) -> ImprovementItem:
    """Support an item (one vote per person)."""
    require(actor, "view", item)
    if not rules.may_vote(actor, item):
        raise Conflict(_("A closed item takes no more votes."), {"vote": [_("the item is closed")]})
    try:
        with transaction.atomic():
            Vote.objects.create(item=item, voter=actor)
    except IntegrityError as exc:
        raise Conflict(
            _("You have already voted for this item."), {"vote": [_("already voted")]}
        ) from exc
    ImprovementItem.objects.filter(pk=item.pk).update(votes=F("votes") + 1)
    item.refresh_from_db(fields=["votes"])
    journal.record(actor, item, "voted")
    return item


@transaction.atomic
def withdraw_vote(actor, item: ImprovementItem) -> ImprovementItem:
    require(actor, "view", item)
    deleted, _by_model = Vote.objects.filter(item=item, voter=actor).delete()
    if not deleted:
        raise NotFound(_("You have not voted for this item."), {"vote": [_("no vote to withdraw")]})
    ImprovementItem.objects.filter(pk=item.pk).update(votes=F("votes") - 1)
    item.refresh_from_db(fields=["votes"])
    journal.record(actor, item, "vote_withdrawn")
    return item


@transaction.atomic
def comment(actor, item: ImprovementItem, *, body: str) -> Comment:
    require(actor, "view", item)
    row = Comment(item=item, author=actor, body=body)
    full_clean(row)
    if not body.strip():
        raise ValidationError.field("body", _("cannot be empty"))
    row.save()
    journal.record(actor, item, "commented", comment=body[:500])
    return row


# --- actions -------------------------------------------------------------------------------------

ACTION_FIELDS = ("title", "owner", "due_date", "done")


@transaction.atomic
def add_action(actor, item: ImprovementItem, *, title: str, owner=None, due_date=None) -> Action:
    require(actor, "view", item)
    if not rules.may_manage_actions(actor, item):
        raise PermissionDenied(_("The item's owner or a manager adds its actions."))
    row = Action(item=item, title=title, owner=owner, due_date=due_date)
    full_clean(row)
    row.save()
    journal.record(
        actor, item, "action_added", journal.diff({}, journal.snapshot(row, ACTION_FIELDS))
    )
    if owner is not None and owner != item.owner:
        said = gettext_noop("An action of improvement %(number)s is yours: %(title)s")
        notify(
            actor,
            [owner],
            subject=Text(said, number=item.number, title=title),
            body=Text(said, number=item.number, title=title),
            link=item.get_absolute_url(),
            record=item,
        )
    return row


@transaction.atomic
def update_action(actor, action: Action, **changes) -> Action:
    item = action.item
    require(actor, "view", item)
    if not rules.may_update_action(actor, action):
        raise PermissionDenied(_("The item's owner, a manager or the action's owner changes it."))
    unknown = set(changes) - set(ACTION_FIELDS)
    if unknown:
        raise ValidationError.field(sorted(unknown)[0], _("cannot be changed"))
    if set(changes) - {"done"} and not rules.may_manage_actions(actor, item):
        raise PermissionDenied(
            _("The action's owner only ticks it off."),
            {sorted(set(changes) - {"done"})[0]: [_("only the item's owner or a manager")]},
        )
    action = Action.objects.select_for_update().get(pk=action.pk)
    before = journal.snapshot(action, ACTION_FIELDS)
    for name, value in changes.items():
        setattr(action, name, value)
    if "done" in changes:
        action.done_at = timezone.now() if action.done else None
    full_clean(action)
    action.save()
    diff = journal.diff(before, journal.snapshot(action, ACTION_FIELDS))
    if diff:
        journal.record(actor, item, "action_updated", diff, comment=action.title)
    return action


# --- the due date --------------------------------------------------------------------------------


def notify_due(now: dt.datetime | None = None) -> int:
    """Tell each owner, once, that their committed item reached its due date (the benefits
    review is due). Idempotent: an item is marked when told, by a conditional update."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    told = 0
    due = ImprovementItem.objects.filter(
        status__in=COMMITTED_STATUSES,
        due_date__lte=today,
        due_notified_at__isnull=True,
        owner__isnull=False,
    ).select_related("owner")
    for item in due.order_by("id"):
        with transaction.atomic():
            marked = ImprovementItem.objects.filter(pk=item.pk, due_notified_at__isnull=True)
            if not marked.update(due_notified_at=now):
                continue
            journal.record(None, item, "due_date_reached", {"due_notified_at": [None, now]})
            _tell_owner(None, item, DUE)
            told += 1
    return told
