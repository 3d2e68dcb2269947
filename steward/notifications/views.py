"""The notifications page: the signed-in user's notifications, newest first, marked read one
at a time or all at once (POST forms; reading a page never changes state)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from steward.core.pagination import CappedPaginator
from steward.notifications import operations
from steward.notifications.queries import bell_count, inbox, request_group_ids, unread

PAGE_SIZE = 25


def _page_number(value) -> int | None:
    return int(value) if value and str(value).isdigit() and 0 < int(value) < 10**6 else None


@login_required
@require_GET
def notification_list(request):
    only_unread = request.GET.get("show") == "unread"
    groups = request_group_ids(request)
    rows = inbox(request.user, groups)
    if only_unread:
        rows = rows.filter(unread(request.user, groups))
    page = CappedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "only_unread": only_unread,
        "unread_count": bell_count(request),
    }
    return render(request, "notifications/list.html", context)


@login_required
@require_POST
def notification_read(request):
    """Mark the posted ``id`` read, or every notification with ``all``; back to the list."""
    if request.POST.get("all"):
        done = operations.mark_all_read(request.user)
        messages.success(
            request,
            ngettext(
                "%(count)s notification marked read.", "%(count)s notifications marked read.", done
            )
            % {"count": done}
            if done
            else _("Nothing was unread."),
        )
    else:
        ids = [int(v) for v in request.POST.getlist("id") if v.isdigit() and len(v) < 19]
        operations.mark_read_many(request.user, ids)
    url = reverse("notifications:list")
    query = []
    if request.POST.get("show") == "unread":
        query.append("show=unread")
    if page := _page_number(request.POST.get("page")):
        query.append(f"page={page}")
    return redirect(f"{url}?{'&'.join(query)}" if query else url)
