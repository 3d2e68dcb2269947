"""Placing an order: a request (REQ) with one or more requested items (RITM), each with its
answers checked against the catalog item's form, then each item's approval round asked (or the
item approved at once when its flow asks nothing)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from steward.core import journal
from steward.core.errors import ValidationError
from steward.core.numbering import next_number
from steward.core.texts import Text
from steward.fulfilment import approval, form_schema, rules, sla
from steward.fulfilment.choices import FieldType, ItemStatus, RequestStatus
from steward.fulfilment.models import CatalogItem, Request, RequestAttachment, RequestedItem
from steward.fulfilment.operations.common import invalid, refuse
from steward.fulfilment.operations.items import store_upload
from steward.notifications.operations import notify
from steward.people.models import User
from steward.services.choices import CIStatus
from steward.services.models import ServiceCI

#: Items in one order, and of one item.
MAX_ITEMS = 20
MAX_QUANTITY = 100


class OrderLookups(form_schema.Lookups):
    """Answers that refer to rows, checked for the person ordering: people they may see, CIs of
    the item's service, files they uploaded and no order has taken yet."""

    def __init__(self, actor, catalog_item: CatalogItem):
        self.actor = actor
        self.catalog_item = catalog_item

    def user_ok(self, user_id: int) -> bool:
        rows = User.objects.filter(is_active=True)
        if self.actor is not None:
            rows = User.objects.for_user(self.actor, "view").filter(is_active=True)
        return rows.filter(pk=user_id).exists()

    def ci_ok(self, ci_id: int) -> bool:
        return (
            ServiceCI.objects.filter(service_id=self.catalog_item.service_id, ci_id=ci_id)
            .exclude(ci__status=CIStatus.RETIRED)
            .exists()
        )

    def attachment_ok(self, attachment_id: int) -> bool:
        rows = RequestAttachment.objects.filter(pk=attachment_id, item__isnull=True)
        if self.actor is not None:
            rows = rows.filter(uploaded_by=self.actor.pk)
        return rows.exists()


def clean_answers(actor, catalog_item: CatalogItem, answers, *, prefix: str = "") -> dict:
    """The answers to ``catalog_item``'s form, checked for ``actor`` (``ValidationError``
    naming ``<prefix>answers.<question>``)."""
    try:
        return form_schema.validate_answers(
            catalog_item.form, answers, OrderLookups(actor, catalog_item)
        )
    except ValidationError as exc:
        if prefix:
            exc.fields = {f"{prefix}{k}": v for k, v in exc.fields.items()}
        raise


def _attachment_ids(catalog_item: CatalogItem, answers: dict) -> list[int]:
    names = {f["name"] for f in catalog_item.form if f.get("type") == FieldType.ATTACHMENT}
    return [answers[n] for n in names if isinstance(answers.get(n), int)]


@transaction.atomic
def order(actor, *, requested_for: User | None = None, items, opened_by: User | None = None):
    """Order ``items`` (each ``{"catalog_item": CatalogItem, "answers": {...}, "quantity": 1,
    "files": {question: UploadedFile}}``) for ``requested_for`` (default: the actor).

    Refused: nothing to order (``items``); an item the person may not order
    (``catalog_item``), a quantity out of range (``quantity``), answers that do not satisfy the
    form (``answers.<question>``; with several items ``items[i].`` before it), ordering for
    someone the person may not order for (``requested_for``), an approval step nobody could
    decide (``approvers``). ``opened_by`` is for the system (recurring requests)."""
    requested_for = requested_for or actor
    if requested_for is None:
        raise invalid("requested_for", _("Say who the request is for."), "is required")
    if not requested_for.is_active:
        raise invalid(
            "requested_for",
            _("%(name)s is no longer active.") % {"name": requested_for.display_name},
            "inactive user",
        )
    if actor is not None and not rules.may_order_for(actor, requested_for):
        raise refuse(
            _("You may order for yourself and the colleagues of your organisation only."),
            "requested_for",
        )
    opened_by = actor if getattr(actor, "pk", None) else (opened_by or requested_for)
    items = list(items or [])
    if not items:
        raise invalid("items", _("Choose something to order."), "must not be empty")
    if len(items) > MAX_ITEMS:
        raise invalid("items", _("At most %(n)d items in one order.") % {"n": MAX_ITEMS})
    several = len(items) > 1
    checked = []
    for i, row in enumerate(items):
        prefix = f"items[{i}]." if several else ""
        catalog_item = row["catalog_item"]
        if not rules.may_order(actor if actor is not None else requested_for, catalog_item):
            raise invalid(
                f"{prefix}catalog_item",
                _("%(name)s cannot be ordered.") % {"name": catalog_item.name},
                "not orderable by you",
            )
        quantity = row.get("quantity", 1)
        if (
            isinstance(quantity, bool)
            or not isinstance(quantity, int)
            or not (1 <= quantity <= MAX_QUANTITY)
        ):
            raise invalid(
                f"{prefix}quantity",
                _("Order between 1 and %(n)d.") % {"n": MAX_QUANTITY},
                f"must be between 1 and {MAX_QUANTITY}",
            )
        answers = dict(row.get("answers") or {})
        for name, upload in (row.get("files") or {}).items():
            if upload is not None:
                answers[name] = store_upload(actor, upload, item=None, visibility="public").pk
        cleaned = clean_answers(actor, catalog_item, answers, prefix=prefix)
        checked.append((catalog_item, cleaned, quantity))
    request = Request(
        number="REQ",
        requested_for=requested_for,
        opened_by=opened_by,
        organization_id=requested_for.organization_id,
        status=RequestStatus.OPEN,
    )
    request.number = next_number("REQ")
    request.save()
    journal.record(
        actor,
        request,
        "created",
        {"number": [None, request.number], "requested_for": [None, requested_for]},
    )
    created = []
    for catalog_item, cleaned, quantity in checked:
        item = RequestedItem(
            number=next_number("RITM"),
            request=request,
            catalog_item=catalog_item,
            answers=cleaned,
            quantity=quantity,
            status=ItemStatus.AWAITING_APPROVAL,
            owning_group=catalog_item.fulfilment_group,
            service_id=catalog_item.service_id,
            organization_id=requested_for.organization_id,
            requested_for=requested_for,
            opened_by=opened_by,
        )
        item.save()
        ids = _attachment_ids(catalog_item, cleaned)
        if ids:
            RequestAttachment.objects.filter(pk__in=ids, item__isnull=True).update(item=item)
        journal.record(
            actor,
            item,
            "created",
            {
                "number": [None, item.number],
                "request": [None, request.number],
                "catalog_item": [None, catalog_item.name],
                "quantity": [None, quantity],
                "status": [None, item.status],
            },
        )
        sla.feed(item, new=True)
        created.append(item)
    for item in created:
        approval.start(actor, item)
    notify(
        actor,
        group=None,
        recipients=[requested_for] if requested_for.pk != getattr(actor, "pk", None) else [],
        subject=Text(
            gettext_noop("%(number)s was ordered for you: %(items)s"),
            number=request.number,
            items=", ".join(i.catalog_item.name for i in created)[:150],
        ),
        body=", ".join(f"{i.number} {i.catalog_item.name}" for i in created)[:500],
        link=created[0].get_absolute_url(),
        record=request,
    )
    return request
