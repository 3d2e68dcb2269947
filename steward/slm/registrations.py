"""What the slm app contributes to the start page (declared in apps.py): the SLAs waiting for
the person's sign-off."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steward.people.choices import Role
from steward.slm.models import SlaDefinition


def _may_sign_any(user) -> bool:
    """Who signs an SLA that names no service (``rules.may_sign_off``)."""
    return user.has_role(Role.SERVICE_OWNER) or user.is_admin


def _link(definition: SlaDefinition) -> str:
    """Where the person signs it off: the SLA's own page, with its sign-off button."""
    return definition.get_absolute_url()


def slas_to_sign(user, limit: int):
    """Active SLAs not yet signed off that the user is asked to sign: those of the services
    they own and, for service owners, those that name no service."""
    asked = Q(service__owner=user)
    if _may_sign_any(user):
        asked |= Q(service__isnull=True)
    definitions = SlaDefinition.objects.filter(is_active=True, signed_off_by__isnull=True).filter(
        asked
    )
    rows = [
        (
            d.name,
            _link(d),
            d.service.name if d.service_id else _("every service"),
        )
        for d in definitions.select_related("service").order_by("name", "id")[:limit]
    ]
    return definitions.count(), rows


#: What people call the SLM app's journal actions and fields (``journal.describe``).
JOURNAL_WORDS = {
    "sla_started": gettext_lazy("SLA started"),
    "sla_retargeted": gettext_lazy("SLA target changed"),
    "sla_warning": gettext_lazy("SLA warning"),
    "sla_breached": gettext_lazy("SLA breached"),
    "sla_escalated": gettext_lazy("SLA escalation"),
    "ola_started": gettext_lazy("OLA started"),
    "ola_set": gettext_lazy("OLA set"),
    "calendar_set": gettext_lazy("Calendar set"),
    "signed_off": gettext_lazy("Signed off"),
    "signed_off_by": gettext_lazy("Signed off by"),
    "calendar": gettext_lazy("Calendar"),
    "record_type": gettext_lazy("Record type"),
    "priority": gettext_lazy("Priority"),
    "service": gettext_lazy("Service"),
    "response_seconds": gettext_lazy("Response target"),
    "resolution_seconds": gettext_lazy("Resolution target"),
    "handover_acceptance_seconds": gettext_lazy("Handover acceptance target"),
    "time_with_group_seconds": gettext_lazy("Time with group target"),
    "thresholds": gettext_lazy("Warning thresholds"),
    "pause_when_paused": gettext_lazy("Pause when paused"),
    "reopen_policy": gettext_lazy("On reopening"),
    "escalations": gettext_lazy("Escalations"),
    "hours": gettext_lazy("Working hours"),
    "holidays": gettext_lazy("Holidays"),
    "holiday_country": gettext_lazy("Holiday country"),
    "holiday_subdivision": gettext_lazy("Holiday region"),
    "holiday_years": gettext_lazy("Holiday years"),
}
