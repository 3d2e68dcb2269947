"""My requests and incidents: what the person raised or ordered (or, with the organization
scope, every one of their organization's they may see), each with its status in words."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.views.decorators.http import require_GET

from steward.portal import sources
from steward.portal.views.common import page

PAGE_SIZE = 20
SCOPES = ("mine", "organization")


@login_required
@require_GET
def my(request):
    user = request.user
    scope = request.GET.get("scope", "mine")
    if scope not in SCOPES:
        scope = "mine"
    incidents = Paginator(sources.my_incidents(user, scope=scope), PAGE_SIZE).get_page(
        request.GET.get("incidents")
    )
    items_rows = sources.my_items(user, scope=scope)
    items = (
        Paginator(items_rows, PAGE_SIZE).get_page(request.GET.get("requests"))
        if items_rows is not None
        else None
    )
    context = {
        "scope": scope,
        "incidents": incidents,
        "items": items,
        # a requester's organization: the scope shows their colleagues' too
        "may_see_organization": bool(user.organization_id) and not user.is_it,
        "show_caller": scope == "organization",
    }
    return page(request, "portal/my.html", context, current="my")
