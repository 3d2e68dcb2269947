"""Closing the loop: the post-implementation review and the incidents a change caused."""

from __future__ import annotations

from django.utils.translation import gettext as _

from steward.changes import operations as ops
from steward.changes.api.common import change_for, fresh_out, incidents_for, router, staff
from steward.changes.schemas import ChangeIncidentsIn, ChangeOut, ChangeReviewIn
from steward.core.api_input import RecordNumber
from steward.core.api_support import ERRORS, visible_ref
from steward.people.models import User


@router.put(
    "/changes/{number}/review",
    response={200: ChangeOut, **ERRORS},
    summary="Record the post-implementation review (replaces it whole)",
)
def record_review(request, number: RecordNumber, payload: ChangeReviewIn):
    actor = staff(request)
    change = change_for(actor, number)
    follow_ups = []
    for n, item in enumerate(payload.follow_ups):
        owner = visible_ref(User.objects, actor, f"follow_ups.{n}.owner", item.owner, _("user"))
        follow_ups.append(
            {
                "action": item.action,
                "owner": owner.pk if owner else None,
                "due": item.due.isoformat() if item.due else None,
            }
        )
    ops.record_review(
        actor,
        change,
        what_happened=payload.what_happened,
        cause=payload.cause,
        follow_ups=follow_ups,
        version=payload.version,
    )
    return fresh_out(actor, change)


@router.post(
    "/changes/{number}/incidents",
    response={200: ChangeOut, **ERRORS},
    summary="Link incidents caused by this change",
)
def link_incidents(request, number: RecordNumber, payload: ChangeIncidentsIn):
    actor = staff(request)
    change = change_for(actor, number)
    ops.link_incidents(actor, change, incidents_for(actor, payload.numbers, "numbers"))
    return fresh_out(actor, change)
