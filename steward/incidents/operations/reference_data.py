"""Admin data that drives incidents: the priority matrix, routing to a first-line group,
categories."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from steward.core import journal
from steward.core.operations import full_clean, require_admin
from steward.core.statements import fetch_compiled
from steward.incidents.choices import (
    Priority,
)
from steward.incidents.models import (
    IncidentCategory,
    PriorityMatrix,
)
from steward.incidents.operations.common import SERVICE_DESK, check_level, invalid
from steward.people.models import SupportGroup
from steward.services import operations as service_ops
from steward.services.choices import SupportLine
from steward.services.models import Service, ServiceSupport
from steward.slm import operations as slm_ops

# --- priority ---------------------------------------------------------------------------------


def priority_for(impact: int, urgency: int) -> int:
    """The priority the matrix gives; the ITIL default (impact + urgency - 1) if a cell is
    missing."""
    check_level("impact", impact)
    check_level("urgency", urgency)
    rows = fetch_compiled(
        ("priority_matrix_cell", impact, urgency),
        lambda: PriorityMatrix.objects.filter(impact=impact, urgency=urgency).values_list(
            "priority"
        ),
    )
    return rows[0][0] if rows else impact + urgency - 1


@transaction.atomic
def set_priority_cell(actor, *, impact: int, urgency: int, priority: int) -> PriorityMatrix:
    """Change one cell of the priority matrix (administrators)."""
    require_admin(actor, "edit the priority matrix")
    check_level("impact", impact)
    check_level("urgency", urgency)
    if priority not in Priority.values:
        raise invalid("priority", _("Choose a priority from 1 to 5."), "must be 1 to 5")
    cell, _created = PriorityMatrix.objects.get_or_create(
        impact=impact, urgency=urgency, defaults={"priority": priority}
    )
    before = cell.priority
    if before != priority:
        PriorityMatrix.objects.filter(pk=cell.pk).update(priority=priority)
        cell.priority = priority
    journal.record(actor, cell, "updated", {"priority": [before, priority]})
    return cell


# --- routing and settings (admin data) --------------------------------------------------------


@transaction.atomic
def set_first_line_group(actor, service: Service, group: SupportGroup | None) -> None:
    """Route new incidents about ``service`` to ``group`` (``None`` removes the routing): the
    service's first-line support group in the portfolio."""
    require_admin(actor, "route services to groups")
    service_ops.set_support(actor, service, SupportLine.FIRST, [group] if group else [])


@transaction.atomic
def set_handover_target(actor, group: SupportGroup, minutes: int):
    """The group's handover acceptance target: its OLA's, counted in business time on the
    group's calendar (administrators or the group's manager)."""
    if not isinstance(minutes, int) or minutes < 1:
        raise invalid(
            "handover_target_minutes",
            _("The handover target is a whole number of minutes, at least 1."),
            "must be a positive number",
        )
    return slm_ops.set_ola(actor, group, handover_acceptance_seconds=minutes * 60)


@transaction.atomic
def create_category(actor, *, name: str, parent: IncidentCategory | None = None):
    require_admin(actor, "manage incident categories")
    row = IncidentCategory(name=name, parent=parent)
    full_clean(row)
    row.save()
    journal.record(actor, row, "created", {"name": [None, name], "parent": [None, parent]})
    return row


def route_to(owning_group: SupportGroup | None, service: Service | None) -> SupportGroup:
    if owning_group is not None:
        if not owning_group.is_active:
            raise invalid(
                "owning_group",
                _("%(group)s is no longer active: choose another group.")
                % {"group": owning_group.name},
                f"group {owning_group.name!r} is inactive",
            )
        return owning_group
    if service is not None:
        first_line = (
            ServiceSupport.objects.select_related("group")
            .filter(service=service, line=SupportLine.FIRST, group__is_active=True)
            .order_by("group__name")
            .first()
        )
        if first_line:
            return first_line.group
    desk = SupportGroup.objects.filter(name=SERVICE_DESK, is_active=True).first()
    if desk is None:
        raise invalid(
            "owning_group",
            _(
                "Choose the owning group: the service has no first-line group and there is no "
                "active service desk group to route to."
            ),
            f"required: the service has no first-line group and there is no active "
            f"{SERVICE_DESK!r} group to route to",
        )
    return desk


def check_categories(category, subcategory) -> None:
    if category is not None and (category.parent_id is not None or not category.is_active):
        raise invalid(
            "category",
            _("Choose an active top-level category."),
            "must be an active top-level category",
        )
    if subcategory is not None and (
        category is None or subcategory.parent_id != category.pk or not subcategory.is_active
    ):
        raise invalid(
            "subcategory",
            _("Choose an active subcategory of the category."),
            "must be an active subcategory of category",
        )
