"""Dashboards on the read side: a widget's period and filters checked as the KPI API checks a
query, its data computed (one KPI statement per widget), its CSV, and the role defaults.

The role defaults are computed, never stored: a person with no dashboard of their own sees the
defaults of the roles they hold (agent, group manager, service owner, process owner, IT
manager) and may copy one to their own dashboards (``operations.copy_default``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steward.core import kpis as registry
from steward.core.errors import NotFound, ValidationError
from steward.people.models import Organization, SupportGroup
from steward.reporting import queries
from steward.reporting.models import Dashboard, Period, Widget, WidgetKind
from steward.services.models import Service

#: Rows of a "list of records" widget on its dashboard (the CSV has them all, up to CSV_ROWS).
RECORD_ROWS = 10
CSV_ROWS = 10_000
#: Most widgets one dashboard holds.
MAX_WIDGETS = 24
FILTERS = ("service", "group", "priority", "organization")
#: What each kind draws its series by: a time bucket, a dimension, anything, or nothing.
KIND_GROUPINGS = {
    WidgetKind.FIGURE: (),
    WidgetKind.RECORDS: (),
    WidgetKind.SERIES: registry.TIME_BUCKETS,
    WidgetKind.BARS: registry.DIMENSIONS,
    WidgetKind.TABLE: registry.GROUPINGS,
}


def period_bounds(period: str, now: dt.datetime | None = None) -> tuple[dt.datetime, dt.datetime]:
    """``[start, end)`` of a preset in whole UTC days, today included."""
    today = (now or timezone.now()).astimezone(dt.UTC).date()
    end = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    first = dt.datetime.combine(today.replace(day=1), dt.time(), tzinfo=dt.UTC)
    if period == Period.MONTH_TO_DATE:
        return first, end
    if period == Period.LAST_MONTH:
        previous = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        return dt.datetime.combine(previous, dt.time(), tzinfo=dt.UTC), first
    days = {Period.LAST_7: 7, Period.LAST_30: 30, Period.LAST_90: 90}.get(period)
    if days is None:
        raise ValidationError.field("period", f"must be one of {', '.join(Period.values)}")
    return end - dt.timedelta(days=days), end


_ROWS = {
    "service": (Service.objects, "service"),
    "group": (SupportGroup.objects, "support group"),
    "organization": (Organization.objects, "organization"),
}


def check_widget(spec: dict) -> queries.Request:
    """Check a widget's ``kind``, ``kpi``, ``period``, filters and ``group_by`` (a 422 naming
    the field): the KPI must be on, the grouping fit the kind, and the rest pass the KPI API's
    own checks (``queries.build``). Returns the built request for today."""
    kind = spec.get("kind")
    if kind not in WidgetKind.values:
        raise ValidationError.field("kind", f"must be one of {', '.join(WidgetKind.values)}")
    kpi = registry.get_kpi(spec.get("kpi") or "")
    if kpi is None:
        raise ValidationError.field(
            "kpi", f"no KPI {spec.get('kpi')!r} (or its practice is switched off)"
        )
    group_by = spec.get("group_by") or ""
    allowed = KIND_GROUPINGS[WidgetKind(kind)]
    if not allowed and group_by:
        raise ValidationError.field("group_by", f"a {kind} widget is not grouped: leave it empty")
    if allowed and group_by not in allowed:
        raise ValidationError.field(
            "group_by", f"a {kind} widget is grouped by one of {', '.join(allowed)}"
        )
    if kind == WidgetKind.RECORDS and kpi.records is None:
        raise ValidationError.field("kind", f"{kpi.key} has no list of records")
    filters = {name: spec.get(name) for name in FILTERS}
    for name, (manager, label) in _ROWS.items():
        pk = filters[name]
        if pk is not None and not manager.filter(pk=pk).exists():
            raise ValidationError.field(name, f"{label} {pk} does not exist")
    start, end = period_bounds(spec.get("period") or Period.LAST_30)
    return queries.build(kpi, start=start, end=end, group_by=group_by, **filters)


def spec_of(widget: Widget) -> dict:
    return {
        "kind": widget.kind,
        "kpi": widget.kpi,
        "period": widget.period,
        "group_by": widget.group_by,
        **{name: getattr(widget, name) for name in FILTERS},
    }


# --- what a widget shows ------------------------------------------------------------------------


def _kpi_params(built: queries.Request, **extra) -> str:
    """The KPI page's query string for a widget (from/to as days, ``to`` included)."""
    query = built.query
    params = {
        "from": query.start.date().isoformat(),
        "to": (query.end - dt.timedelta(days=1)).date().isoformat(),
        **built.filters,
    }
    if query.group_by:
        params["group_by"] = query.group_by
    params.update({k: v for k, v in extra.items() if v not in (None, "")})
    return urlencode(params)


def kpi_link(widget: Widget) -> str:
    """The KPI page with the widget's period and filters (where to explore further)."""
    built = check_widget(spec_of(widget))
    return f"{reverse('reporting:kpi', args=[widget.kpi])}?{_kpi_params(built)}"


@dataclass
class WidgetData:
    """A widget computed for a reader: the KPI figure (``queries.figure``) and, for a list of
    records, the first rows and their count."""

    widget: Widget
    kpi: registry.Kpi
    figure: dict
    records_count: int = 0
    records: list = field(default_factory=list)
    error: str = ""

    @property
    def title(self) -> str:
        return str(self.widget.title or self.kpi.name)


def compute(user, widget: Widget, *, record_rows: int = RECORD_ROWS) -> WidgetData:
    """The widget's data as ``user`` may see it. A widget whose KPI was switched off since, or
    whose filters no longer pass, answers 404 (the API) / a note (the pages) via NotFound."""
    try:
        built = check_widget(spec_of(widget))
    except ValidationError as exc:
        raise NotFound(f"The widget cannot be computed now: {exc.message}") from exc
    kpi = built.kpi
    figure = queries.figure(built)
    records_page = reverse("reporting:records", args=[kpi.key])
    figure["url"] = f"{records_page}?{_kpi_params(built)}" if kpi.records else ""
    figure["kpi_url"] = f"{reverse('reporting:kpi', args=[kpi.key])}?{_kpi_params(built)}"
    for point in figure["series"]:
        bucket = point["key"] or registry.NO_VALUE
        point["url"] = f"{records_page}?{_kpi_params(built, bucket=bucket)}" if kpi.records else ""
    data = WidgetData(widget, kpi, figure)
    if widget.kind == WidgetKind.RECORDS and kpi.records is not None:
        sql, params = registry.record_ids(kpi, built.query)
        data.records_count, data.records = kpi.records(user, sql, params, 0, record_rows)
    return data


# --- CSV ---------------------------------------------------------------------------------------

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """A cell a spreadsheet will not run: text starting with = + - @ tab or CR gets a ``'``."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def as_csv(data: WidgetData) -> str:
    """The widget's figures (or its records) as CSV, every cell formula-safe."""
    figure = data.figure
    out = io.StringIO()
    writer = csv.writer(out)
    rows: list[list] = []
    if data.widget.kind == WidgetKind.RECORDS:
        rows.append([_("Record"), _("Details"), _("Address")])
        rows += [[label, meta, url] for label, url, meta in data.records]
    elif data.widget.kind == WidgetKind.FIGURE:
        rows.append(
            [
                *(_("KPI"), _("From"), _("To"), _("Value"), _("Unit"), _("Records")),
                *(_("Previous value"), _("Previous records"), _("Change")),
            ]
        )
        rows.append(
            [
                figure["name"],
                figure["from"].isoformat(),
                figure["to"].isoformat(),
                figure["value"],
                figure["unit"],
                figure["count"],
                figure["previous"],
                figure["previous_count"],
                figure["change"],
            ]
        )
    else:
        rows.append([figure["group_by"], _("Value"), _("Records")])
        rows += [[p["label"], p["value"], p["count"]] for p in figure["series"]]
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()


def csv_data(user, widget: Widget) -> WidgetData:
    return compute(user, widget, record_rows=CSV_ROWS)


def csv_filename(widget: Widget) -> str:
    return f"dashboard-{widget.dashboard_id or 'default'}-widget-{widget.pk or widget.position}.csv"


# --- the role defaults --------------------------------------------------------------------------

ROLES = {
    "agent": gettext_lazy("Agent"),
    "group_manager": gettext_lazy("Group manager"),
    "service_owner": gettext_lazy("Service owner"),
    "process_owner": gettext_lazy("Process owner"),
    "it_manager": gettext_lazy("IT manager"),
}
#: Groups or services a default shows at most (one set of widgets each).
SCOPE_LIMIT = 3


@dataclass
class DefaultDashboard:
    """A role's dashboard for one person, computed: unsaved widgets (``position`` is their
    number on the page)."""

    role: str
    name: str
    widgets: list[Widget]
    version: int = 0
    shared_with = None
    owner = None
    pk = None

    @property
    def role_label(self) -> str:
        return str(ROLES[self.role])


W = WidgetKind
P = Period
#: (kind, kpi, period, group_by) of each role's widgets; ``scope`` ones repeat per group/service.
_PLANS = {
    "agent": [
        (W.FIGURE, "incident_backlog", P.LAST_30, ""),
        (W.FIGURE, "incidents_resolved", P.LAST_30, ""),
        (W.SERIES, "incidents_raised", P.LAST_30, "day"),
        (W.RECORDS, "incident_backlog", P.LAST_30, ""),
    ],
    "group_manager": [
        (W.FIGURE, "incident_backlog", P.LAST_30, ""),
        (W.FIGURE, "handover_acceptance_median", P.LAST_30, ""),
        (W.FIGURE, "incident_mttr", P.LAST_30, ""),
        (W.SERIES, "incidents_resolved", P.LAST_90, "week"),
        (W.TABLE, "incident_sla_resolution_met", P.LAST_30, "priority"),
    ],
    "service_owner": [
        (W.FIGURE, "incident_sla_resolution_met", P.LAST_30, ""),
        (W.FIGURE, "incidents_raised", P.LAST_30, ""),
        (W.SERIES, "incidents_raised", P.LAST_90, "week"),
        (W.BARS, "incidents_raised", P.LAST_30, "priority"),
    ],
    "process_owner": [
        (W.FIGURE, "incident_mttr", P.LAST_30, ""),
        (W.FIGURE, "incident_reopen_rate", P.LAST_30, ""),
        (W.FIGURE, "incident_reassignment_rate", P.LAST_30, ""),
        (W.SERIES, "incident_mttr", P.LAST_90, "week"),
        (W.BARS, "incident_first_level_resolution", P.LAST_30, "group"),
    ],
    "it_manager": [
        (W.FIGURE, "incidents_raised", P.LAST_30, ""),
        (W.FIGURE, "incident_backlog", P.LAST_30, ""),
        (W.FIGURE, "incident_sla_resolution_met", P.LAST_30, ""),
        (W.FIGURE, "major_incidents", P.LAST_90, ""),
        (W.SERIES, "incidents_raised", P.LAST_90, "week"),
        (W.BARS, "incident_backlog", P.LAST_30, "service"),
    ],
}


def _scopes(user, role: str) -> list[tuple[str, object]] | None:
    """The (filter, row) pairs a role's widgets repeat for, [] for the whole organisation, or
    None when the person does not hold the role."""
    from steward.ownership.models import Process
    from steward.people.choices import Role

    if role == "agent":
        if not user.has_role(Role.AGENT):
            return None
        groups = user.support_groups.filter(is_active=True).order_by("name")[:SCOPE_LIMIT]
        return [("group", g) for g in groups]
    if role == "group_manager":
        groups = user.managed_groups.filter(is_active=True).order_by("name")[:SCOPE_LIMIT]
        return [("group", g) for g in groups] or None
    if role == "service_owner":
        services = Service.objects.filter(owner=user).order_by("name")[:SCOPE_LIMIT]
        return [("service", s) for s in services] or None
    if role == "process_owner":
        return [] if Process.objects.filter(owner=user).exists() else None
    if role == "it_manager":
        return [] if user.is_admin else None
    return None


def default_for(user, role: str) -> DefaultDashboard | None:
    """The role's default dashboard for ``user``, or None when they do not hold the role (or
    none of its KPIs is on)."""
    if role not in _PLANS or not queries.may_read(user):
        return None
    scopes = _scopes(user, role)
    if scopes is None:
        return None
    widgets: list[Widget] = []
    for dimension, row in scopes or [(None, None)]:
        for kind, key, period, group_by in _PLANS[role]:
            kpi = registry.get_kpi(key)
            if kpi is None or (dimension and dimension not in kpi.dimensions):
                continue
            if group_by and group_by == dimension:
                continue
            title = f"{kpi.name} · {row.name}" if row is not None else ""
            widget = Widget(kind=kind, kpi=key, period=period, group_by=group_by, title=title[:120])
            if dimension:
                setattr(widget, dimension, row.pk)
            widget.position = len(widgets) + 1
            widgets.append(widget)
    if not widgets:
        return None
    return DefaultDashboard(role, _("%(role)s dashboard") % {"role": ROLES[role]}, widgets)


def defaults_for(user) -> list[DefaultDashboard]:
    """The defaults of every role ``user`` holds."""
    return [d for role in ROLES if (d := default_for(user, role)) is not None]


def default_or_404(user, role: str) -> DefaultDashboard:
    found = default_for(user, role)
    if found is None:
        raise NotFound(f"No default dashboard {role!r} for you.")
    return found


# --- reading stored dashboards ------------------------------------------------------------------


def visible(user):
    """The dashboards ``user`` reads: their own and those shared with their groups."""
    return (
        Dashboard.objects.for_user(user, "view").distinct().select_related("owner", "shared_with")
    )


def dashboard_or_404(user, pk: int) -> Dashboard:
    queries.require_reader(user)
    found = visible(user).filter(pk=pk).prefetch_related("widgets").first()
    if found is None:
        raise NotFound(f"Dashboard {pk} not found.")
    return found


def widget_or_404(dashboard: Dashboard, pk: int) -> Widget:
    for widget in dashboard.widgets.all():
        if widget.pk == pk:
            widget.dashboard = dashboard
            return widget
    raise NotFound(f"Widget {pk} not found on dashboard {dashboard.pk}.")
