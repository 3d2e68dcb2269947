"""What the slm app contributes to the start page (declared in apps.py): the SLAs waiting for
the person's sign-off."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

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
