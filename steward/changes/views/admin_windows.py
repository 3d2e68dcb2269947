"""Maintenance windows and blackout periods: the list (both kinds or one) and the window form
(weekly hours in a time zone, or a dated period; scoped to services, CIs and CI classes). Each
save rechecks the conflicts of the changes the window concerns (``operations.windows``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from steward.changes import operations as ops
from steward.changes.choices import WindowKind
from steward.changes.forms_admin import WindowFilterForm, WindowForm
from steward.changes.models import ChangeWindow
from steward.changes.views.admin_common import area, attempt, history, keeper
from steward.core.errors import DomainError
from steward.people import conflicts
from steward.slm.calendar_math import WEEKDAYS
from steward.slm.forms import DAY_LABELS, hours_text

SECTION = "change_windows"
PAGE_SIZE = 50


def _windows(user):
    return (
        ChangeWindow.objects.for_user(user, "view")
        .prefetch_related("services", "cis", "ci_classes")
        .order_by("-is_active", "kind", "name", "id")
    )


def week_of(window: ChangeWindow) -> list[tuple[str, str]]:
    """A weekly window's hours, day by day, as people read them (days without hours left out)."""
    hours = window.hours or {}
    return [(DAY_LABELS[d], hours_text(hours[d])) for d in WEEKDAYS if hours.get(d)]


@login_required
def window_list(request):
    user = keeper(request)
    form = WindowFilterForm(request.GET or None)
    rows = _windows(user)
    kind = form.cleaned_data.get("kind") if form.is_valid() else ""
    if kind:
        rows = rows.filter(kind=kind)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "kind": kind,
        "page_obj": page,
        "rows": [{"window": w, "week": week_of(w)} for w in page.object_list],
        "WindowKind": WindowKind,
        **area(request, SECTION),
    }
    return render(request, "changes/admin/windows.html", context)


def _window(user, pk: int) -> ChangeWindow:
    window = _windows(user).filter(pk=pk).first()
    if window is None:
        raise Http404
    return window


def _rename(name: str) -> str:
    return WindowForm.FIELDS.get(name, name)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def window_create(request):
    user = keeper(request)
    status = 200
    if request.method == "POST":
        form = WindowForm(request.POST, user=user)
        status = 422
        if form.is_valid():
            values = form.values()
            ok, _conflict, status = attempt(
                form, None, lambda: ops.create_window(user, **values), rename=_rename
            )
            if ok:
                messages.success(
                    request, _("“%(name)s” has been added.") % {"name": values["name"]}
                )
                return redirect("changes:admin_windows")
    else:
        kind = request.GET.get("kind")
        form = WindowForm(
            user=user,
            initial={"kind": kind if kind in WindowKind.values else WindowKind.MAINTENANCE},
        )
    context = {"form": form, "window": None, **area(request, SECTION)}
    return render(request, "changes/admin/window_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def window_edit(request, pk: int):
    user = keeper(request)
    window = _window(user, pk)
    conflict, status = None, 200
    if request.method == "POST":
        form = WindowForm(request.POST, user=user)
        status = 422
        if form.is_valid():
            version = form.cleaned_data.get("version") or 0
            values = form.values() | {"is_active": form.cleaned_data["is_active"]}
            ok, conflict, status = attempt(
                form,
                window,
                lambda: ops.update_window(user, window, version=version, **values),
                rename=_rename,
            )
            if ok:
                messages.success(request, _("“%(name)s” has been saved.") % {"name": window.name})
                return redirect("changes:admin_windows")
    else:
        initial = WindowForm.initial_for(window) | {"seen": conflicts.last_seen(window)}
        form = WindowForm(user=user, initial=initial)
    context = {
        "form": form,
        "window": window,
        "conflict": conflict,
        "history": history(window),
        **area(request, SECTION),
    }
    return render(request, "changes/admin/window_form.html", context, status=status)


@login_required
@require_POST
def window_delete(request, pk: int):
    user = keeper(request)
    window = _window(user, pk)
    name = window.name
    try:
        ops.delete_window(user, window)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("changes:admin_window", window.pk)
    messages.success(request, _("“%(name)s” has been removed.") % {"name": name})
    return redirect("changes:admin_windows")
