"""Pages of the people app: sign-in, profile, API tokens, groups and people.

Thin: read through ``.for_user``, write through ``people.operations``, show domain errors
beside the fields they name.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from steward.core.errors import DomainError
from steward.core.registry import requester_home
from steward.people import operations as people_ops
from steward.people.auth import blocked_message, sign_in_blocked_for
from steward.people.choices import Role
from steward.people.forms import LoginForm, ProfileForm, TextFilterForm, TokenForm, add_domain_error
from steward.people.models import ApiToken, SupportGroup, User
from steward.people.views_groups import group_page

PAGE_SIZE = 50
HISTORY_LIMIT = 50


def _page(request, queryset, size: int = PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _with_role_labels(users):
    for u in users:
        u.role_labels = [Role(r).label for r in sorted(u.roles)]
    return users


# --- signing in and out -------------------------------------------------------------------------


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("core:home")


def _landing(request, next_url: str) -> str:
    """Where a person goes once signed in: the page they asked for, else a requester's home
    (the portal, when a practice offers one: ``core.registry.requester_home``), else the
    start page. (The sign-in form always posts ``next``: the start page means none.)"""
    if next_url != reverse("core:home"):
        return next_url
    home = requester_home(request.user)
    return reverse(home) if home else next_url


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def login_view(request):
    next_url = _next_url(request)
    if request.method != "POST":
        if request.user.is_authenticated:
            return redirect(_landing(request, next_url))
        return render(request, "people/login.html", {"form": LoginForm(request), "next": next_url})
    # The form's authenticate() goes through the sign-in throttle (people.auth): blocked, the
    # password is not even checked.
    form = LoginForm(request, data=request.POST)
    if form.is_valid():
        auth_login(request, form.get_user())
        return redirect(_landing(request, next_url))
    wait = sign_in_blocked_for(request)
    if wait is None:
        return render(request, "people/login.html", {"form": form, "next": next_url})
    username = request.POST.get("username", "")[:150]
    context = {
        "form": LoginForm(request, initial={"username": username}),
        "next": next_url,
        "blocked": blocked_message(wait),
    }
    return render(request, "people/login.html", context, status=429)


@require_POST
def logout_view(request):
    auth_logout(request)
    messages.info(request, _("You have signed out."))
    return redirect("people:login")


# --- own account --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile(request):
    me = get_object_or_404(User.objects.for_user(request.user, "change"), pk=request.user.pk)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                people_ops.update_user(
                    request.user, me, version=form.cleaned_data["version"], **form.changes
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                # said in the language just chosen, which the next page is in
                with translation.override(form.changes.get("language", me.language)):
                    messages.success(request, _("Your profile has been saved."))
                return redirect("people:profile")
    else:
        form = ProfileForm(initial={name: getattr(me, name) for name in ProfileForm.base_fields})
    return render(request, "people/profile.html", {"form": form, "person": me})


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def tokens(request):
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = people_ops.create_api_token(
                request.user, request.user, **form.cleaned_data
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            created = {"token": token, "secret": secret}
            form = TokenForm()
    page = _page(request, ApiToken.objects.for_user(request.user, "view"))
    context = {"form": form, "created": created, "page_obj": page}
    return render(request, "people/tokens.html", context, status=201 if created else 200)


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken.objects.for_user(request.user, "change"), pk=pk)
    try:
        people_ops.revoke_api_token(request.user, token)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Token “%(name)s” has been revoked.") % {"name": token.name})
    return redirect("people:tokens")


# --- groups and people --------------------------------------------------------------------------


def _require_it(user) -> None:
    """Support groups are IT's own business: others get the same 404 as for a missing page."""
    if not user.is_it:
        raise Http404


@login_required
@require_GET
def group_list(request):
    _require_it(request.user)
    form = TextFilterForm(request.GET)
    groups = (
        SupportGroup.objects.for_user(request.user, "view")
        .select_related("manager")
        .annotate(member_count=Count("members", distinct=True))
        .order_by("name")
    )
    if text := form.text:
        groups = groups.filter(
            Q(name__icontains=text) | Q(description__icontains=text) | Q(email__icontains=text)
        )
    context = {
        "form": form,
        "page_obj": _page(request, groups),
        "results_template": "people/_group_results.html",
    }
    partial = request.htmx.target == "results"
    template = "people/_group_results.html" if partial else "people/group_list.html"
    return render(request, template, context)


@login_required
@require_GET
def group_detail(request, pk: int):
    group = get_object_or_404(
        SupportGroup.objects.for_user(request.user, "view").select_related("manager"), pk=pk
    )
    return group_page(request, group)


@login_required
@require_GET
def user_detail(request, username: str):
    person = get_object_or_404(
        User.objects.for_user(request.user, "view")
        .select_related("organization")
        .prefetch_related("role_rows"),
        username=username,
    )
    _with_role_labels([person])
    groups = (
        SupportGroup.objects.for_user(request.user, "view")
        .filter(Q(members=person) | Q(manager=person))
        .distinct()
    )
    return render(request, "people/user_detail.html", {"person": person, "groups": groups})
