"""Calendars API: business calendars and business-time arithmetic (``add``, ``elapsed``).

IT staff read calendars and compute with them; administrators create and change them.
"""

from __future__ import annotations

from django.db.models import Prefetch
from ninja import Query, Router, Status

from steward.core.api_input import Id
from steward.core.api_support import ERRORS, PageParams, page_of, paginate, visible_refs
from steward.core.operations import get_visible
from steward.people.models import SupportGroup, User
from steward.services.models import Service
from steward.slm import operations as ops
from steward.slm.models import (
    Calendar,
    CalendarHoliday,
    GroupCalendar,
    HolidaySource,
    ServiceCalendar,
    UserCalendar,
)
from steward.slm.schemas import (
    AddIn,
    AddOut,
    AssignIn,
    AssignOut,
    CalendarCreate,
    CalendarOut,
    CalendarUpdate,
    ElapsedIn,
    ElapsedOut,
)

router = Router(tags=["calendars"])
#: The empty value of the PATCH fields that ``null`` clears (the schema refuses null elsewhere).
_EMPTY = {
    "description": "",
    "holidays": [],
    "holiday_country": "",
    "holiday_subdivision": "",
    "holiday_years": [],
}


def _calendars():
    return Calendar.objects.prefetch_related(
        Prefetch("holiday_rows", queryset=CalendarHoliday.objects.order_by("date"))
    )


def calendar_out(c: Calendar) -> dict:
    rows = list(c.holiday_rows.all())
    return {
        "id": c.pk,
        "name": c.name,
        "description": c.description,
        "time_zone": c.time_zone,
        "hours": c.hours,
        "is_default": c.is_default,
        "holidays": [h.date for h in rows if h.source == HolidaySource.MANUAL],
        "holiday_country": c.holiday_country,
        "holiday_subdivision": c.holiday_subdivision,
        "holiday_years": c.holiday_years,
        "imported_holidays": [
            {"date": h.date, "name": h.name} for h in rows if h.source == HolidaySource.IMPORTED
        ],
        "version": c.version,
        "created_at": c.created_at,
        "updated_at": c.updated_at,
    }


@router.get("", response={200: page_of(CalendarOut), **ERRORS}, summary="List calendars")
def list_calendars(request, page: Query[PageParams]):
    qs = _calendars().for_user(request.auth, "view").order_by("name", "id")
    return paginate(qs, page, calendar_out)


@router.post("", response={201: CalendarOut, **ERRORS}, summary="Create a calendar (admins)")
def create_calendar(request, payload: CalendarCreate):
    calendar = ops.create_calendar(request.auth, **payload.dict())
    return Status(
        201, calendar_out(get_visible(_calendars(), request.auth, calendar.pk, "Calendar"))
    )


@router.get("/{calendar_id}", response={200: CalendarOut, **ERRORS}, summary="One calendar")
def get_calendar(request, calendar_id: Id):
    return calendar_out(get_visible(_calendars(), request.auth, calendar_id, "Calendar"))


@router.patch(
    "/{calendar_id}",
    response={200: CalendarOut, **ERRORS},
    summary="Change a calendar (admins; a group manager the calendar only their groups work)",
)
def update_calendar(request, calendar_id: Id, payload: CalendarUpdate):
    calendar = get_visible(Calendar.objects.all(), request.auth, calendar_id, "Calendar")
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    for key, value in list(data.items()):
        if value is None:
            data[key] = _EMPTY[key]
    ops.update_calendar(request.auth, calendar, version=version, **data)
    return calendar_out(get_visible(_calendars(), request.auth, calendar.pk, "Calendar"))


@router.post(
    "/{calendar_id}/add",
    response={200: AddOut, **ERRORS},
    summary="Due instant: start plus working seconds",
)
def add(request, calendar_id: Id, payload: AddIn):
    """The earliest instant at which ``seconds`` of working time have passed since ``start``.

    ``seconds: 0`` gives ``start`` itself; a start outside working hours counts from the next
    working instant; a target that runs out at a closing time is due at that closing time.
    """
    work = _work_calendar(request, calendar_id)
    return {"due": work.add(payload.start, payload.seconds)}


@router.post(
    "/{calendar_id}/elapsed",
    response={200: ElapsedOut, **ERRORS},
    summary="Working seconds between two instants",
)
def elapsed(request, calendar_id: Id, payload: ElapsedIn):
    """The working time in ``[start, end)``, in whole seconds."""
    work = _work_calendar(request, calendar_id)
    return {"seconds": work.elapsed(payload.start, payload.end)}


def _work_calendar(request, calendar_id: Id):
    return get_visible(_calendars(), request.auth, calendar_id, "Calendar").as_work_calendar()


def _assigned(calendar: Calendar) -> dict:
    return {
        "calendar": calendar.pk,
        "services": sorted(
            ServiceCalendar.objects.filter(calendar=calendar).values_list("service_id", flat=True)
        ),
        "groups": sorted(
            GroupCalendar.objects.filter(calendar=calendar).values_list("group_id", flat=True)
        ),
        "users": sorted(
            UserCalendar.objects.filter(calendar=calendar).values_list("user_id", flat=True)
        ),
    }


@router.get(
    "/{calendar_id}/assignments",
    response={200: AssignOut, **ERRORS},
    summary="The services, groups and people that work this calendar",
)
def get_assignments(request, calendar_id: Id):
    return _assigned(get_visible(Calendar.objects, request.auth, calendar_id, "Calendar"))


@router.post(
    "/{calendar_id}/assignments",
    response={200: AssignOut, **ERRORS},
    summary="Point services, groups and people to this calendar (admins; a manager their group)",
)
def assign(request, calendar_id: Id, payload: AssignIn):
    calendar = get_visible(Calendar.objects, request.auth, calendar_id, "Calendar")
    targets = [
        *visible_refs(Service.objects, request.auth, "services", payload.services, "services"),
        *visible_refs(SupportGroup.objects, request.auth, "groups", payload.groups, "groups"),
        *visible_refs(User.objects, request.auth, "users", payload.users, "users"),
    ]
    ops.assign_calendar(request.auth, calendar, targets)
    return _assigned(calendar)
