"""KCS licences, granted per person and knowledge domain (a service, a category, or every
domain) by administrators and the knowledge process owner: grant, change (level, coach) and
revoke, each with the version it was read at."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from steward.core.errors import DomainError
from steward.knowledge import operations as ops
from steward.knowledge import rules
from steward.knowledge.forms import LicenceChangeForm, LicenceForm, VersionOnlyForm
from steward.knowledge.models import Licence
from steward.knowledge.views.articles import staff
from steward.people.forms import add_domain_error


def _grantor(request):
    user = staff(request)
    if not rules.may_grant_licences(user):
        raise Http404
    return user


def _licence(user, pk: int) -> Licence:
    licence = (
        Licence.objects.for_user(user, "view")
        .filter(pk=pk)
        .select_related("user", "service", "category")
        .first()
    )
    if licence is None:
        raise Http404
    return licence


@login_required
def licence_list(request):
    user = _grantor(request)
    licences = (
        Licence.objects.for_user(user, "view")
        .select_related("user", "service", "category", "granted_by")
        .order_by("user__first_name", "user__last_name", "user__username", "id")
    )
    context = {"licences": licences, "form": LicenceForm(user=user)}
    return render(request, "knowledge/licences.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def licence_create(request):
    user = _grantor(request)
    status = 200
    if request.method == "POST":
        form = LicenceForm(request.POST, user=user)
        if form.is_valid():
            try:
                licence = ops.grant_licence(user, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(
                    request,
                    _("%(person)s is now %(level)s in %(domain)s.")
                    % {
                        "person": licence.user.display_name,
                        "level": licence.get_level_display(),
                        "domain": _domain(licence),
                    },
                )
                return redirect("knowledge:licences")
        else:
            status = 422
    else:
        form = LicenceForm(user=user)
    return render(
        request, "knowledge/licence_form.html", {"form": form, "licence": None}, status=status
    )


def _domain(licence) -> str:
    if licence.service_id:
        return str(licence.service)
    if licence.category_id:
        return str(licence.category)
    return _("every domain")


@login_required
@require_http_methods(["GET", "POST"])
def licence_edit(request, pk: int):
    user = _grantor(request)
    licence = _licence(user, pk)
    status = 200
    if request.method == "POST":
        form = LicenceChangeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                ops.change_licence(
                    user, licence, version=data["version"], level=data["level"], coach=data["coach"]
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(request, _("Licence changed."))
                return redirect("knowledge:licences")
        else:
            status = 422
    else:
        form = LicenceChangeForm(
            initial={"level": licence.level, "coach": licence.coach, "version": licence.version}
        )
    context = {
        "form": form,
        "licence": licence,
        "domain": _domain(licence),
        "revoke_form": VersionOnlyForm(initial={"version": licence.version}),
    }
    return render(request, "knowledge/licence_form.html", context, status=status)


@login_required
@require_POST
def licence_revoke(request, pk: int):
    user = _grantor(request)
    licence = _licence(user, pk)
    form = VersionOnlyForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        ops.revoke_licence(user, licence, version=form.cleaned_data["version"])
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("knowledge:licence_edit", pk)
    messages.success(
        request,
        _("Licence of %(person)s in %(domain)s revoked.")
        % {"person": licence.user.display_name, "domain": _domain(licence)},
    )
    return redirect("knowledge:licences")
