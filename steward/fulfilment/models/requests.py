"""Orders (REQ), the items ordered (RITM), their conversation and their files.

Who reads them: IT staff every one; a requester the requests they ordered or that are for them,
and their organisation's (like incidents). ``for_user(user, "view")`` is that rule; every list,
count, search, detail, comment, attachment and API read goes through it."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse

from steward.core.models import VersionedModel
from steward.core.permissions import NOTHING, RestrictedQuerySet
from steward.fulfilment.choices import (
    ACTIVE_ITEM_STATUSES,
    ItemStatus,
    RequestStatus,
    Visibility,
    status_category,
)
from steward.fulfilment.models.catalog import CatalogItem
from steward.people.models import Organization, SupportGroup, User
from steward.services.models import Service


def requester_scope(user, *, prefix: str = "") -> Q:
    """What a requester reads: their own (ordered or for them) and their organisation's."""
    own = Q(**{f"{prefix}requested_for_id": user.pk}) | Q(**{f"{prefix}opened_by_id": user.pk})
    if user.organization_id:
        own |= Q(**{f"{prefix}organization_id": user.organization_id})
    return own


class Request(VersionedModel):
    """One order (REQ): who ordered it, for whom, and its items. Its status follows its
    items: open while one is open, closed when all are ended (cancelled when all were
    cancelled)."""

    number = models.CharField(max_length=16, unique=True, editable=False)
    requested_for = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    opened_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The requested-for person's organisation when ordered (who may read it)",
    )
    status = models.CharField(
        max_length=16, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in RequestStatus]),
                name="fulfilment_request_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["requested_for", "-id"], name="ful_req_for"),
            models.Index(fields=["opened_by", "-id"], name="ful_req_opened_by"),
            models.Index(fields=["organization", "-id"], name="ful_req_org"),
            models.Index(fields=["status", "-id"], name="ful_req_status"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("requests:request", args=[self.number])

    @classmethod
    def permission_filter(cls, user, action):
        if action == "view":
            return Q() if user.is_it else requester_scope(user)
        return Q() if user.is_it else NOTHING


class RequestedItem(VersionedModel):
    """One item of an order (RITM): the catalog item, the answers to its form, and where its
    delivery stands (``choices.RequestedItemStatus``; the lifecycle is ``workflow.ITEM``).

    ``service``, ``organization`` and ``requested_for`` are copied from the catalog item and the
    order when it is made, so lists filter without joins and later edits of the catalog do not
    move old items. ``due_at`` is the delivery target (business hours from approval)."""

    number = models.CharField(max_length=16, unique=True, editable=False)
    request = models.ForeignKey(Request, on_delete=models.PROTECT, related_name="items")
    catalog_item = models.ForeignKey(CatalogItem, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(default=dict, blank=True)
    quantity = models.PositiveIntegerField(default=1)
    status = models.CharField(
        max_length=24, choices=ItemStatus.choices, default=ItemStatus.AWAITING_APPROVAL
    )
    owning_group = models.ForeignKey(SupportGroup, on_delete=models.PROTECT, related_name="+")
    assignee = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_for = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    opened_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    due_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    cancel_reason = models.TextField(blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    fulfilled_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    #: Business seconds from approval to fulfilment (on the service's calendar), and the
    #: delivery target in business seconds (``target_hours`` when approved): the KPIs read them.
    delivery_seconds = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    target_seconds = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    #: Work is still going on (awaiting approval, approved, in progress). Computed by the
    #: database from ``status`` so that the queues' indexes can lead with it; never written.
    active = models.GeneratedField(
        expression=models.Case(
            models.When(status__in=sorted(ACTIVE_ITEM_STATUSES), then=models.Value(True)),
            default=models.Value(False),
        ),
        output_field=models.BooleanField(),
        db_persist=True,
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in ItemStatus]),
                name="fulfilment_item_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="fulfilment_item_quantity_positive"
            ),
            models.CheckConstraint(
                condition=~Q(status=ItemStatus.REJECTED) | ~Q(rejection_reason=""),
                name="fulfilment_rejected_has_reason",
            ),
        ]
        indexes = [
            # the queues (lists.QUEUES) and the sorts (lists.SORTS), ties by id
            models.Index(fields=["owning_group", "active", "-id"], name="ful_ritm_group"),
            models.Index(fields=["assignee", "active", "-id"], name="ful_ritm_assignee"),
            models.Index(fields=["status", "-id"], name="ful_ritm_status"),
            models.Index(fields=["active", "due_at", "id"], name="ful_ritm_due"),
            models.Index(fields=["requested_for", "-id"], name="ful_ritm_for"),
            models.Index(fields=["organization", "-id"], name="ful_ritm_org"),
            models.Index(fields=["service", "-id"], name="ful_ritm_service"),
            models.Index(fields=["updated_at", "id"], name="ful_ritm_updated"),
            models.Index(fields=["status", "fulfilled_at"], name="ful_ritm_fulfilled"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def title(self) -> str:
        """What was ordered, in words (the catalog item's name)."""
        return self.catalog_item.name

    def get_absolute_url(self) -> str:
        return reverse("requests:detail", args=[self.number])

    @property
    def status_category(self) -> str:
        return status_category(self.status)

    @classmethod
    def permission_filter(cls, user, action):
        if action == "view":
            return Q() if user.is_it else requester_scope(user)
        return Q() if user.is_it else NOTHING


class RequestComment(models.Model):
    """A work note (internal) or a reply (the requester reads it) on a requested item."""

    item = models.ForeignKey(RequestedItem, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField()
    visibility = models.CharField(max_length=8, choices=Visibility.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["item", "id"], name="ful_comment_item")]
        constraints = [
            models.CheckConstraint(
                condition=Q(visibility__in=[v.value for v in Visibility]),
                name="fulfilment_comment_visibility",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_visibility_display()} on item {self.item_id}"

    @classmethod
    def permission_filter(cls, user, action):
        if action == "view":
            if user.is_it:
                return Q()
            return Q(visibility=Visibility.PUBLIC) & Q(
                item__in=RequestedItem.objects.filter(requester_scope(user)).values("pk")
            )
        return Q(author_id=user.pk) if user.is_it else NOTHING


class RequestAttachment(models.Model):
    """A file on a requested item, stored under a random name (``stored_name``) and served only
    after a permission check, as a download, with its content type sniffed at upload from an
    allow-list (the incidents' rules). ``item`` is empty for a file uploaded for an order
    form's attachment question before the order is placed: it is the uploader's until the
    order names it, then it belongs to the item."""

    item = models.ForeignKey(
        RequestedItem,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    uploaded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=200, help_text="The uploader's file name, cleaned")
    stored_name = models.CharField(max_length=200, unique=True, editable=False)
    content_type = models.CharField(max_length=80)
    size = models.PositiveBigIntegerField()
    visibility = models.CharField(
        max_length=8, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["item", "id"], name="ful_attachment_item"),
            models.Index(fields=["uploaded_by", "item"], name="ful_attachment_uploader"),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def permission_filter(cls, user, action):
        if action == "view":
            if user.is_it:
                return Q(item__isnull=False) | Q(uploaded_by_id=user.pk)
            return Q(uploaded_by_id=user.pk, item__isnull=True) | (
                Q(visibility=Visibility.PUBLIC)
                & Q(item__in=RequestedItem.objects.filter(requester_scope(user)).values("pk"))
            )
        return Q() if user.is_it else NOTHING
