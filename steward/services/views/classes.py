"""Pages of the CI classes: the list (IT staff) and a class's definition with its attribute
schema (administrators)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from steward.core.errors import DomainError, StaleVersion
from steward.people import conflicts
from steward.people.forms import add_domain_error
from steward.services import operations as ops
from steward.services import rules
from steward.services.forms import CIClassForm
from steward.services.models import CIClass
from steward.services.views.cmdb import require_it


@login_required
@require_GET
def class_list(request):
    require_it(request.user)
    classes = CIClass.objects.for_user(request.user, "view").annotate(ci_count=Count("cis"))
    context = {
        "classes": classes.order_by("name"),
        "may_define": rules.may_define_classes(request.user),
    }
    return render(request, "services/cmdb/class_list.html", context)


def _require_admin(user) -> None:
    require_it(user)
    if not rules.may_define_classes(user):
        raise DjangoPermissionDenied


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def class_create(request):
    _require_admin(request.user)
    form = CIClassForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                ci_class = ops.create_ci_class(request.user, **form.changes)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(
                    request, _("The class %(name)s has been defined.") % {"name": ci_class.name}
                )
                return redirect("cmdb:classes")
    return render(
        request, "services/cmdb/class_form.html", {"form": form, "ci_class": None}, status=status
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def class_edit(request, pk: int):
    _require_admin(request.user)
    ci_class = get_object_or_404(CIClass.objects.for_user(request.user, "change"), pk=pk)
    conflict, status = None, 200
    if request.method != "POST":
        initial = {
            "name": ci_class.name,
            "description": ci_class.description,
            "attribute_schema": ci_class.attribute_schema,
            "version": ci_class.version,
            "seen": conflicts.last_seen(ci_class),
        }
        form = CIClassForm(initial=initial)
    else:
        form = CIClassForm(request.POST)
        form.fields["version"].required = True
        status = 422
        if form.is_valid():
            try:
                ops.update_ci_class(
                    request.user, ci_class, version=form.cleaned_data["version"], **form.changes
                )
            except StaleVersion as exc:
                ci_class = CIClass.objects.get(pk=pk)
                conflict, status = conflicts.stale_edit(form, ci_class, exc.current), 409
            except DomainError as exc:
                ci_class = CIClass.objects.get(pk=pk)
                add_domain_error(form, exc)
            else:
                messages.success(
                    request, _("The class %(name)s has been saved.") % {"name": ci_class.name}
                )
                return redirect("cmdb:classes")
    context = {"form": form, "ci_class": ci_class, "conflict": conflict}
    return render(request, "services/cmdb/class_form.html", context, status=status)
