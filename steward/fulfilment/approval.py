"""The bridge from request fulfilment to the approvals app: an item's approval flow (data on
the catalog item) becomes ``approvals.operations.StepSpec``s when the item is ordered, and the
approvals tell the item when the round is decided (``on_complete``).

Who approves each step:

- ``line_manager``: the requested-for person's line manager; a person without one (or whose
  line manager has left) is approved by the manager of the item's fulfilment group instead;
- ``service_owner``: the owner of the catalog item's service;
- ``group``: the members of a support group (``mode`` any: one of them, or a quorum; all:
  every member);
- ``user``: a named person.

A step whose ``condition`` does not hold for the answers (``cost`` ``gt`` 1000) is left out.
Nobody approves their own request: the person it is for and who ordered it are excluded
(approvals refuses a step nobody else could decide, naming ``approvers``). An item with no
step left is approved as it is ordered.
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from steward.fulfilment import form_schema
from steward.fulfilment.choices import ApproverSource, ItemStatus
from steward.fulfilment.models import RequestedItem
from steward.people.models import SupportGroup, User

SUBJECT_TYPE = "fulfilment.requesteditem"


def steps_for(item: RequestedItem) -> list:
    """The approval steps the item's flow asks, given its answers (``StepSpec``s)."""
    from steward.approvals.operations import StepSpec

    flow = [
        form_schema.CatalogApprovalStep.model_validate(s) for s in item.catalog_item.approval_flow
    ]
    specs = []
    for step in flow:
        if not form_schema.condition_holds(step.condition, item.answers):
            continue
        name = step.name or str(ApproverSource(step.approver).label)
        users: tuple = ()
        group = None
        if step.approver == ApproverSource.LINE_MANAGER:
            manager = item.requested_for.line_manager
            if manager is not None and manager.is_active:
                users = ((manager, "line_manager"),)
            else:
                fallback = item.owning_group.manager
                users = ((fallback, "user"),) if fallback is not None else ()
        elif step.approver == ApproverSource.SERVICE_OWNER:
            users = ((item.service.owner, "service_owner"),)
        elif step.approver == ApproverSource.GROUP:
            group = SupportGroup.objects.filter(pk=step.group).first()
        else:
            person = User.objects.filter(pk=step.user).first()
            users = ((person, "user"),) if person is not None else ()
        specs.append(
            StepSpec(
                name=name,
                mode=step.mode,
                quorum=step.quorum,
                users=users,
                group=group,
            )
        )
    return specs


def start(actor, item: RequestedItem) -> None:
    """Ask the item's approval round, or approve it at once when no step applies."""
    from steward.approvals.operations import request_approval
    from steward.fulfilment.operations.items import approve

    specs = steps_for(item)
    if not specs:
        approve(actor, item)
        return
    request_approval(actor, item, steps=specs)


# --- the ApprovalSubject (registered in apps.py) -------------------------------------------------


def instance(subject_id):
    return (
        RequestedItem.objects.select_related(
            "catalog_item", "request", "requested_for", "opened_by", "owning_group", "service"
        )
        .filter(pk=subject_id)
        .first()
    )


def label(item: RequestedItem) -> str:
    return f"{item.number} {item.catalog_item.name}"


def link(item: RequestedItem) -> str:
    return item.get_absolute_url()


def portal_link(item: RequestedItem, person) -> str:
    """The item's portal page, or for an approver who may not read it there (someone of
    another organisation, asked as a line manager or by name) the portal's approvals, where
    each step shows what the approver needs to decide."""
    try:
        if RequestedItem.objects.for_user(person, "view").filter(pk=item.pk).exists():
            return reverse("portal:item", args=[item.number])
        return reverse("portal:approvals")
    except NoReverseMatch:  # the portal is not installed
        return item.get_absolute_url()


def excluded(item: RequestedItem) -> set[int]:
    """Nobody approves their own request: the person it is for and who ordered it."""
    return {item.requested_for_id, item.opened_by_id}


def on_complete(actor, item: RequestedItem, outcome: str, request, comment: str) -> None:
    """The approvals decided the round: the item is approved (tasks generated) or rejected
    with the reason."""
    from steward.fulfilment.operations.items import approve, reject

    if item.status != ItemStatus.AWAITING_APPROVAL:
        return  # cancelled meanwhile: nothing to do
    if outcome == "approved":
        approve(actor, item)
    else:
        reject(actor, item, comment or _("Rejected"))
