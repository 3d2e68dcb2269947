"""What slm adds to other apps' pages: the SLAs that apply to a service, with their sign-off
(declared in slm's practice, apps.py)."""

from __future__ import annotations

from django.db.models import Q

from steward.slm.models import Calendar, ServiceCalendar, SlaDefinition


def service_slas(service, user) -> dict | None:
    if not user.is_it:
        return None
    definitions = list(
        SlaDefinition.objects.filter(is_active=True)
        .filter(Q(service=service) | Q(service__isnull=True))
        .select_related("organization", "signed_off_by")
        .order_by("-service_id", "priority", "name")
    )
    for d in definitions:
        d.response_hours = round((d.response_seconds or 0) / 3600, 2)
        d.resolution_hours = round((d.resolution_seconds or 0) / 3600, 2)
    link = ServiceCalendar.objects.select_related("calendar").filter(service=service).first()
    return {
        "definitions": definitions,
        "calendar": link.calendar if link else Calendar.objects.default(),
    }
