"""Calendar pages: the list, a calendar's weekly hours and days off (edited by administrators
and by the manager of the groups that alone work it), and the import of a country's public
holidays for a range of years."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from steward.core.errors import DomainError, StaleVersion
from steward.people import conflicts
from steward.slm import operations as ops
from steward.slm import rules
from steward.slm.assignment_forms import CalendarAssignForm
from steward.slm.calendar_math import WEEKDAYS
from steward.slm.forms import (
    DAY_LABELS,
    CalendarForm,
    HolidayImportForm,
    hours_text,
    place_error,
)
from steward.slm.models import (
    Calendar,
    CalendarHoliday,
    GroupCalendar,
    HolidaySource,
    ServiceCalendar,
)
from steward.slm.views.common import require_it, tabs

#: How many days off the calendar page lists (the API has them all).
SHOWN_HOLIDAYS = 60


def _calendars(user):
    return Calendar.objects.for_user(user, "view").prefetch_related(
        Prefetch("holiday_rows", queryset=CalendarHoliday.objects.order_by("date"))
    )


def visible_calendar(request, pk: int) -> Calendar:
    require_it(request)
    return get_object_or_404(_calendars(request.user), pk=pk)


def week(calendar: Calendar) -> list[dict]:
    return [{"day": DAY_LABELS[d], "text": hours_text(calendar.hours.get(d, []))} for d in WEEKDAYS]


@login_required
@require_GET
def calendar_list(request):
    require_it(request)
    rows = (
        Calendar.objects.for_user(request.user, "view")
        .annotate(holiday_count=Count("holiday_rows"))
        .order_by("-is_default", "name")
    )
    changeable = set(Calendar.objects.for_user(request.user, "change").values_list("pk", flat=True))
    calendars = []
    for c in rows:
        c.week = week(c)
        c.may_change = c.pk in changeable
        calendars.append(c)
    return render(
        request,
        "slm/calendar_list.html",
        {
            "calendars": calendars,
            "may_create": rules.may_create_calendar(request.user),
            "tabs": tabs("slm:calendars"),
        },
    )


def _initial(calendar: Calendar) -> dict:
    manual = [h.date for h in calendar.holiday_rows.all() if h.source == HolidaySource.MANUAL]
    return {
        "name": calendar.name,
        "description": calendar.description,
        "time_zone": calendar.time_zone,
        "holidays": "\n".join(d.isoformat() for d in manual),
        "version": calendar.version,
        "seen": conflicts.last_seen(calendar),
        **{f"hours_{d}": hours_text(calendar.hours.get(d, [])) for d in WEEKDAYS},
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def calendar_create(request):
    require_it(request)
    if not rules.may_create_calendar(request.user):
        raise DjangoPermissionDenied
    form = CalendarForm(
        request.POST or None,
        initial={
            "time_zone": request.user.time_zone or "UTC",
            **{f"hours_{d}": "09:00–17:00" for d in WEEKDAYS[:5]},
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            calendar = ops.create_calendar(request.user, **form.changes)
        except DomainError as exc:
            place_error(form, exc, CalendarForm.FIELDS)
        else:
            messages.success(
                request, _("Calendar “%(name)s” has been created.") % {"name": calendar}
            )
            return redirect("slm:calendar", calendar.pk)
    return render(request, "slm/calendar_form.html", {"form": form, "tabs": tabs("slm:calendars")})


def calendar_page(
    request, calendar, *, form=None, import_form=None, assign_form=None, conflict=None, status=200
):
    """The calendar's page; the forms given are shown with their errors."""
    may_change = rules.may_change_calendar(request.user, calendar)
    if may_change and form is None:
        form = CalendarForm(initial=_initial(calendar))
    if may_change and import_form is None:
        year = timezone.localdate().year
        import_form = HolidayImportForm(
            initial={
                "country": calendar.holiday_country,
                "subdivision": calendar.holiday_subdivision,
                "year_from": min(calendar.holiday_years or [year]),
                "year_to": max(calendar.holiday_years or [year + 1]),
                "version": calendar.version,
            }
        )
    may_assign = "assign" in rules.allowed_actions(request.user, calendar)
    if may_assign and assign_form is None:
        assign_form = CalendarAssignForm(request.user, calendar)
    today = timezone.localdate()
    upcoming = [h for h in calendar.holiday_rows.all() if h.date >= today.replace(month=1, day=1)]
    worked_by = {
        "services": list(
            ServiceCalendar.objects.filter(calendar=calendar)
            .select_related("service")
            .order_by("service__name")
        ),
        "groups": list(
            GroupCalendar.objects.filter(calendar=calendar)
            .select_related("group")
            .order_by("group__name")
        ),
    }
    context = {
        "calendar": calendar,
        "week": week(calendar),
        "form": form,
        "import_form": import_form,
        "conflict": conflict,
        "may_change": may_change,
        "holidays": upcoming[:SHOWN_HOLIDAYS],
        "more_holidays": max(0, len(upcoming) - SHOWN_HOLIDAYS),
        "worked_by": worked_by,
        "may_assign": may_assign,
        "assign_form": assign_form,
        "tabs": tabs("slm:calendars"),
    }
    return render(request, "slm/calendar_detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def calendar_detail(request, pk: int):
    """A calendar: its week, its days off, who works it; the edit form for those who may."""
    calendar = visible_calendar(request, pk)
    if request.method != "POST":
        return calendar_page(request, calendar)
    if not rules.may_change_calendar(request.user, calendar):
        raise DjangoPermissionDenied
    form = CalendarForm(request.POST)
    if not form.is_valid():
        return calendar_page(request, calendar, form=form, status=422)
    try:
        ops.update_calendar(
            request.user, calendar, version=form.cleaned_data["version"], **form.changes
        )
    except StaleVersion as exc:
        calendar = visible_calendar(request, pk)
        conflict = conflicts.stale_edit(form, calendar, exc.current)
        return calendar_page(request, calendar, form=form, conflict=conflict, status=409)
    except DomainError as exc:
        calendar = visible_calendar(request, pk)
        place_error(form, exc, CalendarForm.FIELDS)
        return calendar_page(request, calendar, form=form, status=422)
    messages.success(request, _("Calendar “%(name)s” has been saved.") % {"name": calendar})
    return redirect("slm:calendar", calendar.pk)


@login_required
@require_POST
def calendar_holidays(request, pk: int):
    """Import a country's public holidays for the years from ... to ... (replaces the earlier
    import; days entered by hand stay)."""
    calendar = visible_calendar(request, pk)
    if not rules.may_change_calendar(request.user, calendar):
        raise DjangoPermissionDenied
    form = HolidayImportForm(request.POST)
    if not form.is_valid():
        return calendar_page(request, calendar, import_form=form, status=422)
    d = form.cleaned_data
    try:
        ops.import_holidays(
            request.user,
            calendar,
            version=d["version"],
            country=d["country"],
            subdivision=d["subdivision"],
            years=range(d["year_from"], d["year_to"] + 1),
        )
    except StaleVersion:
        calendar = visible_calendar(request, pk)
        messages.error(
            request,
            _(
                "The calendar was changed by someone else while you were reading it: "
                "nothing was imported. Check it below and import again."
            ),
        )
        return calendar_page(request, calendar, status=409)
    except DomainError as exc:
        calendar = visible_calendar(request, pk)
        place_error(form, exc, HolidayImportForm.FIELDS)
        return calendar_page(request, calendar, import_form=form, status=422)
    count = calendar.holiday_rows.filter(source=HolidaySource.IMPORTED).count()
    messages.success(
        request,
        _("%(count)s public holidays of %(country)s imported for %(start)s–%(end)s.")
        % {"count": count, "country": d["country"], "start": d["year_from"], "end": d["year_to"]},
    )
    return redirect("slm:calendar", calendar.pk)
