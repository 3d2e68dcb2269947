"""The catalog administration (administrators, and the owners of catalog items for their
own): the categories and the items, a category's form, and a catalog item's editor — its
fields, who may order it, and the three lists kept as data (the order form's questions, the
approval steps, the task templates) as server-side formsets; "Add a question/step/task" adds
an empty row without saving. A preview shows the order form as a requester gets it. A stale
save shows who changed what while the person edited, keeping their input."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.forms.utils import ErrorDict, ErrorList
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from steward.core.errors import DomainError, StaleVersion
from steward.fulfilment import operations as ops
from steward.fulfilment import rules
from steward.fulfilment.choices import ACTIVE_ITEM_STATUSES
from steward.fulfilment.forms import (
    MAX_ROWS,
    CatalogItemForm,
    CategoryForm,
    FieldFormSet,
    FieldRow,
    StepFormSet,
    StepRow,
    TaskFormSet,
    TaskRow,
    place_error,
)
from steward.fulfilment.models import CatalogCategory, CatalogItem, RequestedItem
from steward.fulfilment.views.common import history, one, staff
from steward.people import conflicts
from steward.people.forms import add_domain_error
from steward.people.models import SupportGroup, User

#: The "add a row" buttons: the value a button posts as ``add`` → the formset's prefix.
ADDABLE = ("field", "step", "task")


def keeper(request):
    """IT staff who keep the catalog (administrators, owners of catalog items); other IT
    staff are refused with a 403, everyone else finds nothing."""
    user = staff(request)
    if not rules.may_keep_catalog(user):
        raise PermissionDenied
    return user


def _editable(user, item) -> None:
    if not rules.may_edit_catalog_item(user, item):
        raise PermissionDenied


@login_required
@require_GET
def catalog_admin(request):
    user = keeper(request)
    categories = list(
        CatalogCategory.objects.for_user(user, "view")
        .select_related("parent")
        .annotate(item_count=Count("items"))
        .order_by("order", "name", "id")
    )
    items = (
        CatalogItem.objects.for_user(user, "view")
        .select_related("category", "service", "fulfilment_group", "owner")
        .order_by("-is_active", "category__order", "category__name", "name", "id")
    )
    if not user.is_admin:
        items = items.filter(owner=user.pk)
    open_counts = dict(
        RequestedItem.objects.filter(status__in=sorted(ACTIVE_ITEM_STATUSES))
        .values("catalog_item")
        .annotate(n=Count("pk"))
        .values_list("catalog_item", "n")
    )
    rows = list(items)
    for item in rows:
        item.open_count = open_counts.get(item.pk, 0)
    context = {
        "categories": categories,
        "items": rows,
        "may_create": rules.may_create_catalog_item(user),
    }
    return render(request, "fulfilment/catalog_admin.html", context)


# --- categories -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def category_edit(request, pk: int | None = None):
    user = keeper(request)
    if not rules.may_create_catalog_item(user):
        raise PermissionDenied
    category = one(CatalogCategory.objects.for_user(user, "view"), pk=pk) if pk else None
    status = 200
    if request.method == "POST":
        form = CategoryForm(request.POST, category=category)
        status = 422
        if form.is_valid():
            values = form.values()
            try:
                if category is None:
                    values.pop("is_active", None)
                    category = ops.create_category(user, **values)
                    saved = _("Category “%(name)s” has been added.")
                else:
                    ops.update_category(user, category, **values)
                    saved = _("Category “%(name)s” has been saved.")
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(request, saved % {"name": values["name"]})
                return redirect("requests:catalog_admin")
    else:
        initial = CategoryForm.initial_for(category) if category else None
        form = CategoryForm(category=category, initial=initial)
    context = {"form": form, "category": category}
    return render(request, "fulfilment/category_form.html", context, status=status)


# --- catalog items ------------------------------------------------------------------------------


def _choices_for(user) -> dict:
    groups = SupportGroup.objects.for_user(user, "view").order_by("name")
    people = User.objects.filter(is_active=True).order_by("first_name", "last_name", "username")
    return {"groups": groups, "people": people}


def _formsets(user, data=None, item=None) -> dict:
    """The three lists of ``item`` as formsets (bound to ``data`` when posted)."""
    choices = _choices_for(user)

    def initial(key, row):
        if data is not None or item is None:
            return None
        return [row.initial_for(entry) for entry in (getattr(item, key) or [])]

    return {
        "form": FieldFormSet(data, initial=initial("form", FieldRow), prefix="field"),
        "approval_flow": StepFormSet(
            data,
            initial=initial("approval_flow", StepRow),
            prefix="step",
            form_kwargs=choices,
        ),
        "task_templates": TaskFormSet(
            data,
            initial=initial("task_templates", TaskRow),
            prefix="task",
            form_kwargs={"groups": choices["groups"]},
        ),
    }


def _quiet(form, formsets) -> None:
    """Show what was posted without judging it (an "add a row" post saves nothing)."""
    form._errors = ErrorDict()
    for formset in formsets.values():
        formset._errors = []
        formset._non_form_errors = ErrorList()
        for row in formset.forms:
            row._errors = ErrorDict()


def _with_row(data, prefix: str):
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    try:
        total = int(data.get(key) or 0)
    except ValueError:
        total = 0
    data[key] = str(min(total + 1, MAX_ROWS))
    return data


def _page(request, item, form, formsets, *, conflict=None, status=200):
    context = {
        "item": item,
        "form": form,
        "fields": formsets["form"],
        "steps": formsets["approval_flow"],
        "tasks": formsets["task_templates"],
        "conflict": conflict,
        "history": history(item) if item else [],
    }
    return render(request, "fulfilment/catalog_item_form.html", context, status=status)


def _save(request, user, item):
    """A posted editor: add a row, or save (create when ``item`` is None)."""
    data = request.POST
    adding = data.get("add")
    if adding in ADDABLE:
        data = _with_row(data, adding)
    form = CatalogItemForm(data, user=user)
    formsets = _formsets(user, data)
    if adding in ADDABLE:
        _quiet(form, formsets)
        return _page(request, item, form, formsets)
    valid = form.is_valid()
    valid = all([fs.is_valid() for fs in formsets.values()]) and valid
    if not valid:
        return _page(request, item, form, formsets, status=422)
    values = form.values() | {key: fs.definitions() for key, fs in formsets.items()}
    try:
        if item is None:
            item = ops.create_catalog_item(user, **values)
        else:
            ops.update_catalog_item(user, item, version=form.cleaned_data.get("version"), **values)
    except StaleVersion as exc:
        item.refresh_from_db()
        conflict = conflicts.stale_edit(form, item, exc.current)
        form = CatalogItemForm(form.data, user=user)
        form.is_valid()
        return _page(request, item, form, formsets, conflict=conflict, status=409)
    except DomainError as exc:
        place_error(form, formsets, exc)
        return _page(request, item, form, formsets, status=exc.status)
    messages.success(request, _("Catalog item “%(name)s” has been saved.") % {"name": item.name})
    return redirect("requests:catalog_item", item.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def catalog_item_new(request):
    user = keeper(request)
    if not rules.may_create_catalog_item(user):
        raise PermissionDenied
    if request.method == "POST":
        return _save(request, user, None)
    form = CatalogItemForm(user=user)
    return _page(request, None, form, _formsets(user))


def _item(user, pk: int) -> CatalogItem:
    return one(
        CatalogItem.objects.for_user(user, "view").select_related(
            "category", "service", "fulfilment_group", "owner"
        ),
        pk=pk,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def catalog_item_edit(request, pk: int):
    user = keeper(request)
    item = _item(user, pk)
    _editable(user, item)
    if request.method == "POST":
        return _save(request, user, item)
    initial = CatalogItemForm.initial_for(item) | {"seen": conflicts.last_seen(item)}
    form = CatalogItemForm(user=user, initial=initial)
    return _page(request, item, form, _formsets(user, item=item))


@login_required
@require_GET
def catalog_item_preview(request, pk: int):
    """The order form as a requester gets it (nothing can be ordered from here)."""
    user = keeper(request)
    item = _item(user, pk)
    _editable(user, item)
    from steward.fulfilment.forms_runtime import form_for

    context = {"item": item, "preview": form_for(item, user)}
    return render(request, "fulfilment/catalog_item_preview.html", context)
