"""The Administration area's people pages: the sections of the area, the list of users,
creating a user, changing one (roles, organization, time zone, language, active), setting a
password and making or revoking API tokens for them.

Administrators only: anyone else gets the 404 of a missing page. Writes go through
``people.operations``; a stale save shows who changed the person meanwhile.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from steward.core import journal
from steward.core.errors import DomainError, StaleVersion
from steward.core.pagination import CappedPaginator
from steward.people import conflicts
from steward.people import operations as people_ops
from steward.people.admin_area import admin_context, require_admin_page
from steward.people.admin_forms import PasswordForm, UserCreateForm, UserEditForm, UserFilterForm
from steward.people.choices import Role
from steward.people.forms import TokenForm, add_domain_error
from steward.people.models import ApiToken, User, UserRole

PAGE_SIZE = 50
HISTORY_LIMIT = 50


@login_required
@require_GET
def administration(request):
    require_admin_page(request.user)
    return render(request, "people/admin/home.html", admin_context(request, ""))


# --- the list -----------------------------------------------------------------------------------


def _users():
    return User.objects.select_related("organization").prefetch_related(
        Prefetch("role_rows", queryset=UserRole.objects.order_by("role"))
    )


@login_required
@require_GET
def user_list(request):
    require_admin_page(request.user)
    form = UserFilterForm(request.GET)
    users = _users().for_user(request.user, "view").order_by("username")
    if text := (form.value("q") or "").strip():
        users = users.filter(
            Q(username__icontains=text)
            | Q(first_name__icontains=text)
            | Q(last_name__icontains=text)
            | Q(email__icontains=text)
        )
    if role := form.value("role"):
        users = users.filter(role_rows__role=role)
    if org := form.value("organization"):
        users = users.filter(organization=org)
    if status := form.value("status"):
        users = users.filter(is_active=status == "active")
    page = CappedPaginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    for u in page.object_list:
        u.role_labels = [Role(r.role).label for r in u.role_rows.all()]
    context = {
        "form": form,
        "page_obj": page,
        "results_template": "people/admin/_user_results.html",
        **admin_context(request, "users"),
    }
    partial = request.htmx.target == "results"
    template = "people/admin/_user_results.html" if partial else "people/admin/user_list.html"
    return render(request, template, context)


# --- create and edit ----------------------------------------------------------------------------


@sensitive_post_parameters("password")
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def user_create(request):
    require_admin_page(request.user)
    form = UserCreateForm(request.POST or None, initial={"roles": [Role.REQUESTER]})
    if request.method == "POST" and form.is_valid():
        try:
            user = people_ops.create_user(request.user, **form.changes)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("%(name)s has been added.") % {"name": user.display_name})
            return redirect("people:user_edit", user.username)
    context = {"form": form, **admin_context(request, "users")}
    return render(request, "people/admin/user_create.html", context)


def _person(request, username: str) -> User:
    return get_object_or_404(_users().for_user(request.user, "change"), username=username)


def _edit_initial(person: User) -> dict:
    initial = {name: getattr(person, name) for name in UserEditForm.base_fields if name != "seen"}
    initial["roles"] = sorted(person.roles)
    initial["line_manager"] = person.line_manager.username if person.line_manager else ""
    initial["seen"] = conflicts.last_seen(person)
    return initial


def _edit_page(request, person: User, form, *, status=200, conflict=None, **extra):
    tokens = ApiToken.objects.filter(user=person).order_by("-created_at")[:20]
    context = {
        "person": person,
        "form": form,
        "conflict": conflict,
        "password_form": extra.pop("password_form", None) or PasswordForm(),
        "token_form": extra.pop("token_form", None) or TokenForm(),
        "tokens": tokens,
        "history": journal.history(person).order_by("-id")[:HISTORY_LIMIT],
        **extra,
        **admin_context(request, "users"),
    }
    return render(request, "people/admin/user_edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def user_edit(request, username: str):
    require_admin_page(request.user)
    person = _person(request, username)
    if request.method != "POST":
        form = UserEditForm(
            initial=_edit_initial(person), current_organization=person.organization_id
        )
        return _edit_page(request, person, form)
    form = UserEditForm(request.POST, current_organization=person.organization_id)
    if form.is_valid():
        changes = form.changes
        roles = changes.pop("roles")
        try:
            people_ops.update_user(
                request.user, person, version=form.cleaned_data["version"], roles=roles, **changes
            )
        except StaleVersion as exc:
            fresh = _person(request, username)
            conflict = conflicts.stale_edit(form, fresh, exc.current)
            return _edit_page(request, fresh, form, status=409, conflict=conflict)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("%(name)s has been saved.") % {"name": person.display_name})
            return redirect("people:user_edit", person.username)
    return _edit_page(request, _person(request, username), form)


@sensitive_post_parameters("password")
@login_required
@require_POST
def user_password(request, username: str):
    require_admin_page(request.user)
    person = _person(request, username)
    form = PasswordForm(request.POST)
    if form.is_valid():
        try:
            people_ops.set_password(request.user, person, form.cleaned_data["password"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request, _("The password of %(name)s has been set.") % {"name": person.display_name}
            )
            return redirect("people:user_edit", person.username)
    edit_form = UserEditForm(
        initial=_edit_initial(person), current_organization=person.organization_id
    )
    return _edit_page(request, person, edit_form, password_form=form)


# --- API tokens for someone else ----------------------------------------------------------------


@never_cache
@login_required
@require_POST
def user_token_create(request, username: str):
    require_admin_page(request.user)
    person = _person(request, username)
    form = TokenForm(request.POST)
    created = None
    if form.is_valid():
        try:
            token, secret = people_ops.create_api_token(request.user, person, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            created = {"token": token, "secret": secret}
            form = TokenForm()
    edit_form = UserEditForm(
        initial=_edit_initial(person), current_organization=person.organization_id
    )
    return _edit_page(
        request, person, edit_form, token_form=form, created=created, status=201 if created else 200
    )


@login_required
@require_POST
def user_token_revoke(request, username: str, pk: int):
    require_admin_page(request.user)
    person = _person(request, username)
    token = get_object_or_404(ApiToken.objects.filter(user=person), pk=pk)
    try:
        people_ops.revoke_api_token(request.user, token)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Token “%(name)s” has been revoked.") % {"name": token.name})
    return redirect("people:user_edit", person.username)
