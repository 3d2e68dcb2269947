"""Delegation while away: someone else decides the approvals asked of a person for a time."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.approvals import notices
from steward.approvals.models import Delegation
from steward.core import journal
from steward.core.concurrency import save_versioned
from steward.core.errors import Conflict, PermissionDenied, ValidationError
from steward.core.operations import full_clean
from steward.people.models import User

FIELDS = ["user", "delegate", "starts_at", "ends_at", "reason"]


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError(message, {field: [message]})


@transaction.atomic
def delegate(actor, *, user, delegate, starts_at, ends_at, reason: str = "") -> Delegation:
    """``delegate`` decides what is asked of ``user`` from ``starts_at`` until ``ends_at``.

    A person delegates their own approvals; administrators anyone's. Refused: the same
    person twice (``delegate``), an inactive delegate, a period that ends before it starts or
    in the past (``ends_at``), a period overlapping another delegation of ``user``
    (``starts_at``). The delegate (and the person) are told."""
    if actor is not None and actor.pk != user.pk and not actor.is_admin:
        message = _("You may only delegate your own approvals.")
        raise PermissionDenied(message, {"user": [message]})
    if delegate.pk == user.pk:
        raise _invalid("delegate", _("Choose someone else to stand in for you."))
    if not delegate.is_active:
        raise _invalid("delegate", _("This person's account is not active."))
    if ends_at <= starts_at:
        raise _invalid("ends_at", _("The end comes after the start."))
    now = timezone.now()
    if ends_at <= now:
        raise _invalid("ends_at", _("The end is in the past."))
    User.objects.select_for_update().filter(pk=user.pk).first()  # one writer per person
    overlapping = Delegation.objects.filter(
        user=user, starts_at__lt=ends_at, ends_at__gt=max(starts_at, now)
    ).exists()
    if overlapping:
        raise _invalid(
            "starts_at", _("Another delegation of these approvals covers part of this period.")
        )
    row = Delegation(
        user=user,
        delegate=delegate,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=" ".join((reason or "").split())[:200],
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    full_clean(row)
    row.save()
    journal.record(
        actor, row, "created", {f: [None, v] for f, v in journal.snapshot(row, FIELDS).items()}
    )
    notices.delegated(actor, row)
    return row


@transaction.atomic
def end_delegation(actor, delegation: Delegation, *, version=None) -> Delegation:
    """End a delegation now (one not yet started ends before it starts). The person who
    delegated, the delegate and administrators may. Ending one already over is refused
    (409)."""
    if (
        actor is not None
        and not actor.is_admin
        and actor.pk
        not in (
            delegation.user_id,
            delegation.delegate_id,
        )
    ):
        message = _("Only the people named in a delegation may end it.")
        raise PermissionDenied(message, {"delegation": [message]})
    row = Delegation.objects.select_for_update().get(pk=delegation.pk)
    now = timezone.now()
    if row.ends_at <= now:
        message = _("This delegation has already ended.")
        raise Conflict(message, {"ends_at": [message]})
    before = journal.snapshot(row, FIELDS)
    row.ends_at = now
    row.starts_at = min(row.starts_at, now)
    save_versioned(row, version, ["starts_at", "ends_at"])
    journal.record(actor, row, "ended", journal.diff(before, journal.snapshot(row, FIELDS)))
    return row
