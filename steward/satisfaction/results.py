"""The satisfaction results over a period ``[start, end)``, in total and per service, group,
agent or month — each one aggregate statement (nothing loops over surveys).

The facts are the surveys **sent** in the period (a survey belongs to the month it was sent
in, whenever it is answered):

- **sent** and **answered**, and the **response rate** = answered ÷ sent;
- the **mean score** of the answers (1 to 5);
- **CSAT** = the answers scoring 4 or 5 ÷ the answers (the top-two-box share, in percent);
- the count of each score, 1 to 5.

A recent period's response rate still grows while its surveys can be answered
(``STEWARD_SURVEY_DAYS``). The dimensions are the ticket's when the survey was sent: its
service, its owning group, its assignee (the agent), and the UTC month of sending."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncMonth
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steward.core import clock
from steward.core.errors import ValidationError
from steward.people.models import SupportGroup, User
from steward.satisfaction.choices import SATISFIED_SCORES, SCORE_MAX, SCORE_MIN
from steward.satisfaction.models import Survey
from steward.services.models import Service

BY = ("service", "group", "agent", "month")
BY_LABELS = {
    "service": gettext_lazy("Service"),
    "group": gettext_lazy("Group"),
    "agent": gettext_lazy("Agent"),
    "month": gettext_lazy("Month"),
}
#: The column of each dimension.
_COLUMNS = {"service": "service_id", "group": "group_id", "agent": "agent_id"}
#: The key of the surveys without a value of the dimension (no service, no agent...).
NONE_KEY = "0"
#: The longest period asked for at once (two years).
MAX_DAYS = 731


@dataclass(frozen=True)
class Period:
    start: dt.datetime
    end: dt.datetime


@dataclass
class Figures:
    sent: int = 0
    answered: int = 0
    satisfied: int = 0
    mean_score: float | None = None
    scores: list[int] = field(default_factory=lambda: [0] * SCORE_MAX)

    @property
    def response_rate(self) -> float | None:
        return round(100.0 * self.answered / self.sent, 1) if self.sent else None

    @property
    def csat(self) -> float | None:
        return round(100.0 * self.satisfied / self.answered, 1) if self.answered else None

    def as_dict(self) -> dict:
        return {
            "sent": self.sent,
            "answered": self.answered,
            "response_rate": self.response_rate,
            "mean_score": self.mean_score,
            "csat": self.csat,
            "satisfied": self.satisfied,
            "scores": list(self.scores),
        }


@dataclass
class Row:
    key: str
    label: str
    figures: Figures


@dataclass
class Report:
    period: Period
    by: str
    totals: Figures
    rows: list[Row]


def _month_start(moment: dt.datetime) -> dt.datetime:
    day = moment.astimezone(dt.UTC)
    return dt.datetime(day.year, day.month, 1, tzinfo=dt.UTC)


def _add_months(moment: dt.datetime, months: int) -> dt.datetime:
    index = moment.year * 12 + moment.month - 1 + months
    return moment.replace(year=index // 12, month=index % 12 + 1, day=1)


def checked_period(start: dt.datetime | None, end: dt.datetime | None) -> Period:
    """``[start, end)``: by default the last twelve UTC months including this one; refused
    (422 naming ``to``) when empty, reversed or longer than two years."""
    if start is None and end is None:
        end = _add_months(_month_start(clock.now()), 1)
        start = _add_months(end, -12)
    elif start is None:
        start = _add_months(_month_start(end), -11)
    elif end is None:
        end = _add_months(_month_start(start), 12)
    if end <= start:
        raise ValidationError.field("to", _("must be after from"))
    if end - start > dt.timedelta(days=MAX_DAYS):
        raise ValidationError.field(
            "to", _("a period of at most %(days)d days") % {"days": MAX_DAYS}
        )
    return Period(start, end)


def _aggregates() -> dict:
    scores = {f"s{n}": Count("id", filter=Q(score=n)) for n in range(SCORE_MIN, SCORE_MAX + 1)}
    return {
        "sent": Count("id"),
        "answered": Count("answered_at"),
        "satisfied": Count("id", filter=Q(score__in=SATISFIED_SCORES)),
        "mean": Avg("score"),
        **scores,
    }


def _figures(row: dict) -> Figures:
    mean = row["mean"]
    return Figures(
        sent=row["sent"],
        answered=row["answered"],
        satisfied=row["satisfied"],
        mean_score=round(float(mean), 2) if mean is not None else None,
        scores=[row[f"s{n}"] for n in range(SCORE_MIN, SCORE_MAX + 1)],
    )


def _labels(by: str, keys: list) -> dict:
    ids = [k for k in keys if k is not None]
    if by == "service":
        return dict(Service.objects.filter(pk__in=ids).values_list("pk", "name"))
    if by == "group":
        return dict(SupportGroup.objects.filter(pk__in=ids).values_list("pk", "name"))
    if by == "agent":
        return {u.pk: u.display_name for u in User.objects.filter(pk__in=ids)}
    return {}


def surveys(user, period: Period):
    """The surveys ``user`` may read that were sent in ``period``."""
    return Survey.objects.for_user(user, "view").filter(
        sent_at__gte=period.start, sent_at__lt=period.end
    )


def report(user, period: Period, by: str = "", **filters) -> Report:
    """The figures of ``period`` (with ``by``: one row per key, largest first; months in
    order, every month of the period present). ``filters``: ``service``, ``group``, ``agent``
    ids narrowing the surveys."""
    rows_qs = surveys(user, period)
    for name, value in filters.items():
        if value is not None:
            rows_qs = rows_qs.filter(**{_COLUMNS[name]: value})
    totals = _figures(rows_qs.aggregate(**_aggregates()))
    rows: list[Row] = []
    if by == "month":
        found = {
            r["bucket"].astimezone(dt.UTC).date().isoformat()[:7]: _figures(r)
            for r in rows_qs.annotate(bucket=TruncMonth("sent_at", tzinfo=dt.UTC))
            .values("bucket")
            .annotate(**_aggregates())
            .order_by("bucket")
        }
        month = _month_start(period.start)
        while month < period.end:
            key = month.date().isoformat()[:7]
            label = formats.date_format(month.date(), "YEAR_MONTH_FORMAT")
            rows.append(Row(f"{key}-01", label, found.get(key, Figures())))
            month = _add_months(month, 1)
    elif by:
        column = _COLUMNS[by]
        found = list(rows_qs.values(column).annotate(**_aggregates()).order_by())
        labels = _labels(by, [r[column] for r in found])
        for r in found:
            key = r[column]
            label = labels.get(key, "") if key is not None else _("None")
            rows.append(Row(str(key) if key is not None else NONE_KEY, label, _figures(r)))
        rows.sort(key=lambda row: (-row.figures.sent, row.label))
    return Report(period, by, totals, rows)
