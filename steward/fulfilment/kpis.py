"""The request fulfilment KPIs (declared in the practice, apps.py; computed by core.kpis), so
that reporting's catalogue and dashboards list them beside the other practices'.

One fact per requested item, cut by its service, its fulfilment group and the requester's
organisation (items have no priority). Fulfilment time is in business hours on the service's
calendar: the operations store it on the item when it is fulfilled (``delivery_seconds``, and
the target it had, ``target_seconds``), because SQL cannot count working hours. Approval time
is wall-clock time from the order to the round's decision, for items that were asked for
approval."""

from __future__ import annotations

from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from steward.core.kpis import Dialect, Kpi
from steward.fulfilment.choices import ItemStatus
from steward.fulfilment.models import RequestedItem

_ITEM = "fulfilment_requesteditem"
_APPROVAL = "approvals_approvalrequest"
_DIMS = (
    "r.service_id AS service_id, r.owning_group_id AS group_id, NULL AS priority, "
    "r.organization_id AS organization_id"
)
_DIMENSIONS = ("service", "group", "organization")
_LABEL = _("requested items")
_ASKED = (
    f"EXISTS (SELECT 1 FROM {_APPROVAL} AS a WHERE a.subject_type = 'fulfilment.requesteditem' "
    f"AND a.subject_id = r.id)"
)
_REJECTED = f"r.status = '{ItemStatus.REJECTED.value}'"
_DECIDED = f"(r.approved_at IS NOT NULL OR {_REJECTED})"


def item_records(user, sql: str, params: list, offset: int, limit: int):
    """The requested items whose ids ``sql`` selects, as ``user`` may see them, newest
    first."""
    rows = (
        RequestedItem.objects.for_user(user, "view")
        .filter(pk__in=RawSQL(sql, params))  # noqa: S611  (core.kpis builds it, values bound)
        .order_by("-id")
    )
    count = rows.count()
    page = rows.values_list("number", "catalog_item__name", "status")[offset : offset + limit]
    labels = dict(ItemStatus.choices)
    return count, [
        (f"{number} {name}", RequestedItem(number=number).get_absolute_url(), labels.get(s, s))
        for number, name, s in page
    ]


def _facts(at: str, *, v: str = "NULL", num: str = "1", where: str = ""):
    def facts(d: Dialect) -> str:
        measure = v(d) if callable(v) else v
        return (
            f"SELECT {at} AS at, r.id AS rid, {measure} AS v, {num} AS num, 1 AS den, {_DIMS} "
            f"FROM {_ITEM} AS r{f' WHERE {where}' if where else ''}"
        )

    return facts


def _approval_seconds(d: Dialect) -> str:
    return d.seconds("r.created_at", "COALESCE(r.approved_at, r.closed_at)")


def _kpi(key, name, description, formula, unit, good, aggregate, facts, order) -> Kpi:
    return Kpi(
        key=key,
        name=name,
        description=description,
        formula=formula,
        unit=unit,
        good=good,
        aggregate=aggregate,
        facts=facts,
        dimensions=_DIMENSIONS,
        order=order,
        records=item_records,
        records_label=_LABEL,
    )


KPIS = [
    _kpi(
        "requests_raised",
        _("Requests raised"),
        _("How many items were ordered from the catalog in the period."),
        _("count of requested items created in the period"),
        "count",
        "up",
        "count",
        _facts("r.created_at"),
        60,
    ),
    _kpi(
        "requests_fulfilled",
        _("Requests fulfilled"),
        _("How many requested items were delivered in the period."),
        _("count of requested items whose fulfilment time falls in the period"),
        "count",
        "up",
        "count",
        _facts("r.fulfilled_at", where="r.fulfilled_at IS NOT NULL"),
        61,
    ),
    _kpi(
        "fulfilment_time",
        _("Fulfilment time"),
        _(
            "Median business hours from approval to delivery of the items fulfilled in the "
            "period, on each service's calendar."
        ),
        _("median of business hours from approval to fulfilment"),
        "hours",
        "down",
        "median",
        _facts(
            "r.fulfilled_at",
            v="r.delivery_seconds",
            where="r.fulfilled_at IS NOT NULL AND r.delivery_seconds IS NOT NULL",
        ),
        62,
    ),
    _kpi(
        "fulfilment_on_target",
        _("Fulfilled within target"),
        _(
            "Share of the items fulfilled in the period, among those with a delivery target, "
            "that were delivered within it (business hours)."
        ),
        _("items fulfilled within their target ÷ items fulfilled that had a target"),
        "percent",
        "up",
        "rate",
        _facts(
            "r.fulfilled_at",
            num="CASE WHEN r.delivery_seconds <= r.target_seconds THEN 1 ELSE 0 END",
            where="r.fulfilled_at IS NOT NULL AND r.target_seconds IS NOT NULL "
            "AND r.delivery_seconds IS NOT NULL",
        ),
        63,
    ),
    _kpi(
        "approval_time",
        _("Approval time"),
        _(
            "Median hours from the order to the approval decision (approved or rejected) of "
            "the items decided in the period that needed an approval."
        ),
        _("median of hours from order to the approval round's decision"),
        "hours",
        "down",
        "median",
        _facts(
            "COALESCE(r.approved_at, r.closed_at)",
            v=_approval_seconds,
            where=f"{_DECIDED} AND {_ASKED}",
        ),
        64,
    ),
    _kpi(
        "request_rejection_rate",
        _("Rejection rate"),
        _("Share of the items decided in the period that the approvers rejected."),
        _("items rejected ÷ items whose approval was decided"),
        "percent",
        "down",
        "rate",
        _facts(
            "COALESCE(r.approved_at, r.closed_at)",
            num=f"CASE WHEN {_REJECTED} THEN 1 ELSE 0 END",
            where=f"{_DECIDED} AND {_ASKED}",
        ),
        65,
    ),
]
