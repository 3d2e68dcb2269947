"""The incident settings pages of the Administration area: the priority matrix and the
category tree. Administrators only (others get the 404 of a missing page); writes go through
``incidents.operations.classification``; a save over a colleague's change shows what they
changed and saves nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from steward.core import journal
from steward.core.errors import DomainError
from steward.core.models import JournalEntry
from steward.incidents import operations as ops
from steward.incidents.choices import Level
from steward.incidents.models import IncidentCategory, PriorityMatrix
from steward.incidents.operations.classification import ChangedMeanwhile, matrix
from steward.incidents.settings_forms import (
    CategoryCreateForm,
    CategoryEditForm,
    CategoryFilterForm,
    MatrixForm,
)
from steward.people import conflicts
from steward.people.admin_area import admin_context, require_admin_page
from steward.people.forms import add_domain_error

PAGE_SIZE = 50
HISTORY_LIMIT = 30
MATRIX_RECORD = PriorityMatrix._meta.label_lower


def _matrix_history():
    return (
        JournalEntry.objects.filter(record_type=MATRIX_RECORD)
        .select_related("actor")
        .order_by("-id")
    )


def _last_matrix_entry() -> int:
    row = _matrix_history().values_list("id", flat=True).first()
    return row or 0


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def priority_matrix(request):
    require_admin_page(request.user)
    current = matrix()
    conflict, status = None, 200
    if request.method != "POST":
        form = MatrixForm(current=current, initial={"seen": _last_matrix_entry()})
    else:
        form = MatrixForm(request.POST, current=current)
        if form.is_valid():
            cells, read = form.values()
            try:
                ops.set_priority_matrix(request.user, cells, read=read)
            except ChangedMeanwhile as exc:
                seen = form.cleaned_data.get("seen") or 0
                entries = list(_matrix_history().filter(id__gt=seen).order_by("id")[:10])
                conflict = {"entries": entries, "record": PriorityMatrix()}
                add_domain_error(form, exc)
                data = form.data.copy()
                for impact, urgency, name in form.cells:
                    data[f"read_{name}"] = str(current[(impact, urgency)])
                data["seen"] = str(_last_matrix_entry())
                form.data = data
                status = 409
            except DomainError as exc:
                add_domain_error(form, exc)
                status = 422
            else:
                messages.success(request, _("The priority matrix has been saved."))
                return redirect("incidents:settings_matrix")
        else:
            status = 422
    context = {
        "form": form,
        "conflict": conflict,
        "urgencies": [Level(u).label for u in Level.values],
        "history": _matrix_history()[:HISTORY_LIMIT],
        **admin_context(request, "priority_matrix"),
    }
    return render(request, "incidents/settings_matrix.html", context, status=status)


# --- categories ---------------------------------------------------------------------------------


def _category_rows(form: CategoryFilterForm):
    rows = IncidentCategory.objects.select_related("parent").annotate(
        child_count=Count("children", distinct=True)
    )
    if text := (form.value("q") or "").strip():
        rows = rows.filter(Q(name__icontains=text) | Q(parent__name__icontains=text))
    if status := form.value("status"):
        rows = rows.filter(is_active=status == "active")
    # Each category followed by its subcategories: ordered by the top-level name, then the
    # category itself before its children, then the child's name.
    return rows.order_by(
        Coalesce("parent__name", "name"), F("parent_id").asc(nulls_first=True), "name"
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def category_list(request):
    require_admin_page(request.user)
    form = CategoryFilterForm(request.GET)
    create_form = CategoryCreateForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if create_form.is_valid():
            try:
                category = ops.add_category(request.user, **create_form.cleaned_data)
            except DomainError as exc:
                add_domain_error(create_form, exc)
            else:
                messages.success(
                    request, _("Category “%(name)s” has been added.") % {"name": category}
                )
                return redirect("incidents:settings_categories")
        status = 422
    page = Paginator(_category_rows(form), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "create_form": create_form,
        "page_obj": page,
        "results_template": "incidents/_settings_category_results.html",
        **admin_context(request, "incident_categories"),
    }
    partial = request.htmx.target == "results"
    template = (
        "incidents/_settings_category_results.html"
        if partial
        else "incidents/settings_categories.html"
    )
    return render(request, template, context, status=status)


def _edit_initial(category: IncidentCategory) -> dict:
    return {
        "name": category.name,
        "is_active": category.is_active,
        "read_name": category.name,
        "read_active": category.is_active,
        "seen": conflicts.last_seen(category),
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def category_edit(request, pk: int):
    require_admin_page(request.user)
    category = get_object_or_404(IncidentCategory.objects.select_related("parent"), pk=pk)
    conflict, status = None, 200
    if request.method != "POST":
        form = CategoryEditForm(initial=_edit_initial(category))
    else:
        form = CategoryEditForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                ops.update_category(
                    request.user,
                    category,
                    read={"name": data["read_name"], "is_active": data["read_active"]},
                    name=data["name"],
                    is_active=data["is_active"],
                )
            except ChangedMeanwhile:
                category.refresh_from_db()
                entries = conflicts.changes_since(category, data.get("seen"))
                conflict = {"entries": entries, "record": category}
                fresh = form.data.copy()
                fresh["read_name"] = category.name
                fresh["read_active"] = str(category.is_active)
                fresh["seen"] = str(conflicts.last_seen(category))
                form.data = fresh
                status = 409
            except DomainError as exc:
                category.refresh_from_db()
                add_domain_error(form, exc)
                status = 422
            else:
                messages.success(
                    request, _("Category “%(name)s” has been saved.") % {"name": category}
                )
                return redirect("incidents:settings_category", category.pk)
        else:
            status = 422
    context = {
        "category": category,
        "form": form,
        "conflict": conflict,
        "children": category.children.order_by("name"),
        "history": journal.history(category).order_by("-id")[:HISTORY_LIMIT],
        **admin_context(request, "incident_categories"),
    }
    return render(request, "incidents/settings_category_edit.html", context, status=status)


@login_required
@require_POST
def category_retire(request, pk: int):
    """Retire or reactivate from the list, at the values the list showed."""
    require_admin_page(request.user)
    category = get_object_or_404(IncidentCategory.objects.select_related("parent"), pk=pk)
    active = request.POST.get("is_active") == "true"
    read = {"name": request.POST.get("read_name", ""), "is_active": not active}
    try:
        ops.update_category(request.user, category, read=read, is_active=active)
    except DomainError as exc:
        problems = [p for ps in exc.fields.values() for p in ps]
        messages.error(request, exc.message if isinstance(exc, ChangedMeanwhile) else problems[0])
    else:
        text = _("“%(name)s” is active again.") if active else _("“%(name)s” has been retired.")
        messages.success(request, text % {"name": category})
    return redirect("incidents:settings_categories")
