"""Ownership gaps contributed by service level management (registered with the ownership app):
SLAs whose service owner has not signed them off, and groups whose OLA has no manager to
answer for it. Declared in slm's practice (apps.py) as :data:`PROVIDERS`."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steward.ownership import gaps
from steward.ownership.choices import Severity
from steward.slm.models import OlaDefinition, SlaDefinition


def slas_not_signed_off() -> list[dict]:
    rows = (
        SlaDefinition.objects.filter(is_active=True, signed_off_by__isnull=True)
        .select_related("service__owner")
        .order_by("name")
    )
    out = []
    for d in rows:
        owner = d.service.owner if d.service_id else None
        fixer = gaps.person(owner) if owner is not None and owner.is_active else gaps.ADMINS
        out.append(
            gaps.gap(
                "sla_not_signed_off",
                "sla",
                d,
                _(
                    "the service owner %(owner)s has not signed this SLA off: the commitment is "
                    "not accepted"
                )
                % {"owner": owner}
                if owner is not None
                else _(
                    "a service owner has not signed this SLA off: the commitment is not accepted"
                ),
                fixer,
                f"/api/v1/sla-definitions/{d.pk}",
                Severity.WARNING,
            )
        )
    return out


def olas_without_manager() -> list[dict]:
    rows = (
        OlaDefinition.objects.filter(is_active=True)
        .exclude(group__manager__is_active=True)
        .select_related("group")
    )
    return [
        gaps.gap(
            "ola_without_manager",
            "group",
            o.group,
            _("the group has an OLA but no active manager to answer for it"),
            gaps.ADMINS,
            gaps.page("people:group_detail", o.group_id, f"groups/{o.group_id}"),
        )
        for o in rows.order_by("group__name")
    ]


PROVIDERS = (
    gaps.GapProvider(
        "sla_not_signed_off", gettext_lazy("SLAs not signed off"), slas_not_signed_off, order=70
    ),
    gaps.GapProvider(
        "ola_without_manager",
        gettext_lazy("OLAs without a group manager"),
        olas_without_manager,
        order=71,
    ),
)
