"""The knowledge metrics page (``knowledge:metrics``) and its CSV (``knowledge:metrics_csv``):
the measures of ``knowledge.measures`` over a period (the current UTC month by default), its
key figures, a chart per measure of the twelve months up to the period's end, and the figures
per agent, group, service, category or month. IT staff only: anyone else gets a 404, as for a
page that does not exist, before anything is counted."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steward.core.period_form import PeriodForm
from steward.knowledge import charts, measures
from steward.knowledge.measures import BY, BY_LABELS, MAX_DAYS, Period

DEFAULT_BY = "group"
CHART_MONTHS = 12


class MetricsForm(PeriodForm):
    by = forms.ChoiceField(
        label=gettext_lazy("Figures per"),
        required=False,
        choices=[(key, BY_LABELS[key]) for key in BY],
    )


def _reader(request) -> None:
    if not (request.user.is_authenticated and request.user.is_it):
        raise Http404


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def _chosen(request) -> tuple[MetricsForm, Period, str]:
    """The form, the period (UTC days, the end day included) and the dimension asked for;
    the current month and ``DEFAULT_BY`` where nothing (valid) was asked."""
    form = MetricsForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    month = measures.month_of()
    start_day = data.get("start") or month.start.date()
    end_day = data.get("end") or (month.end - dt.timedelta(days=1)).date()
    if start_day > end_day or (end_day - start_day).days >= MAX_DAYS:
        start_day, end_day = month.start.date(), (month.end - dt.timedelta(days=1)).date()
    by = data.get("by") or DEFAULT_BY
    if not request.GET or not form.is_bound:
        form = MetricsForm(initial={"start": start_day, "end": end_day, "by": by})
    return form, Period(_midnight(start_day), _midnight(end_day + dt.timedelta(days=1))), by


def _chart_period(period: Period) -> Period:
    """The twelve UTC months up to the one the period ends in (or the whole period)."""
    last = (period.end - dt.timedelta(microseconds=1)).date().replace(day=1)
    first = last
    for _month in range(CHART_MONTHS - 1):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return Period(min(period.start, _midnight(first)), period.end)


def _num(value) -> str:
    if value is None:
        return "—"
    value = round(float(value), 2)
    return formats.number_format(int(value) if value.is_integer() else value, use_l10n=True)


#: The charts: (measure, field, title, suffix on the bars, fixed axis top).
CHARTS = (
    ("link_rate", "rate", gettext_lazy("Link rate"), " %", 100),
    ("links", "reuse_share", gettext_lazy("Reused share of the links"), " %", 100),
    ("participation", "rate", gettext_lazy("Participation"), " %", 100),
    ("time_to_validate", "median_hours", gettext_lazy("Time to validate (median)"), "h", None),
    ("self_service", "rate", gettext_lazy("Self-service success"), " %", 100),
    ("aqi", "index", gettext_lazy("Article Quality Index"), "", 100),
)


def _charts(months: list[measures.Row]) -> list[dict]:
    out = []
    for name, field, title, suffix, top in CHARTS:
        points = [(row.key, row.label, row.figures[name][field]) for row in months]
        # the hours' unit is a word of the reader's language (Dutch writes "u")
        suffix = " " + _("h") if suffix == "h" else suffix
        out.append(
            {"key": name, "title": title, "chart": charts.months(points, suffix=suffix, top=top)}
        )
    return out


def _tiles(t: dict) -> list[dict]:
    """The key figures of the period, each with what it is made of."""
    lr, links, part = t["link_rate"], t["links"], t["participation"]
    val, ext, flags = t["time_to_validate"], t["time_to_external"], t["flag_resolution"]
    cit, ss, defl, aqi = t["citations"], t["self_service"], t["deflection"], t["aqi"]
    return [
        {
            "title": _("Link rate"),
            "value": _num(lr["rate"]),
            "unit": "%",
            "detail": _("%(linked)s of %(resolved)s resolved incidents have an article")
            % {"linked": lr["linked"], "resolved": lr["resolved"]},
        },
        {
            "title": _("Reused"),
            "value": _num(links["reuse_share"]),
            "unit": "%",
            "detail": _("%(reuse)s reused, %(create)s created from the incident")
            % {"reuse": links["reuse"], "create": links["create"]},
        },
        {
            "title": _("Participation"),
            "value": _num(part["rate"]),
            "unit": "%",
            "detail": _("%(n)s of %(active)s active agents linked or wrote an article")
            % {"n": part["participating"], "active": part["active"]},
        },
        {
            "title": _("Time to validate"),
            "value": _num(val["median_hours"]),
            "unit": _("h median"),
            "detail": _("mean %(mean)s h over %(n)s articles")
            % {"mean": _num(val["mean_hours"]), "n": val["count"]},
        },
        {
            "title": _("Time to external"),
            "value": _num(ext["median_hours"]),
            "unit": _("h median"),
            "detail": _("mean %(mean)s h over %(n)s articles")
            % {"mean": _num(ext["mean_hours"]), "n": ext["count"]},
        },
        {
            "title": _("Citations per article"),
            "value": _num(cit["per_article"]),
            "unit": "",
            "detail": _("%(links)s links to %(articles)s available articles")
            % {"links": cit["links"], "articles": cit["articles"]},
        },
        {
            "title": _("Flag resolution time"),
            "value": _num(flags["median_hours"]),
            "unit": _("h median"),
            "detail": _("mean %(mean)s h over %(n)s flags")
            % {"mean": _num(flags["mean_hours"]), "n": flags["count"]},
        },
        {
            "title": _("Self-service success"),
            "value": _num(ss["rate"]),
            "unit": "%",
            "detail": _("%(n)s of %(searches)s portal searches, no incident within 24 h")
            % {"n": ss["successful"], "searches": ss["searches"]},
        },
        {
            "title": _("Deflection"),
            "value": _num(defl["deflected"]),
            "unit": _("views"),
            "detail": _("%(rate)s %% of %(views)s article views, no incident within 24 h")
            % {"rate": _num(defl["rate"]), "views": defl["views"]},
        },
        {
            "title": _("Article Quality Index"),
            "value": _num(aqi["index"]),
            "unit": "",
            "detail": _("from %(n)s coach reviews") % {"n": aqi["reviews"]},
        },
    ]


def _cells(f: dict) -> list[tuple[str, str]]:
    """One table row's cells as (figure, what it is made of); a dash where there is no
    figure or the measure is not cut this way."""
    dash = ("—", "")

    def rate(figure, part, whole, share):
        if figure is None or figure[share] is None:
            return dash
        return f"{_num(figure[share])} %", f"{figure[part]}/{figure[whole]}"

    def median(figure):
        if figure is None or figure["median_hours"] is None:
            return dash
        return _("%(hours)s h") % {"hours": _num(figure["median_hours"])}, f"n = {figure['count']}"

    links, citations, aqi = f["links"], f["citations"], f["aqi"]
    return [
        rate(f["link_rate"], "linked", "resolved", "rate"),
        dash if links is None else (f"{links['reuse']} / {links['create']}", ""),
        rate(f["participation"], "participating", "active", "rate"),
        median(f["time_to_validate"]),
        median(f["time_to_external"]),
        dash
        if citations is None or citations["per_article"] is None
        else (_num(citations["per_article"]), f"{citations['links']}/{citations['articles']}"),
        median(f["flag_resolution"]),
        rate(f["self_service"], "successful", "searches", "rate"),
        rate(f["deflection"], "deflected", "views", "rate"),
        dash
        if aqi is None or aqi["index"] is None
        else (_num(aqi["index"]), f"n = {aqi['reviews']}"),
    ]


def _columns() -> list[str]:
    return [
        _("Link rate"),
        _("Reused / created"),
        _("Participation"),
        _("Time to validate"),
        _("Time to external"),
        _("Citations per article"),
        _("Flag resolution"),
        _("Self-service success"),
        _("Deflection"),
        _("AQI"),
    ]


def _labelled(figures: dict) -> list[tuple[str, str, str]]:
    """(column, figure, note) per cell: on a phone each cell shows its column's name."""
    return [
        (column, main, note)
        for column, (main, note) in zip(_columns(), _cells(figures), strict=True)
    ]


@login_required
def metrics_page(request):
    _reader(request)
    form, period, by = _chosen(request)
    report = measures.report(period, by)
    months = measures.rows(_chart_period(period), "month")
    query = request.GET.urlencode()
    context = {
        "form": form,
        "period": period,
        "last_day": (period.end - dt.timedelta(days=1)).date(),
        "by_label": BY_LABELS[by],
        "tiles": _tiles(report.totals),
        "charts": _charts(months),
        "months": [(row.label, _labelled(row.figures)) for row in months],
        "rows": [(row.label, _labelled(row.figures)) for row in report.rows],
        "totals": _labelled(report.totals),
        "columns": _columns(),
        "csv_query": query,
    }
    return render(request, "knowledge/metrics.html", context)


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(value) -> str:
    """A cell a spreadsheet will not run: text starting with = + - @ tab or CR gets a ``'``."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def _flat(figures: dict) -> list:
    out = []
    for name in measures.MEASURES:
        figure = figures.get(name)
        fields = measures.empty(name).keys()
        out += ["" if figure is None else figure[field] for field in fields]
    return out


@login_required
def metrics_csv(request):
    """The page's figures as CSV: the totals, then one row per key of the dimension asked
    for; one column per figure (``measure.field``), every cell formula-safe."""
    _reader(request)
    _form, period, by = _chosen(request)
    report = measures.report(period, by)
    header = [str(BY_LABELS[by]), "key"]
    for name in measures.MEASURES:
        header += [f"{name}.{field}" for field in measures.empty(name)]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_safe(cell) for cell in header])
    writer.writerow([_safe(cell) for cell in [_("Total"), "", *_flat(report.totals)]])
    for row in report.rows:
        writer.writerow([_safe(cell) for cell in [row.label, row.key, *_flat(row.figures)]])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    start, last = period.start.date(), (period.end - dt.timedelta(days=1)).date()
    name = f"knowledge-metrics-{start.isoformat()}-{last.isoformat()}-{by}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
