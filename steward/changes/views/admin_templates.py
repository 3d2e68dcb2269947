"""The standard change templates pages: the list (with each template's success over its last
changes and the re-assessment flag) and the template form (new and edit)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from steward.changes import operations as ops
from steward.changes.forms_admin import TemplateForm
from steward.changes.models import ChangeTemplate
from steward.changes.template_health import template_health
from steward.changes.views.admin_common import area, attempt, history, keeper
from steward.people import conflicts

SECTION = "change_templates"


def _templates(user):
    return (
        ChangeTemplate.objects.for_user(user, "view")
        .select_related("owning_group")
        .annotate(change_count=Count("changes", distinct=True))
        .order_by("-is_active", "name", "id")
    )


@login_required
def template_list(request):
    user = keeper(request)
    templates = list(_templates(user))
    health = template_health([t.pk for t in templates])
    rows = [{"template": t, "health": health.get(t.pk)} for t in templates]
    context = {"rows": rows, **area(request, SECTION)}
    return render(request, "changes/admin/templates.html", context)


def _template(user, pk: int) -> ChangeTemplate:
    template = (
        ChangeTemplate.objects.for_user(user, "view")
        .select_related("owning_group")
        .prefetch_related("services", "cis")
        .filter(pk=pk)
        .first()
    )
    if template is None:
        raise Http404
    return template


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def template_create(request):
    user = keeper(request)
    status = 200
    if request.method == "POST":
        form = TemplateForm(request.POST, user=user)
        status = 422
        if form.is_valid():
            values = form.values()
            values.pop("is_active", None)
            created = []
            ok, _conflict, status = attempt(
                form, None, lambda: created.append(ops.create_template(user, **values))
            )
            if ok:
                messages.success(
                    request, _("Template “%(name)s” has been added.") % {"name": created[0]}
                )
                return redirect("changes:admin_templates")
    else:
        form = TemplateForm(user=user)
    context = {"form": form, "template": None, **area(request, SECTION)}
    return render(request, "changes/admin/template_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def template_edit(request, pk: int):
    user = keeper(request)
    template = _template(user, pk)
    conflict, status = None, 200
    if request.method == "POST":
        form = TemplateForm(request.POST, user=user)
        status = 422
        if form.is_valid():
            version = form.cleaned_data.get("version") or 0
            values = form.values()
            ok, conflict, status = attempt(
                form,
                template,
                lambda: ops.update_template(user, template, version=version, **values),
            )
            if ok:
                messages.success(
                    request, _("Template “%(name)s” has been saved.") % {"name": template}
                )
                return redirect("changes:admin_templates")
    else:
        initial = TemplateForm.initial_for(template) | {"seen": conflicts.last_seen(template)}
        form = TemplateForm(user=user, initial=initial)
    context = {
        "form": form,
        "template": template,
        "conflict": conflict,
        "history": history(template),
        **area(request, SECTION),
    }
    return render(request, "changes/admin/template_form.html", context, status=status)
