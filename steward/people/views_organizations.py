"""Customer organizations and their contacts: IT staff read them (whom to tell when a major
incident hits a customer), administrators create and change them. Requesters get the 404 of
a missing page; IT staff who are not administrators get 403 on the edit pages.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from steward.core import journal
from steward.core.errors import DomainError, StaleVersion
from steward.people import conflicts
from steward.people import operations as people_ops
from steward.people.admin_forms import (
    ContactEditForm,
    ContactForm,
    OrganizationCreateForm,
    OrganizationEditForm,
    OrganizationFilterForm,
)
from steward.people.forms import add_domain_error
from steward.people.models import Organization, OrganizationContact

PAGE_SIZE = 50
HISTORY_LIMIT = 50


def _require_it(user) -> None:
    if not user.is_it:
        raise Http404


def _require_admin(user) -> None:
    _require_it(user)
    if not user.is_admin:
        raise DjangoPermissionDenied


def _organization(request, pk: int) -> Organization:
    return get_object_or_404(Organization.objects.for_user(request.user, "view"), pk=pk)


@login_required
@require_GET
def organization_list(request):
    _require_it(request.user)
    form = OrganizationFilterForm(request.GET)
    orgs = (
        Organization.objects.for_user(request.user, "view")
        .annotate(
            user_count=Count("users", distinct=True),
            contact_count=Count("contacts", distinct=True),
        )
        .order_by("name")
    )
    if text := (form.value("q") or "").strip():
        orgs = orgs.filter(
            Q(name__icontains=text) | Q(code__icontains=text) | Q(description__icontains=text)
        )
    if status := form.value("status"):
        orgs = orgs.filter(is_active=status == "active")
    context = {
        "form": form,
        "page_obj": Paginator(orgs, PAGE_SIZE).get_page(request.GET.get("page")),
        "results_template": "people/_organization_results.html",
    }
    partial = request.htmx.target == "results"
    template = "people/_organization_results.html" if partial else "people/organization_list.html"
    return render(request, template, context)


def _detail(request, org: Organization, *, contact_form=None, status: int = 200):
    contacts = OrganizationContact.objects.for_user(request.user, "view").filter(organization=org)
    context = {
        "org": org,
        "contacts": contacts.order_by("name"),
        "contact_form": contact_form
        or (ContactForm(auto_id="contact_%s") if request.user.is_admin else None),
        "user_count": org.users.count(),
        "history": journal.history(org).order_by("-id")[:HISTORY_LIMIT],
    }
    return render(request, "people/organization_detail.html", context, status=status)


@login_required
@require_GET
def organization_detail(request, pk: int):
    _require_it(request.user)
    return _detail(request, _organization(request, pk))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def organization_create(request):
    _require_admin(request.user)
    form = OrganizationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org = people_ops.create_organization(request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("%(name)s has been added.") % {"name": org.name})
            return redirect("people:organization_detail", org.pk)
    return render(request, "people/organization_form.html", {"form": form, "org": None})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def organization_edit(request, pk: int):
    _require_admin(request.user)
    org = _organization(request, pk)
    conflict, status = None, 200
    if request.method != "POST":
        initial = {
            "name": org.name,
            "code": org.code,
            "description": org.description,
            "is_active": org.is_active,
            "version": org.version,
            "seen": conflicts.last_seen(org),
        }
        form = OrganizationEditForm(initial=initial)
    else:
        form = OrganizationEditForm(request.POST)
        if form.is_valid():
            try:
                people_ops.update_organization(
                    request.user, org, version=form.cleaned_data["version"], **form.changes
                )
            except StaleVersion as exc:
                org = _organization(request, pk)
                conflict, status = conflicts.stale_edit(form, org, exc.current), 409
            except DomainError as exc:
                org = _organization(request, pk)
                add_domain_error(form, exc)
            else:
                messages.success(request, _("%(name)s has been saved.") % {"name": org.name})
                return redirect("people:organization_detail", org.pk)
    context = {"form": form, "org": org, "conflict": conflict}
    return render(request, "people/organization_form.html", context, status=status)


# --- contacts -----------------------------------------------------------------------------------


@login_required
@require_POST
def contact_add(request, pk: int):
    _require_admin(request.user)
    org = _organization(request, pk)
    form = ContactForm(request.POST, auto_id="contact_%s")
    if form.is_valid():
        try:
            contact = people_ops.add_contact(request.user, org, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("%(name)s has been added.") % {"name": contact.name})
            return redirect("people:organization_detail", org.pk)
    return _detail(request, org, contact_form=form, status=422)


def _contact(request, pk: int, contact_pk: int) -> OrganizationContact:
    return get_object_or_404(
        OrganizationContact.objects.for_user(request.user, "change").select_related("organization"),
        organization_id=pk,
        pk=contact_pk,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def contact_edit(request, pk: int, contact_pk: int):
    _require_admin(request.user)
    contact = _contact(request, pk, contact_pk)
    conflict, status = None, 200
    if request.method != "POST":
        initial = {
            "name": contact.name,
            "email": contact.email,
            "role": contact.role,
            "language": contact.language,
            "version": contact.version,
            "seen": conflicts.last_seen(contact),
        }
        form = ContactEditForm(initial=initial)
    else:
        form = ContactEditForm(request.POST)
        if form.is_valid():
            try:
                people_ops.update_contact(
                    request.user, contact, version=form.cleaned_data["version"], **form.changes
                )
            except StaleVersion as exc:
                contact = _contact(request, pk, contact_pk)
                conflict, status = conflicts.stale_edit(form, contact, exc.current), 409
            except DomainError as exc:
                contact = _contact(request, pk, contact_pk)
                add_domain_error(form, exc)
            else:
                messages.success(request, _("%(name)s has been saved.") % {"name": contact.name})
                return redirect("people:organization_detail", pk)
    context = {"form": form, "contact": contact, "org": contact.organization, "conflict": conflict}
    return render(request, "people/contact_edit.html", context, status=status)


@login_required
@require_POST
def contact_remove(request, pk: int, contact_pk: int):
    _require_admin(request.user)
    try:
        contact = _contact(request, pk, contact_pk)
    except Http404:
        messages.info(request, _("That contact had already been removed."))
        return redirect("people:organization_detail", pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        people_ops.remove_contact(request.user, contact, version=version)
    except DomainError as exc:
        if isinstance(exc, StaleVersion):
            messages.error(
                request,
                _("%(name)s was changed while you were looking: check the contact and try again.")
                % {"name": contact.name},
            )
        else:
            messages.error(request, exc.message)
    else:
        messages.success(request, _("%(name)s has been removed.") % {"name": contact.name})
    return redirect("people:organization_detail", pk)
