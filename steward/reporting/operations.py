"""Operations on dashboards: the only code that writes them. Each runs in one transaction,
checks the version the writer read (stale -> 409, nothing written) and journals the change on
the dashboard. A widget is part of its dashboard: adding, changing, moving or removing one moves
the dashboard's version."""

from __future__ import annotations

from django.db import transaction

from steward.core import journal
from steward.core.concurrency import save_versioned
from steward.core.errors import PermissionDenied, ValidationError
from steward.core.operations import full_clean, require
from steward.people.models import SupportGroup
from steward.reporting import dashboards, queries, rules
from steward.reporting.models import Dashboard, Period, Widget

DASHBOARD_FIELDS = ["name", "shared_with"]
WIDGET_FIELDS = [
    "kind",
    "title",
    "kpi",
    "period",
    "service",
    "group",
    "priority",
    "organization",
    "group_by",
]


def _require_writer(actor) -> None:
    if actor is not None and not rules.may_create(actor):
        raise PermissionDenied("Dashboards are for IT staff.")


def _require_owner(actor, dashboard: Dashboard) -> None:
    if actor is None:
        return
    require(actor, "change", dashboard)
    if not rules.may_edit(actor, dashboard):
        raise PermissionDenied("Only the dashboard's owner changes it.")


def _name(name) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError.field("name", "required")
    return name


def _group(shared_with):
    """A group to share with: an active one (``None`` shares with no one)."""
    if shared_with is None:
        return None
    if isinstance(shared_with, int):
        group = SupportGroup.objects.filter(pk=shared_with, is_active=True).first()
        if group is None:
            raise ValidationError.field(
                "shared_with", f"support group {shared_with} does not exist"
            )
        return group
    if not shared_with.is_active:
        raise ValidationError.field("shared_with", "the group is no longer active")
    return shared_with


def _locked(dashboard: Dashboard) -> Dashboard:
    return Dashboard.objects.select_for_update().get(pk=dashboard.pk)


def _bump(actor, dashboard: Dashboard, version: int, action: str, changes: dict) -> None:
    """Move the dashboard's version (or refuse a stale one) and journal ``action``."""
    save_versioned(dashboard, version, [])
    journal.record(actor, dashboard, action, changes)


@transaction.atomic
def create_dashboard(actor, *, name: str, shared_with=None) -> Dashboard:
    """A new, empty dashboard owned by ``actor``."""
    _require_writer(actor)
    dashboard = Dashboard(owner=actor, name=_name(name), shared_with=_group(shared_with))
    full_clean(dashboard, exclude=["owner"] if actor is None else None)
    dashboard.save()
    journal.record(
        actor,
        dashboard,
        "dashboard_created",
        journal.diff({}, journal.snapshot(dashboard, DASHBOARD_FIELDS)),
    )
    return dashboard


@transaction.atomic
def update_dashboard(actor, dashboard: Dashboard, *, version: int, **changes) -> Dashboard:
    """Rename a dashboard or change whom it is shared with (``shared_with=None`` stops
    sharing)."""
    _require_owner(actor, dashboard)
    unknown = set(changes) - set(DASHBOARD_FIELDS)
    if unknown:
        raise ValidationError(
            f"Unknown fields {sorted(unknown)}", {k: ["unknown field"] for k in sorted(unknown)}
        )
    dashboard = _locked(dashboard)
    before = journal.snapshot(dashboard, DASHBOARD_FIELDS)
    if "name" in changes:
        dashboard.name = _name(changes["name"])
    if "shared_with" in changes:
        dashboard.shared_with = _group(changes["shared_with"])
    full_clean(dashboard)
    save_versioned(dashboard, version, [f for f in DASHBOARD_FIELDS if f in changes])
    diff = journal.diff(before, journal.snapshot(dashboard, DASHBOARD_FIELDS))
    action = "dashboard_shared" if set(diff) == {"shared_with"} else "dashboard_changed"
    journal.record(actor, dashboard, action, diff)
    return dashboard


def share_dashboard(actor, dashboard: Dashboard, group, *, version: int) -> Dashboard:
    """Share a dashboard (read-only) with a support group's members and manager; ``None``
    stops sharing."""
    return update_dashboard(actor, dashboard, version=version, shared_with=group)


@transaction.atomic
def delete_dashboard(actor, dashboard: Dashboard, *, version: int) -> None:
    _require_owner(actor, dashboard)
    dashboard = _locked(dashboard)
    _bump(actor, dashboard, version, "dashboard_deleted", {"name": [dashboard.name, None]})
    dashboard.delete()


def _widget_values(spec: dict) -> dict:
    values = {name: spec.get(name) for name in WIDGET_FIELDS}
    values["title"] = (values["title"] or "").strip()
    values["group_by"] = values["group_by"] or ""
    values["period"] = values["period"] or Period.LAST_30
    return values


def _checked(spec: dict) -> dict:
    values = _widget_values(spec)
    dashboards.check_widget(values)
    return values


@transaction.atomic
def add_widget(actor, dashboard: Dashboard, *, version: int, **spec) -> Widget:
    """Add a widget at the end of the dashboard. Its KPI, kind, period, filters and grouping
    are checked as the KPI API checks a query (``dashboards.check_widget``)."""
    _require_owner(actor, dashboard)
    unknown = set(spec) - set(WIDGET_FIELDS)
    if unknown:
        raise ValidationError(
            f"Unknown fields {sorted(unknown)}", {k: ["unknown field"] for k in sorted(unknown)}
        )
    values = _checked(spec)
    dashboard = _locked(dashboard)
    widgets = list(dashboard.widgets.all())
    if len(widgets) >= dashboards.MAX_WIDGETS:
        raise ValidationError.field(
            "kind", f"a dashboard holds at most {dashboards.MAX_WIDGETS} widgets"
        )
    position = max((w.position for w in widgets), default=0) + 1
    widget = Widget(dashboard=dashboard, position=position, **values)
    full_clean(widget)
    _bump(actor, dashboard, version, "widget_added", {"widget": [None, _label(widget)]})
    widget.save()
    return widget


def _label(widget: Widget) -> str:
    return f"{widget.kind}: {widget.title or widget.kpi}"


@transaction.atomic
def update_widget(actor, widget: Widget, *, version: int, **changes) -> Widget:
    """Change a widget's fields (the result is checked as a whole)."""
    dashboard = widget.dashboard
    _require_owner(actor, dashboard)
    unknown = set(changes) - set(WIDGET_FIELDS)
    if unknown:
        raise ValidationError(
            f"Unknown fields {sorted(unknown)}", {k: ["unknown field"] for k in sorted(unknown)}
        )
    before = journal.snapshot(widget, WIDGET_FIELDS)
    values = _checked({**before, **changes})
    dashboard = _locked(dashboard)
    for name, value in values.items():
        setattr(widget, name, value)
    full_clean(widget)
    diff = journal.diff(before, journal.snapshot(widget, WIDGET_FIELDS))
    _bump(
        actor,
        dashboard,
        version,
        "widget_changed",
        {f"widget {widget.pk}.{k}": v for k, v in diff.items()},
    )
    widget.save(update_fields=WIDGET_FIELDS)
    widget.dashboard = dashboard
    return widget


@transaction.atomic
def move_widget(actor, widget: Widget, *, version: int, position: int) -> Widget:
    """Put a widget at ``position`` (1 is first; past the end is last), the others after it
    keeping their order."""
    dashboard = widget.dashboard
    _require_owner(actor, dashboard)
    if position < 1:
        raise ValidationError.field("position", "must be 1 or more")
    dashboard = _locked(dashboard)
    widgets = [w for w in dashboard.widgets.all() if w.pk != widget.pk]
    index = min(position, len(widgets) + 1) - 1
    before = next((n for n, w in enumerate(dashboard.widgets.all(), 1) if w.pk == widget.pk), 0)
    widgets.insert(index, widget)
    _bump(
        actor,
        dashboard,
        version,
        "widget_moved",
        {f"widget {widget.pk}.position": [before, index + 1]},
    )
    for n, w in enumerate(widgets, 1):
        if w.position != n:
            w.position = n
            Widget.objects.filter(pk=w.pk).update(position=n)
    widget.dashboard = dashboard
    return widget


@transaction.atomic
def remove_widget(actor, widget: Widget, *, version: int) -> None:
    dashboard = widget.dashboard
    _require_owner(actor, dashboard)
    dashboard = _locked(dashboard)
    _bump(actor, dashboard, version, "widget_removed", {"widget": [_label(widget), None]})
    widget.delete()


@transaction.atomic
def copy_default(actor, role: str, *, name: str | None = None) -> Dashboard:
    """Copy a role's default dashboard (computed for ``actor``) to their own dashboards,
    where they can change it."""
    _require_writer(actor)
    if not queries.may_read(actor):
        raise PermissionDenied("Dashboards are for IT staff.")
    default = dashboards.default_or_404(actor, role)
    dashboard = create_dashboard(actor, name=name or default.name)
    for widget in default.widgets:
        spec = {name: getattr(widget, name) for name in WIDGET_FIELDS}
        spec["title"] = str(spec["title"])
        add_widget(actor, dashboard, version=dashboard.version, **spec)
        dashboard.refresh_from_db(fields=["version"])
    return dashboard
