"""The post-implementation review of a change (what happened, its cause, the follow-up
actions with their owners) and the incidents a change caused."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from steward.changes import rules
from steward.changes.models import ChangeIncident, ChangeRequest, ChangeReview
from steward.changes.operations.common import check_version, invalid, locked, require_staff
from steward.core import journal
from steward.core.concurrency import save_versioned
from steward.core.errors import Conflict, NotFound, ValidationError
from steward.core.operations import full_clean
from steward.incidents.models import Incident
from steward.people.models import User


def _follow_ups(follow_ups) -> list[dict]:
    """The follow-up actions as stored: ``{"action", "owner" (user id), "due" (ISO date)}``,
    each problem named by its place (``follow_ups.<i>.<field>``)."""
    rows, problems = [], {}
    owner_ids = set()
    for i, item in enumerate(follow_ups or ()):
        action = str(item.get("action") or "").strip()
        owner = item.get("owner")
        owner_id = getattr(owner, "pk", owner)
        due = item.get("due")
        if isinstance(due, str):
            due = parse_date(due)
            if due is None:
                problems[f"follow_ups.{i}.due"] = ["not a date (YYYY-MM-DD)"]
        if not action:
            problems[f"follow_ups.{i}.action"] = ["required"]
        if owner_id is not None:
            owner_ids.add(owner_id)
        rows.append(
            {
                "action": action,
                "owner": owner_id,
                "due": due.isoformat() if isinstance(due, dt.date) else None,
            }
        )
    active = set(User.objects.filter(pk__in=owner_ids, is_active=True).values_list("pk", flat=True))
    for i, row in enumerate(rows):
        if row["owner"] is not None and row["owner"] not in active:
            problems[f"follow_ups.{i}.owner"] = ["no such active user"]
    if problems:
        raise ValidationError(
            _("Some follow-up actions are not valid: %(which)s.") % {"which": ", ".join(problems)},
            problems,
        )
    return rows


@transaction.atomic
def record_review(
    actor,
    change: ChangeRequest,
    *,
    what_happened: str,
    cause: str = "",
    follow_ups=(),
    version: int | None = None,
) -> ChangeReview:
    """Write (or rewrite) the post-implementation review: what happened, its cause and the
    follow-up actions, each with an owner. Written once implementation has begun; a failed or
    backed-out, emergency or high-risk change cannot close without it."""
    require_staff(actor)
    locked(change)
    check_version(change, version)
    if not rules.may_review(actor, change):
        raise Conflict(
            _("The review is written once implementation has begun, before the change closes."),
            {"status": [f"is {change.status}"]},
        )
    what_happened = (what_happened or "").strip()
    if not what_happened:
        raise invalid("what_happened", _("Say what happened."), "required")
    rows = _follow_ups(follow_ups)
    review = ChangeReview.objects.filter(change=change).first()
    before = (
        {
            "what_happened": review.what_happened,
            "cause": review.cause,
            "follow_ups": review.follow_ups,
        }
        if review
        else {}
    )
    review = review or ChangeReview(change=change)
    review.what_happened = what_happened
    review.cause = (cause or "").strip()
    review.follow_ups = rows
    review.recorded_by = actor
    full_clean(review)
    review.save()
    save_versioned(change, None, [])
    after = {"what_happened": review.what_happened, "cause": review.cause, "follow_ups": rows}
    journal.record(actor, change, "review_recorded", journal.diff(before, after))
    return review


@transaction.atomic
def link_incidents(actor, change: ChangeRequest, incidents) -> list[ChangeIncident]:
    """Record that ``change`` caused ``incidents`` (those already linked stay as they are)."""
    require_staff(actor)
    locked(change)
    incidents = list(dict.fromkeys(incidents))
    linked = set(ChangeIncident.objects.filter(change=change).values_list("incident_id", flat=True))
    new = [
        ChangeIncident(change=change, incident=i, linked_by=actor)
        for i in incidents
        if i.pk not in linked
    ]
    if new:
        ChangeIncident.objects.bulk_create(new)
        journal.record(
            actor,
            change,
            "incidents_linked",
            {"incidents": [None, sorted(r.incident.number for r in new)]},
        )
    return new


def link_incident(actor, change: ChangeRequest, incident: Incident) -> ChangeIncident | None:
    """Record that ``change`` caused ``incident``; None when it was already linked."""
    new = link_incidents(actor, change, [incident])
    return new[0] if new else None


@transaction.atomic
def unlink_incident(actor, change: ChangeRequest, incident: Incident) -> None:
    """The incident was not caused by the change after all."""
    require_staff(actor)
    locked(change)
    deleted, _rows = ChangeIncident.objects.filter(change=change, incident=incident).delete()
    if not deleted:
        raise NotFound(
            _("%(incident)s is not linked to %(change)s.")
            % {"incident": incident.number, "change": change.number}
        )
    journal.record(actor, change, "incident_unlinked", {"incidents": [incident.number, None]})
