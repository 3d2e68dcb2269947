"""Dashboard pages: the list (mine, shared with my groups, my roles' defaults), a dashboard
with its widgets drawn as server-side SVG with their tables, and plain forms to compose it.
IT staff only: anyone else gets a 404, as for a page that does not exist. Thin: reads through
``dashboards``, writes through ``operations``."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from steward.core import kpis as registry
from steward.core.errors import DomainError, NotFound
from steward.people.forms import add_domain_error
from steward.reporting import charts, dashboards, queries, rules
from steward.reporting import operations as ops
from steward.reporting.forms import GROUP_LABELS, DashboardForm, WidgetForm
from steward.reporting.models import WidgetKind

DAY = dt.timedelta(days=1)


def _reader(request) -> None:
    if not queries.may_read(request.user):
        raise Http404


def _dashboard(request, pk: int):
    _reader(request)
    try:
        return dashboards.dashboard_or_404(request.user, pk)
    except NotFound as exc:
        raise Http404 from exc


def _owned(request, pk: int):
    dashboard = _dashboard(request, pk)
    if not rules.may_edit(request.user, dashboard):
        raise Http404
    return dashboard


def _widget(dashboard, pk: int):
    try:
        return dashboards.widget_or_404(dashboard, pk)
    except NotFound as exc:
        raise Http404 from exc


def _default(request, role: str):
    _reader(request)
    default = dashboards.default_for(request.user, role)
    if default is None:
        raise Http404
    return default


@login_required
@require_GET
def dashboard_list(request):
    _reader(request)
    rows = list(dashboards.visible(request.user).order_by("name", "id"))
    mine = [d for d in rows if d.owner_id == request.user.pk]
    shared = [d for d in rows if d.owner_id != request.user.pk]
    return render(
        request,
        "reporting/dashboards/list.html",
        {
            "mine": mine,
            "shared": shared,
            "defaults": [] if mine else dashboards.defaults_for(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def dashboard_new(request):
    _reader(request)
    form = DashboardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            dashboard = ops.create_dashboard(
                request.user,
                name=form.cleaned_data["name"],
                shared_with=form.cleaned_data["shared_with"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Dashboard created: now add its widgets."))
            return redirect("reporting:widget_new", dashboard.pk)
    return render(request, "reporting/dashboards/form.html", {"form": form, "dashboard": None})


def _panel(request, widget, key: str) -> dict:
    """What the template draws for one widget (or why it cannot)."""
    panel = {"widget": widget, "key": key, "data": None, "chart": None, "error": ""}
    try:
        data = dashboards.compute(request.user, widget)
    except NotFound as exc:
        panel["error"] = exc.message
        panel["title"] = widget.title or widget.kpi
        return panel
    figure = data.figure
    group_by = figure["group_by"] or ""
    if widget.kind in (WidgetKind.SERIES, WidgetKind.BARS) and figure["series"]:
        panel["chart"] = (
            charts.columns(
                figure["series"],
                group_by,
                width=charts.WIDGET_WIDTH,
                height=charts.WIDGET_HEIGHT,
            )
            if group_by in registry.TIME_BUCKETS
            else charts.bars(figure["series"])
        )
    panel.update(
        data=data,
        title=data.title,
        figure=figure,
        group_label=GROUP_LABELS.get(group_by, group_by),
        direction=_direction(data.kpi, figure["change"]),
        last_day=(figure["to"] - DAY).date(),
        previous_last_day=(figure["from"] - DAY).date(),
    )
    return panel


def _direction(kpi, change) -> str:
    if change is None or change == 0:
        return "same"
    return "better" if (change > 0) == (kpi.good == "up") else "worse"


@login_required
@require_GET
def dashboard_page(request, pk: int):
    dashboard = _dashboard(request, pk)
    widgets = list(dashboard.widgets.all())
    panels = []
    for widget in widgets:
        widget.dashboard = dashboard
        panel = _panel(request, widget, str(widget.pk))
        panel["csv"] = reverse("reporting:widget_csv", args=[dashboard.pk, widget.pk])
        panels.append(panel)
    editable = rules.may_edit(request.user, dashboard)
    return render(
        request,
        "reporting/dashboards/dashboard.html",
        {
            "dashboard": dashboard,
            "panels": panels,
            "editable": editable,
            "count": len(panels),
        },
    )


@login_required
@require_GET
def default_page(request, role: str):
    default = _default(request, role)
    panels = []
    for widget in default.widgets:
        panel = _panel(request, widget, f"d{widget.position}")
        panel["csv"] = reverse("reporting:default_widget_csv", args=[role, widget.position])
        panels.append(panel)
    return render(
        request,
        "reporting/dashboards/dashboard.html",
        {"dashboard": default, "default": default, "panels": panels, "editable": False},
    )


@login_required
@require_POST
def default_copy(request, role: str):
    _default(request, role)
    try:
        dashboard = ops.copy_default(request.user, role)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("reporting:default_dashboard", role)
    messages.success(request, _("Copied to your dashboards: you can change this one."))
    return redirect(dashboard)


def _csv(request, widget) -> HttpResponse:
    try:
        data = dashboards.csv_data(request.user, widget)
    except NotFound as exc:
        raise Http404 from exc
    response = HttpResponse(dashboards.as_csv(data), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{dashboards.csv_filename(widget)}"'
    return response


@login_required
@require_GET
def widget_csv(request, pk: int, widget_pk: int):
    dashboard = _dashboard(request, pk)
    return _csv(request, _widget(dashboard, widget_pk))


@login_required
@require_GET
def default_widget_csv(request, role: str, number: int):
    default = _default(request, role)
    widget = next((w for w in default.widgets if w.position == number), None)
    if widget is None:
        raise Http404
    return _csv(request, widget)


@login_required
@require_http_methods(["GET", "POST"])
def dashboard_settings(request, pk: int):
    dashboard = _owned(request, pk)
    initial = {
        "name": dashboard.name,
        "shared_with": dashboard.shared_with_id,
        "version": dashboard.version,
    }
    form = DashboardForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            ops.update_dashboard(
                request.user,
                dashboard,
                version=form.cleaned_data["version"] or dashboard.version,
                name=form.cleaned_data["name"],
                shared_with=form.cleaned_data["shared_with"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Dashboard saved."))
            return redirect(dashboard)
    return render(request, "reporting/dashboards/form.html", {"form": form, "dashboard": dashboard})


def _version(request) -> int:
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() and 0 < int(value) < 2**31 else 0


@login_required
@require_POST
def dashboard_delete(request, pk: int):
    dashboard = _owned(request, pk)
    try:
        ops.delete_dashboard(request.user, dashboard, version=_version(request))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("reporting:dashboard_settings", pk)
    messages.success(request, _("Dashboard deleted."))
    return redirect("reporting:dashboards")


@login_required
@require_http_methods(["GET", "POST"])
def widget_new(request, pk: int):
    dashboard = _owned(request, pk)
    form = WidgetForm(
        request.POST or None, initial={"version": dashboard.version, "period": "last_30_days"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            ops.add_widget(
                request.user, dashboard, version=form.cleaned_data["version"], **form.spec()
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Widget added."))
            return redirect(dashboard)
    return render(
        request,
        "reporting/dashboards/widget_form.html",
        {"form": form, "dashboard": dashboard, "widget": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def widget_edit(request, pk: int, widget_pk: int):
    dashboard = _owned(request, pk)
    widget = _widget(dashboard, widget_pk)
    initial = {**WidgetForm.initial_for(widget), "version": dashboard.version}
    form = WidgetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            ops.update_widget(
                request.user, widget, version=form.cleaned_data["version"], **form.spec()
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Widget saved."))
            return redirect(dashboard)
    return render(
        request,
        "reporting/dashboards/widget_form.html",
        {"form": form, "dashboard": dashboard, "widget": widget},
    )


@login_required
@require_POST
def widget_move(request, pk: int, widget_pk: int):
    dashboard = _owned(request, pk)
    widget = _widget(dashboard, widget_pk)
    position = request.POST.get("position", "")
    if not position.isdigit() or not 0 < int(position) <= 1000:
        messages.error(request, _("Choose a position from 1 on."))
        return redirect(dashboard)
    try:
        ops.move_widget(request.user, widget, version=_version(request), position=int(position))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(f"{dashboard.get_absolute_url()}#widget-{widget.pk}")


@login_required
@require_POST
def widget_remove(request, pk: int, widget_pk: int):
    dashboard = _owned(request, pk)
    widget = _widget(dashboard, widget_pk)
    try:
        ops.remove_widget(request.user, widget, version=_version(request))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Widget removed."))
    return redirect(dashboard)
