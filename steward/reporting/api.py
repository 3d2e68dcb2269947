"""``/api/v1/kpis``: the KPI catalogue (definitions) and one KPI computed (IT staff only);
``/api/v1/dashboards``: dashboards, their widgets and each widget's data and CSV."""

from __future__ import annotations

from typing import Annotated

from django.http import HttpResponse
from ninja import Query, Router, Status
from pydantic import StringConstraints

from steward.core import kpis as registry
from steward.core.api_input import Id
from steward.core.api_support import ERRORS, PageParams, named_ref, page_of, paginate, person_brief
from steward.core.kpis import enabled_kpis
from steward.reporting import dashboards, queries, rules
from steward.reporting import operations as dashboard_ops
from steward.reporting.schemas import (
    DashboardCreate,
    DashboardOut,
    DashboardUpdate,
    DefaultCopy,
    DefaultDashboardList,
    KpiListOut,
    KpiQuery,
    KpiValueOut,
    RoleKey,
    VersionQuery,
    WidgetCreate,
    WidgetDataOut,
    WidgetMove,
    WidgetUpdate,
)

router = Router(tags=["kpis"])

KpiKey = Annotated[
    str, StringConstraints(min_length=1, max_length=60, pattern=r"^[a-z][a-z0-9_]*$")
]


@router.get("", response={200: KpiListOut, **ERRORS}, summary="The KPI catalogue (IT staff)")
def list_kpis(request):
    """Every KPI of the practices that are on: what it means, its unit and dimensions."""
    queries.require_reader(request.auth)
    items = [queries.definition(k) for k in enabled_kpis()]
    return {"count": len(items), "items": items}


@router.get(
    "/{key}",
    response={200: KpiValueOut, **ERRORS},
    summary="One KPI over a period, with the previous period and a series (IT staff)",
    by_alias=True,
)
def get_kpi(request, key: KpiKey, filters: Query[KpiQuery]):
    """The value over ``[from, to)``, the value over the previous period of the same length,
    and, with ``group_by``, a series by dimension or by UTC day, week or month."""
    queries.require_reader(request.auth)
    kpi = queries.kpi_or_404(key)
    built = queries.build(
        kpi,
        start=filters.from_,
        end=filters.to,
        group_by=filters.group_by or "",
        service=filters.service,
        group=filters.group,
        priority=filters.priority,
        organization=filters.organization,
    )
    return queries.figure(built)


# --- /api/v1/dashboards -------------------------------------------------------------------------
# Mounted by steward/api.py: api.add_router("/dashboards", dashboards_router)

dashboards_router = Router(tags=["dashboards"])


def widget_out(widget) -> dict:
    kpi = registry.get_kpi(widget.kpi)
    return {
        "id": widget.pk,
        "position": widget.position,
        "kind": widget.kind,
        "title": str(widget.title),
        "kpi": widget.kpi,
        "kpi_name": str(kpi.name) if kpi else widget.kpi,
        "period": widget.period,
        "service": widget.service,
        "group": widget.group,
        "priority": widget.priority,
        "organization": widget.organization,
        "group_by": widget.group_by or None,
    }


def dashboard_out(user, dashboard) -> dict:
    return {
        "id": dashboard.pk,
        "name": dashboard.name,
        "owner": person_brief(dashboard.owner),
        "shared_with": named_ref(dashboard.shared_with),
        "editable": rules.may_edit(user, dashboard),
        "version": dashboard.version,
        "created_at": dashboard.created_at,
        "updated_at": dashboard.updated_at,
        "widgets": [widget_out(w) for w in dashboard.widgets.all()],
    }


def default_out(default) -> dict:
    return {
        "role": default.role,
        "role_label": default.role_label,
        "name": default.name,
        "widgets": [widget_out(w) for w in default.widgets],
    }


def _fresh(user, pk: int) -> dict:
    return dashboard_out(user, dashboards.dashboard_or_404(user, pk))


def _owned(user, pk: int):
    """The dashboard to change: 404 unless the reader sees it (the operation then refuses a
    reader who is not its owner with 403)."""
    return dashboards.dashboard_or_404(user, pk)


@dashboards_router.get(
    "", response={200: page_of(DashboardOut), **ERRORS}, summary="Your dashboards (IT staff)"
)
def list_dashboards(request, page: Query[PageParams]):
    """Your own dashboards and those shared with a group you belong to or manage."""
    queries.require_reader(request.auth)
    rows = dashboards.visible(request.auth).prefetch_related("widgets").order_by("name", "id")
    return paginate(rows, page, lambda d: dashboard_out(request.auth, d))


@dashboards_router.post(
    "", response={201: DashboardOut, **ERRORS}, summary="Create a dashboard (IT staff)"
)
def create_dashboard(request, payload: DashboardCreate):
    dashboard = dashboard_ops.create_dashboard(
        request.auth, name=payload.name, shared_with=payload.shared_with
    )
    return Status(201, _fresh(request.auth, dashboard.pk))


@dashboards_router.get(
    "/defaults",
    response={200: DefaultDashboardList, **ERRORS},
    summary="The default dashboards of your roles (computed, not stored)",
)
def list_defaults(request):
    queries.require_reader(request.auth)
    items = [default_out(d) for d in dashboards.defaults_for(request.auth)]
    return {"count": len(items), "items": items}


@dashboards_router.post(
    "/defaults/{role}/copy",
    response={201: DashboardOut, **ERRORS},
    summary="Copy a role's default dashboard to your own dashboards",
)
def copy_default(request, role: RoleKey, payload: DefaultCopy):
    dashboard = dashboard_ops.copy_default(request.auth, role, name=payload.name)
    return Status(201, _fresh(request.auth, dashboard.pk))


@dashboards_router.get(
    "/{dashboard_id}", response={200: DashboardOut, **ERRORS}, summary="One dashboard"
)
def get_dashboard(request, dashboard_id: Id):
    return _fresh(request.auth, dashboard_id)


@dashboards_router.patch(
    "/{dashboard_id}",
    response={200: DashboardOut, **ERRORS},
    summary="Rename a dashboard or share it with a group (its owner)",
)
def update_dashboard(request, dashboard_id: Id, payload: DashboardUpdate):
    dashboard = _owned(request.auth, dashboard_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    dashboard_ops.update_dashboard(request.auth, dashboard, version=version, **data)
    return _fresh(request.auth, dashboard_id)


@dashboards_router.delete(
    "/{dashboard_id}", response={204: None, **ERRORS}, summary="Delete a dashboard (its owner)"
)
def delete_dashboard(request, dashboard_id: Id, query: Query[VersionQuery]):
    dashboard = _owned(request.auth, dashboard_id)
    dashboard_ops.delete_dashboard(request.auth, dashboard, version=query.version)
    return Status(204, None)


@dashboards_router.post(
    "/{dashboard_id}/widgets",
    response={201: DashboardOut, **ERRORS},
    summary="Add a widget at the end (the dashboard's owner)",
)
def add_widget(request, dashboard_id: Id, payload: WidgetCreate):
    dashboard = _owned(request.auth, dashboard_id)
    data = payload.dict()
    version = data.pop("version")
    dashboard_ops.add_widget(request.auth, dashboard, version=version, **data)
    return Status(201, _fresh(request.auth, dashboard_id))


@dashboards_router.get(
    "/{dashboard_id}/widgets/{widget_id}.csv",
    response={200: None, **ERRORS},
    summary="A widget's figures (or records) as CSV, formula-safe",
    openapi_extra={
        "responses": {
            200: {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}}
        }
    },
)
def widget_csv(request, dashboard_id: Id, widget_id: Id):
    dashboard = dashboards.dashboard_or_404(request.auth, dashboard_id)
    widget = dashboards.widget_or_404(dashboard, widget_id)
    data = dashboards.csv_data(request.auth, widget)
    response = HttpResponse(dashboards.as_csv(data), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{dashboards.csv_filename(widget)}"'
    return response


@dashboards_router.get(
    "/{dashboard_id}/widgets/{widget_id}",
    response={200: WidgetDataOut, **ERRORS},
    summary="A widget's data: the KPI over its period, the previous period and its series",
    by_alias=True,
)
def widget_data(request, dashboard_id: Id, widget_id: Id):
    dashboard = dashboards.dashboard_or_404(request.auth, dashboard_id)
    widget = dashboards.widget_or_404(dashboard, widget_id)
    data = dashboards.compute(request.auth, widget)
    records = None
    if widget.kind == "records":
        records = {
            "count": data.records_count,
            "items": [
                {"label": label, "url": url, "details": str(meta)}
                for label, url, meta in data.records
            ],
        }
    return {
        "widget": widget_out(widget),
        "title": data.title,
        "figure": data.figure,
        "records": records,
    }


@dashboards_router.patch(
    "/{dashboard_id}/widgets/{widget_id}",
    response={200: DashboardOut, **ERRORS},
    summary="Change a widget (the dashboard's owner)",
)
def update_widget(request, dashboard_id: Id, widget_id: Id, payload: WidgetUpdate):
    dashboard = _owned(request.auth, dashboard_id)
    widget = dashboards.widget_or_404(dashboard, widget_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    dashboard_ops.update_widget(request.auth, widget, version=version, **data)
    return _fresh(request.auth, dashboard_id)


@dashboards_router.post(
    "/{dashboard_id}/widgets/{widget_id}/move",
    response={200: DashboardOut, **ERRORS},
    summary="Move a widget to a position (the dashboard's owner)",
)
def move_widget(request, dashboard_id: Id, widget_id: Id, payload: WidgetMove):
    dashboard = _owned(request.auth, dashboard_id)
    widget = dashboards.widget_or_404(dashboard, widget_id)
    dashboard_ops.move_widget(
        request.auth, widget, version=payload.version, position=payload.position
    )
    return _fresh(request.auth, dashboard_id)


@dashboards_router.delete(
    "/{dashboard_id}/widgets/{widget_id}",
    response={200: DashboardOut, **ERRORS},
    summary="Remove a widget (the dashboard's owner)",
)
def remove_widget(request, dashboard_id: Id, widget_id: Id, query: Query[VersionQuery]):
    dashboard = _owned(request.auth, dashboard_id)
    widget = dashboards.widget_or_404(dashboard, widget_id)
    dashboard_ops.remove_widget(request.auth, widget, version=query.version)
    return _fresh(request.auth, dashboard_id)
