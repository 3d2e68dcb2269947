"""KPI pages: the catalogue, one KPI (filters, value and trend, an SVG chart and its table)
and the records behind a figure. IT staff only: anyone else gets a 404, as for a page that
does not exist."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from steward.core import kpis as registry
from steward.core import practices
from steward.core.errors import DomainError
from steward.reporting import charts, queries
from steward.reporting.forms import GROUP_LABELS, KpiFilterForm

PAGE_SIZE = 50


def _reader(request) -> None:
    if not queries.may_read(request.user):
        raise Http404


def _kpi(key: str) -> registry.Kpi:
    kpi = registry.get_kpi(key)
    if kpi is None:
        raise Http404
    return kpi


@login_required
@require_GET
def catalogue(request):
    _reader(request)
    return render(
        request,
        "reporting/catalogue.html",
        {"kpis": [queries.definition(k) for k in registry.enabled_kpis()]},
    )


def _query_string(form: KpiFilterForm, **extra) -> str:
    """The page's filters as a query string (for the links to the records)."""
    data = form.cleaned_data
    params = {}
    for name in ("from", "to"):
        if data.get(name):
            params[name] = data[name].isoformat()
    params.update(form.dimension_filters())
    if data.get("group_by"):
        params["group_by"] = data["group_by"]
    params.update({k: v for k, v in extra.items() if v not in (None, "")})
    return urlencode(params)


def _built(request, kpi):
    form = KpiFilterForm(kpi, request.GET)
    if not form.is_valid():
        return form, None
    start, end = form.period()
    try:
        built = queries.build(
            kpi,
            start=start,
            end=end,
            group_by=form.cleaned_data.get("group_by") or "",
            **form.dimension_filters(),
        )
    except DomainError as exc:
        for field, problems in exc.fields.items():
            name = field if field in form.fields else None
            for problem in problems:
                form.add_error(name, problem)
        return form, None
    return form, built


@login_required
@require_GET
def kpi_page(request, key: str):
    _reader(request)
    kpi = _kpi(key)
    form, built = _built(request, kpi)
    context = {
        "kpi": queries.definition(kpi),
        "form": form,
        "figure": None,
        "improve_url": _improve_url(kpi, form),
    }
    if built is not None:
        figure = queries.figure(built)
        records = reverse("reporting:records", args=[kpi.key])
        figure["url"] = f"{records}?{_query_string(form)}"
        for point in figure["series"]:
            bucket = point["key"] or registry.NO_VALUE
            point["url"] = f"{records}?{_query_string(form, bucket=bucket)}"
        group_by = figure["group_by"] or ""
        chart = None
        if figure["series"]:
            chart = (
                charts.columns(figure["series"], group_by)
                if group_by in registry.TIME_BUCKETS
                else (charts.bars(figure["series"]))
            )
        context.update(
            figure=figure,
            chart=chart,
            group_label=GROUP_LABELS.get(group_by, group_by),
            direction=_direction(kpi, figure["change"]),
            last_day=(built.query.end - dt.timedelta(days=1)).date(),
            previous_last_day=(built.query.start - dt.timedelta(days=1)).date(),
        )
    return render(request, "reporting/kpi.html", context)


def _improve_url(kpi, form: KpiFilterForm) -> str:
    """``improvement:new`` with the KPI and the page's filters, when the improvement practice
    is on (reporting never imports it: the URL is looked up by name)."""
    if not practices.is_enabled("improvement"):
        return ""
    try:
        url = reverse("improvement:new")
    except NoReverseMatch:
        return ""
    filters = _query_string(form) if form.is_valid() else ""
    return f"{url}?{urlencode({'kpi': kpi.key})}{'&' + filters if filters else ''}"


def _direction(kpi, change) -> str:
    """ "better", "worse" or "same" against the previous period (for the words beside the
    figure; colour is never the only signal)."""
    if change is None or change == 0:
        return "same"
    return "better" if (change > 0) == (kpi.good == "up") else "worse"


@login_required
@require_GET
def records(request, key: str):
    """The records behind a figure (one bucket's with ``bucket``), as the reader may see them."""
    _reader(request)
    kpi = _kpi(key)
    if kpi.records is None:
        raise Http404
    form, built = _built(request, kpi)
    if built is None:
        raise Http404
    bucket = request.GET.get("bucket", "")[:40]
    try:
        sql, params = registry.record_ids(kpi, built.query, bucket)
    except ValueError as exc:
        raise Http404 from exc
    number = request.GET.get("page") or "1"
    number = int(number) if number.isdigit() and 0 < int(number) < 100_000 else 1
    count, rows = kpi.records(request.user, sql, params, (number - 1) * PAGE_SIZE, PAGE_SIZE)
    paginator = Paginator(range(count), PAGE_SIZE)
    page = paginator.get_page(number)
    return render(
        request,
        "reporting/records.html",
        {
            "kpi": queries.definition(kpi),
            "rows": rows,
            "count": count,
            "page_obj": page,
            "bucket": bucket,
            "back": f"{reverse('reporting:kpi', args=[kpi.key])}?{_query_string(form)}",
            "query": _query_string(form, bucket=bucket),
            "period": built.query,
        },
    )
