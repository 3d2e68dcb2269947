"""OLA pages: every support group's operational level agreement, and the form with which an
administrator or the group's manager sets it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from steward.core.errors import DomainError, StaleVersion
from steward.people import conflicts
from steward.people.models import SupportGroup
from steward.slm import operations as ops
from steward.slm import rules
from steward.slm.forms import OlaForm, hours_from_seconds, place_error
from steward.slm.models import GroupCalendar, OlaDefinition
from steward.slm.views.common import require_it, tabs


@login_required
@require_GET
def ola_list(request):
    require_it(request)
    groups = list(
        SupportGroup.objects.for_user(request.user, "view")
        .filter(is_active=True)
        .select_related("manager", "ola")
        .order_by("name")
    )
    calendars = {
        g.group_id: g.calendar
        for g in GroupCalendar.objects.select_related("calendar").filter(group__in=groups)
    }
    for g in groups:
        ola = getattr(g, "ola", None)
        g.ola_row = ola
        g.acceptance_minutes = (
            ola.handover_acceptance_seconds // 60
            if ola and ola.handover_acceptance_seconds
            else None
        )
        g.with_group_hours = hours_from_seconds(ola.time_with_group_seconds) if ola else None
        g.calendar_row = calendars.get(g.pk)
        g.may_set = rules.may_set_ola(request.user, g)
    return render(request, "slm/ola_list.html", {"groups": groups, "tabs": tabs("slm:olas")})


def _initial(ola: OlaDefinition | None) -> dict:
    if ola is None:
        return {"thresholds": "50, 75, 90", "pause_when_paused": True, "is_active": True}
    return {
        "acceptance_minutes": (
            ola.handover_acceptance_seconds // 60 if ola.handover_acceptance_seconds else None
        ),
        "with_group_hours": hours_from_seconds(ola.time_with_group_seconds),
        "thresholds": ", ".join(str(t) for t in ola.thresholds),
        "pause_when_paused": ola.pause_when_paused,
        "is_active": ola.is_active,
        "version": ola.version,
        "seen": conflicts.last_seen(ola.group),
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def ola_edit(request, group_id: int):
    require_it(request)
    group = get_object_or_404(
        SupportGroup.objects.for_user(request.user, "view").select_related("manager"), pk=group_id
    )
    if not rules.may_set_ola(request.user, group):
        raise DjangoPermissionDenied
    ola = OlaDefinition.objects.filter(group=group).first()
    conflict, status = None, 200
    form = OlaForm(request.POST or None, initial=_initial(ola))
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                ops.set_ola(
                    request.user, group, version=form.cleaned_data["version"], **form.values()
                )
            except StaleVersion as exc:
                conflict = conflicts.stale_edit(form, group, exc.current)
                status = 409
            except DomainError as exc:
                place_error(form, exc, OlaForm.FIELDS)
            else:
                messages.success(
                    request, _("The OLA of %(group)s has been saved.") % {"group": group.name}
                )
                return redirect("slm:olas")
    context = {"group": group, "ola": ola, "form": form, "conflict": conflict}
    return render(request, "slm/ola_form.html", context | {"tabs": tabs("slm:olas")}, status=status)
