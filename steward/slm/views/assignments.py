"""Which calendar a group or a service works, chosen on a page: a group's manager (or an
administrator) on the group's page; an administrator on the calendar's page, for several
services and groups at once. Every change goes through the operation ``assign_calendar``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from steward.core.errors import DomainError
from steward.people.models import SupportGroup
from steward.slm import operations as ops
from steward.slm import rules
from steward.slm.assignment_forms import CalendarAssignForm, CalendarReleaseForm, GroupCalendarForm
from steward.slm.panels import GROUP_PREFIX
from steward.slm.views.calendars import calendar_page, visible_calendar
from steward.slm.views.common import require_it


@login_required
@require_POST
def group_calendar(request, group_id: int):
    """Point the group to the calendar chosen on its page (the default: no calendar of its
    own). A choice the page did not offer changes nothing and says so."""
    require_it(request)
    group = get_object_or_404(SupportGroup.objects.for_user(request.user, "view"), pk=group_id)
    if not rules.may_assign_calendar(request.user, group):
        raise DjangoPermissionDenied
    form = GroupCalendarForm(request.user, request.POST, prefix=GROUP_PREFIX)
    if not form.is_valid():
        messages.error(request, _("Choose one of the calendars offered: nothing was changed."))
        return redirect("people:group_detail", group.pk)
    try:
        ops.assign_calendar(request.user, form.chosen(), [group])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(group)s now works the calendar “%(calendar)s”.")
            % {"group": group.name, "calendar": form.cleaned_data["calendar"].name},
        )
    return redirect("people:group_detail", group.pk)


@login_required
@require_POST
def calendar_assign(request, pk: int):
    """Point the services and groups chosen on the calendar's page to it (all or none)."""
    calendar = visible_calendar(request, pk)
    if "assign" not in rules.allowed_actions(request.user, calendar):
        raise DjangoPermissionDenied
    form = CalendarAssignForm(request.user, calendar, request.POST)
    if not form.is_valid():
        return calendar_page(request, calendar, assign_form=form, status=422)
    try:
        ops.assign_calendar(request.user, calendar, form.targets())
    except DomainError as exc:
        form.add_error(None, exc.message)
        return calendar_page(request, calendar, assign_form=form, status=422)
    count = len(form.targets())
    messages.success(
        request,
        ngettext(
            "%(count)s service or group now works “%(name)s”.",
            "%(count)s services and groups now work “%(name)s”.",
            count,
        )
        % {"count": count, "name": calendar.name},
    )
    return redirect("slm:calendar", calendar.pk)


@login_required
@require_POST
def calendar_release(request, pk: int):
    """One service or group stops working this calendar: back to the default."""
    calendar = visible_calendar(request, pk)
    if "assign" not in rules.allowed_actions(request.user, calendar):
        raise DjangoPermissionDenied
    form = CalendarReleaseForm(request.user, calendar, request.POST)
    if not form.is_valid():
        messages.error(request, _("That service or group does not work this calendar."))
        return calendar_page(request, calendar, status=422)
    target = form.target()
    ops.assign_calendar(request.user, None, [target])
    messages.success(
        request,
        _("%(name)s no longer works “%(calendar)s”: it works the default calendar.")
        % {"name": target.name, "calendar": calendar.name},
    )
    return redirect("slm:calendar", calendar.pk)
