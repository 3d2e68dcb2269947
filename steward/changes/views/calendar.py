"""The change calendar: a month, a week or a list of the changes planned, in the viewer's
time zone, narrowed to a service, a group or a CI, each change with conflicts marked; and
its iCalendar feed for a person's mail client."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from steward.changes import calendar as change_calendar
from steward.changes import queries
from steward.changes.forms import CalendarForm
from steward.changes.views.common import staff
from steward.core.errors import DomainError
from steward.people.auth import TokenAuth


def _shift(view: str, day: dt.date, steps: int) -> dt.date:
    if view == "week":
        return day + dt.timedelta(days=7 * steps)
    month = day.year * 12 + day.month - 1 + steps
    return dt.date(month // 12, month % 12 + 1, 1)


@login_required
def calendar(request):
    user = staff(request)
    given = request.GET.copy()
    given.setdefault("view", "month")
    given.setdefault("day", timezone.localdate().isoformat())
    form = CalendarForm(given, user=user)
    form.is_valid()  # a wrong field is shown beside it; the others still apply
    data = form.cleaned_data
    view = data.get("view") or "month"
    day = data.get("day") or timezone.localdate()
    found = queries.calendar(
        user,
        view=view,
        anchor=day,
        service=data.get("service").pk if data.get("service") else None,
        ci=data.get("ci").pk if data.get("ci") else None,
        group=data.get("group").pk if data.get("group") else None,
    )
    query = request.GET.copy()
    links = {}
    for name, target in (
        ("previous", _shift(view, day, -1)),
        ("next", _shift(view, day, 1)),
        ("today", timezone.localdate()),
    ):
        query["day"] = target.isoformat()
        query["view"] = view
        links[name] = "?" + query.urlencode()
    views = {}
    for key, label in CalendarForm.VIEWS.items():
        query["view"], query["day"] = key, day.isoformat()
        views[key] = (label, "?" + query.urlencode())
    context = {
        "form": form,
        "view": view,
        "day": day,
        "links": links,
        "views": views,
        "feed_url": request.build_absolute_uri(reverse("changes:calendar_feed")),
        **found,
    }
    return render(request, "changes/calendar.html", context)


#: The feed covers this far back and ahead of today.
FEED_PAST = dt.timedelta(days=30)
FEED_AHEAD = dt.timedelta(days=365)


@require_GET
def calendar_feed(request):
    """The iCalendar feed of the changes a person sees (``?token=`` one of their API tokens,
    read scope enough), for Outlook or Thunderbird: a month back, a year ahead. A missing or
    wrong token, or a person outside IT, is answered 404; too many wrong tokens from one
    address, 429."""
    token = request.GET.get("token", "")[:200]
    try:
        user = TokenAuth().authenticate(request, token) if token else None
    except DomainError as exc:
        return HttpResponse(exc.message, status=exc.status, content_type="text/plain")
    if user is None or not user.is_it:
        raise Http404
    now = timezone.now()
    body = change_calendar.ics(
        user, now - FEED_PAST, now + FEED_AHEAD, base_url=request.build_absolute_uri("/")
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="changes.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
