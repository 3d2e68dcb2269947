"""The knowledge measures (issue 19), each computed in SQL over a period ``[start, end)``, for
the whole period or cut by agent, group, service, category or month (``measures_sql`` says
what each dimension means for each measure).

- **link rate**: incidents resolved in the period with at least one linked article ÷
  incidents resolved in the period;
- **links** (reuse vs create): the links made in the period by kind, and the reused share;
- **participation**: the active agents who took part (linked an article to an incident, or
  wrote an article) ÷ the active agents. Active agents are IT staff who did any incident work
  in the period — wrote any journal entry on an incident (opened, commented, assigned,
  resolved...) — or took part;
- **time to validate** and **time to external**: from an article's creation to its first
  validation (``validated_at``) and to its first external audience (``published_at``), for
  the articles that reached it in the period: count, median and mean in hours;
- **citations per article**: links made in the period ÷ the articles available in it
  (written before its end, not archived before its start);
- **flag resolution time**: from a flag being raised to it being fixed or dismissed, for the
  flags resolved in the period: median and mean in hours;
- **self-service success**: the portal searches of the period followed by no incident raised
  by the same person within 24 hours ÷ the portal searches (only searches whose 24 hours are
  over: a younger one may still be followed by an incident);
- **deflection**: the portal article views followed by no incident within 24 hours (count,
  and share of the views);
- **Article Quality Index**: 100 * (1 - sum(weight * defects) / (reviews * sum(weights))) over the
  coaches' reviews of the period (weights: ``choices.QUALITY_WEIGHTS``).

Each returns one aggregated row per key; nothing here loops over facts. Only IT staff read
these figures: the views and the API check it before calling."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steward.core import clock
from steward.core.errors import ValidationError
from steward.core.kpis import Dialect, buckets, dialect
from steward.incidents.models import IncidentCategory
from steward.knowledge import measures_sql as q
from steward.people.models import SupportGroup, User
from steward.services.models import Service

#: What the figures may be cut by.
BY = ("agent", "group", "service", "category", "month")
BY_LABELS = {
    "agent": gettext_lazy("Agent"),
    "group": gettext_lazy("Group"),
    "service": gettext_lazy("Service"),
    "category": gettext_lazy("Category"),
    "month": gettext_lazy("Month"),
}
MEASURES = tuple(q.SOURCES)
#: The longest period asked for at once (two years of months).
MAX_DAYS = 731
#: The key of the facts without a value of the dimension (no group, no service...).
NONE_KEY = "0"
DAY = dt.timedelta(hours=24)
#: Periods end before this year (the months after a period's end must exist).
LAST_YEAR = 9998


@dataclass(frozen=True)
class Period:
    start: dt.datetime
    end: dt.datetime

    def months(self) -> list[tuple[str, dt.datetime, dt.datetime]]:
        """(``YYYY-MM-01``, start, end) of each UTC month the period touches, cut to it."""
        out = []
        for key, stop in buckets("month", self.start, self.end):
            first = dt.datetime.fromisoformat(key).replace(tzinfo=dt.UTC)
            out.append((key, max(first, self.start), stop))
        return out


def month_of(moment: dt.datetime | None = None) -> Period:
    """The UTC calendar month of ``moment`` (default now): the default period."""
    moment = (moment or clock.now()).astimezone(dt.UTC)
    first = dt.datetime(moment.year, moment.month, 1, tzinfo=dt.UTC)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return Period(first, following)


def checked_period(start: dt.datetime | None, end: dt.datetime | None) -> Period:
    """The period asked for, the current month by default (a missing end: a month after the
    start; a missing start: a month before the end; a time without a zone: UTC). A period
    that ends before it starts, is longer than ``MAX_DAYS`` or reaches past year 9998 is a 422
    naming the field."""
    if start is None and end is None:
        return month_of()
    start, end = (
        m.replace(tzinfo=dt.UTC) if m is not None and m.tzinfo is None else m for m in (start, end)
    )
    for name, moment in (("from", start), ("to", end)):
        if moment is not None and not 1 < moment.year < LAST_YEAR:
            raise ValidationError.field(name, "is out of range")
    if end is None:
        end = start + dt.timedelta(days=31)
    if start is None:
        start = end - dt.timedelta(days=31)
    if end <= start:
        raise ValidationError.field("to", "must be after from")
    if end - start > dt.timedelta(days=MAX_DAYS):
        raise ValidationError.field("to", f"the period may cover at most {MAX_DAYS} days")
    return Period(start, end)


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _key(value) -> str:
    return "" if value is None else str(value)


def _int(value) -> int:
    return int(value or 0)


def _share(part: int, whole: int) -> float | None:
    """``part`` ÷ ``whole`` in percent (2 decimals), None when there is no whole."""
    return round(100 * part / whole, 2) if whole else None


def _hours(seconds) -> float | None:
    return None if seconds is None else round(float(seconds) / 3600, 2)


# --- the figure of one key, from its aggregated row (None: no row) -------------------------------


def _rate(names: tuple[str, str, str]):
    whole, part, share = names

    def figure(row) -> dict:
        den, num = (_int(row[1]), _int(row[2])) if row else (0, 0)
        return {whole: den, part: num, share: _share(num, den)}

    return figure


def _links(row) -> dict:
    reuse, made = (_int(row[1]), _int(row[2])) if row else (0, 0)
    return {
        "reuse": reuse,
        "create": made,
        "total": reuse + made,
        "reuse_share": _share(reuse, reuse + made),
    }


def _durations(row) -> dict:
    if not row:
        return {"count": 0, "median_hours": None, "mean_hours": None}
    return {"count": _int(row[1]), "median_hours": _hours(row[3]), "mean_hours": _hours(row[2])}


def _aqi(row) -> dict:
    reviews, weighted = (_int(row[1]), float(row[2] or 0)) if row else (0, 0.0)
    index = None
    if reviews:
        index = round(100 * (1 - weighted / (reviews * q.WEIGHT_TOTAL)), 2)
    return {"reviews": reviews, "index": index}


#: measure -> (statement, figure, whether the statement takes the settled moment)
_MEASURES = {
    "link_rate": (q.link_rate, _rate(("resolved", "linked", "rate")), False),
    "links": (q.links, _links, False),
    "participation": (q.participation, _rate(("active", "participating", "rate")), False),
    "time_to_validate": (q.time_to_validate, _durations, False),
    "time_to_external": (q.time_to_external, _durations, False),
    "flag_resolution": (q.flag_resolution, _durations, False),
    "self_service": (q.self_service, _rate(("searches", "successful", "rate")), True),
    "deflection": (q.deflection, _rate(("views", "deflected", "rate")), True),
    "aqi": (q.aqi, _aqi, False),
}


def _citations(d: Dialect, period: Period, by: str) -> dict[str, dict]:
    start, end = d.moment(period.start), d.moment(period.end)
    made = {_key(k): _int(n) for k, n in _rows(*q.citations(d, by, start, end))}
    sql, params = q.available(d, by, start, end, period.months())
    articles = {_key(k): _int(n) for k, n in _rows(sql, params)}
    out = {}
    for key in made.keys() | articles.keys():
        n, total = made.get(key, 0), articles.get(key, 0)
        out[key] = {
            "links": n,
            "articles": total,
            "per_article": round(n / total, 2) if total else None,
        }
    return out


def _empty_citations(_row=None) -> dict:
    return {"links": 0, "articles": 0, "per_article": None}


def empty(measure: str) -> dict:
    """The figure of a key with no facts for ``measure``."""
    if measure == "citations":
        return _empty_citations()
    return _MEASURES[measure][1](None)


def measure(name: str, period: Period, by: str = "") -> dict[str, dict] | None:
    """One measure: key -> figure (``''`` the whole period), or None when the measure is not
    cut by ``by`` (a portal search has no agent, group, service or category)."""
    if by and by not in BY:
        raise ValueError(by)
    if not q.SOURCES[name].applies(by):
        return None
    d = dialect()
    if name == "citations":
        return _citations(d, period, by)
    statement, figure, settles = _MEASURES[name]
    args = [d, by, d.moment(period.start), d.moment(period.end)]
    if settles:
        args.append(d.moment(clock.now() - DAY))
    return {_key(row[0]): figure(row) for row in _rows(*statement(*args))}


def totals(period: Period) -> dict[str, dict]:
    """Every measure over the whole period."""
    return {name: measure(name, period).get("", empty(name)) for name in MEASURES}


# --- a report: the totals and one row per key ------------------------------------------------


@dataclass
class Row:
    key: str
    label: str
    figures: dict[str, dict | None] = field(default_factory=dict)


@dataclass
class Report:
    period: Period
    by: str
    totals: dict[str, dict]
    rows: list[Row]


def _labels(by: str, keys: set[str]) -> dict[str, str]:
    """The name of each key (one query)."""
    if by == "month":
        return {k: formats.date_format(dt.date.fromisoformat(k), "YEAR_MONTH_FORMAT") for k in keys}
    ids = [int(k) for k in keys if k.isdigit() and k != NONE_KEY]
    names: dict[str, str] = {}
    if by == "agent":
        for user in User.objects.filter(pk__in=ids).only("username", "first_name", "last_name"):
            names[str(user.pk)] = user.get_full_name() or user.username
    else:
        model = {"group": SupportGroup, "service": Service, "category": IncidentCategory}[by]
        names = {
            str(pk): str(name)
            for pk, name in model.objects.filter(pk__in=ids).values_list("pk", "name")
        }
    none = {
        "agent": _("Nobody"),
        "group": _("No group"),
        "service": _("No service"),
        "category": _("No category"),
    }[by]
    return {k: names.get(k, none if k == NONE_KEY else k) for k in keys}


def report(period: Period, by: str = "") -> Report:
    """The totals of the period and, with ``by``, one row per key (:func:`rows`)."""
    return Report(period, by, totals(period), rows(period, by) if by else [])


def rows(period: Period, by: str) -> list[Row]:
    """One row per key of ``by`` that has any fact (every month of the period, with or
    without), ordered by month or by name ("no group" and the like last)."""
    if by not in BY:
        raise ValueError(by)
    found = {name: measure(name, period, by) for name in MEASURES}
    keys: set[str] = set()
    for figures in found.values():
        keys |= set(figures or ())
    if by == "month":
        keys |= {key for key, _s, _e in period.months()}
    labels = _labels(by, keys)
    out = [
        Row(
            key,
            labels[key],
            {
                name: (None if figures is None else figures.get(key, empty(name)))
                for name, figures in found.items()
            },
        )
        for key in keys
    ]
    if by == "month":
        out.sort(key=lambda r: r.key)
    else:
        out.sort(key=lambda r: (r.key == NONE_KEY, r.label.casefold(), r.key))
    return out
