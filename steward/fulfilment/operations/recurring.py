"""Recurring requests: an order placed on a schedule by the periodic job
(``jobs.run_recurring`` → :func:`run_recurring`).

Idempotent: each planned run is a ``RecurringRun`` row, unique per (recurring, run_at), written
in the same transaction as the order it raises and the move of ``next_run_at``; a second run
of the job (or two at once) finds the row and raises nothing. A job that was down for a while
raises one order for the latest run that fell due, not one per missed run."""

from __future__ import annotations

import calendar
import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.core import journal
from steward.core.concurrency import save_versioned
from steward.core.errors import DomainError
from steward.core.operations import full_clean
from steward.fulfilment import rules
from steward.fulfilment.choices import Cadence, FieldType
from steward.fulfilment.models import CatalogItem, RecurringRequest, RecurringRun
from steward.fulfilment.operations.common import (
    RECURRING_FIELDS,
    check_version,
    invalid,
    locked,
    moment,
    refuse,
)
from steward.fulfilment.operations.ordering import clean_answers, order

log = logging.getLogger(__name__)

MONTHS = {Cadence.MONTHLY: 1, Cadence.QUARTERLY: 3, Cadence.YEARLY: 12}


def _add_months(moment_: dt.datetime, months: int, day: int | None) -> dt.datetime:
    month0 = moment_.month - 1 + months
    year, month = moment_.year + month0 // 12, month0 % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return moment_.replace(year=year, month=month, day=min(day or moment_.day, last))


def next_run_after(cadence: str, interval: int, day: int | None, run_at: dt.datetime):
    """The run after ``run_at``: ``interval`` days, weeks, months, quarters or years later,
    on ``day`` (the weekday of a weekly cadence, 0 Monday; the day of the month otherwise,
    the month's last day when shorter), at the same time of day."""
    interval = max(1, int(interval))
    if cadence == Cadence.DAILY:
        return run_at + dt.timedelta(days=interval)
    if cadence == Cadence.WEEKLY:
        nxt = run_at + dt.timedelta(weeks=interval)
        if day is not None:
            nxt += dt.timedelta(days=(day - nxt.weekday()) % 7)
        return nxt
    return _add_months(run_at, MONTHS[cadence] * interval, day)


def _check_schedule(cadence, interval, day, next_run_at) -> None:
    if cadence not in Cadence.values:
        raise invalid("cadence", _("Choose how often."), "unknown cadence")
    if isinstance(interval, bool) or not isinstance(interval, int) or not 1 <= interval <= 366:
        raise invalid("interval", _("Every 1 to 366 periods."), "must be between 1 and 366")
    if day is not None:
        high = 6 if cadence == Cadence.WEEKLY else 31
        low = 0 if cadence == Cadence.WEEKLY else 1
        if cadence == Cadence.DAILY:
            raise invalid("day", _("A daily request has no day."), "not used when daily")
        if isinstance(day, bool) or not isinstance(day, int) or not low <= day <= high:
            raise invalid(
                "day",
                _("A weekday from 0 (Monday) to 6 (Sunday).")
                if cadence == Cadence.WEEKLY
                else _("A day of the month from 1 to 31."),
                f"must be between {low} and {high}",
            )
    if not isinstance(next_run_at, dt.datetime) or timezone.is_naive(next_run_at):
        raise invalid("next_run_at", _("Give the first run's date and time."), "a moment")


def _default_day(cadence: str, day, next_run_at):
    """The day a schedule keeps when none is given: the weekday or the day of the month of its
    first run (so that the 31st stays the month's last day, not the 28th after February)."""
    if day is not None or cadence == Cadence.DAILY or not isinstance(next_run_at, dt.datetime):
        return day
    return next_run_at.weekday() if cadence == Cadence.WEEKLY else next_run_at.day


def _check_answers(actor, catalog_item: CatalogItem, answers) -> dict:
    files = {f["name"] for f in catalog_item.form if f.get("type") == FieldType.ATTACHMENT}
    for name in files:
        if (answers or {}).get(name) not in (None, ""):
            raise invalid(
                f"answers.{name}",
                _("A recurring request cannot carry a file."),
                "files are not kept for recurring requests",
            )
    return clean_answers(actor, catalog_item, answers)


@transaction.atomic
def create_recurring(
    actor,
    *,
    catalog_item: CatalogItem,
    requested_for,
    answers,
    cadence: str,
    next_run_at: dt.datetime,
    interval: int = 1,
    day: int | None = None,
    quantity: int = 1,
    name: str = "",
) -> RecurringRequest:
    """Order ``catalog_item`` for ``requested_for`` on a schedule (IT staff)."""
    if not rules.may_manage_recurring(actor):
        raise refuse(_("Only IT staff set up recurring requests."), "user")
    if not rules.may_order(actor, catalog_item):
        raise invalid("catalog_item", _("This item cannot be ordered."), "not orderable")
    _check_schedule(cadence, interval, day, next_run_at)
    day = _default_day(cadence, day, next_run_at)
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= 100:
        raise invalid("quantity", _("Order between 1 and %(n)d.") % {"n": 100})
    recurring = RecurringRequest(
        name=(name or "").strip()[:200],
        catalog_item=catalog_item,
        requested_for=requested_for,
        answers=_check_answers(actor, catalog_item, answers),
        quantity=quantity,
        cadence=cadence,
        interval=interval,
        day=day,
        next_run_at=next_run_at,
        is_active=True,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    full_clean(recurring)
    recurring.save()
    journal.record(
        actor,
        recurring,
        "created",
        {
            f: [None, v]
            for f, v in journal.snapshot(recurring, RECURRING_FIELDS).items()
            if v not in ("", None, {})
        },
    )
    return recurring


@transaction.atomic
def update_recurring(actor, recurring: RecurringRequest, *, version=None, **changes):
    """Change the schedule or the answers, pause (``is_active`` False) or resume it."""
    unknown = set(changes) - set(RECURRING_FIELDS)
    if unknown:
        raise invalid(sorted(unknown)[0], _("This cannot be changed here."), "unknown field")
    if not rules.may_manage_recurring(actor, recurring):
        raise refuse(_("Only its creator and administrators change a recurring request."), "user")
    recurring = locked(recurring)
    check_version(recurring, version)
    before = journal.snapshot(recurring, RECURRING_FIELDS)
    for k, v in changes.items():
        setattr(recurring, k, v)
    _check_schedule(recurring.cadence, recurring.interval, recurring.day, recurring.next_run_at)
    if "cadence" in changes and "day" not in changes:
        recurring.day = None
        changes["day"] = None
    recurring.day = _default_day(recurring.cadence, recurring.day, recurring.next_run_at)
    if "name" in changes:
        recurring.name = (recurring.name or "").strip()[:200]
    if {"answers", "catalog_item"} & set(changes):
        recurring.answers = _check_answers(actor, recurring.catalog_item, recurring.answers)
    full_clean(recurring)
    save_versioned(recurring, version, sorted({*changes, "day"}))
    diff = journal.diff(before, journal.snapshot(recurring, RECURRING_FIELDS))
    if diff:
        journal.record(actor, recurring, "updated", diff)
    return recurring


def _run_one(recurring_id: int, now: dt.datetime) -> str | None:
    """Raise the due order of one recurring request; its number, or None when nothing ran."""
    with transaction.atomic():
        recurring = (
            RecurringRequest.objects.select_for_update(of=("self",))
            .select_related("catalog_item", "requested_for", "created_by")
            .filter(pk=recurring_id, is_active=True, next_run_at__lte=now)
            .first()
        )
        if recurring is None:
            return None  # another run took it, or it was paused
        run_at = recurring.next_run_at
        nxt = next_run_after(recurring.cadence, recurring.interval, recurring.day, run_at)
        while nxt <= now:  # missed runs: one order for the latest one due
            run_at, nxt = (
                nxt,
                next_run_after(recurring.cadence, recurring.interval, recurring.day, nxt),
            )
        try:
            with transaction.atomic():
                run = RecurringRun.objects.create(recurring=recurring, run_at=run_at)
        except IntegrityError:
            return None  # this run already happened
        number = None
        try:
            with transaction.atomic():
                request = order(
                    None,
                    requested_for=recurring.requested_for,
                    opened_by=recurring.created_by,
                    items=[
                        {
                            "catalog_item": recurring.catalog_item,
                            "answers": recurring.answers,
                            "quantity": recurring.quantity,
                        }
                    ],
                )
            run.request = request
            number = request.number
            run.save(update_fields=["request"])
        except DomainError as exc:
            run.error = exc.message[:1000]
            run.save(update_fields=["error"])
            log.warning("recurring request %s did not run: %s", recurring.pk, exc.message)
        recurring.last_run_at = run_at
        recurring.next_run_at = nxt
        save_versioned(recurring, None, ["last_run_at", "next_run_at"])
        journal.record(
            None,
            recurring,
            "ran",
            {"request": [None, number], "next_run_at": [run_at, nxt]},
            run.error,
        )
        return number


def run_recurring(now: dt.datetime | None = None) -> list[str]:
    """Raise the orders of every recurring request that fell due (the periodic job). Each in
    its own transaction: one that fails leaves the others. The numbers of the orders raised."""
    now = now or moment()
    due = list(
        RecurringRequest.objects.filter(is_active=True, next_run_at__lte=now)
        .order_by("next_run_at", "id")
        .values_list("pk", flat=True)
    )
    raised = []
    for pk in due:
        number = _run_one(pk, now)
        if number:
            raised.append(number)
    return raised
