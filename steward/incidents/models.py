"""Incidents, their comments and watchers, formal handovers between groups, and the data that
drives them (priority matrix, categories, routing and per-group handover settings)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from steward.core.models import VersionedModel
from steward.core.permissions import NOTHING, RestrictedQuerySet
from steward.incidents.choices import (
    ACTIVE_STATUSES,
    CADENCE_MAX,
    CADENCE_MIN,
    Channel,
    HandoverStatus,
    HoldReason,
    Level,
    Priority,
    ResolutionCode,
    Status,
    UpdateKind,
    Visibility,
    status_category,
)
from steward.people.models import Organization, SupportGroup, User
from steward.services.models import ConfigurationItem, Service


def _it_view(user) -> Q:
    """Incidents a user may read: IT sees all; a requester their organization's and their own."""
    if user.is_it:
        return Q()
    own = Q(caller_id=user.pk)
    return own | Q(organization_id=user.organization_id) if user.organization_id else own


class PriorityMatrix(models.Model):
    """One cell of the impact x urgency -> priority matrix. Admins edit it as data."""

    impact = models.PositiveSmallIntegerField(choices=Level.choices)
    urgency = models.PositiveSmallIntegerField(choices=Level.choices)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices)

    class Meta:
        verbose_name_plural = "priority matrix"
        ordering = ["impact", "urgency"]
        constraints = [
            models.UniqueConstraint(fields=["impact", "urgency"], name="incidents_matrix_cell"),
            models.CheckConstraint(
                condition=Q(impact__gte=1, impact__lte=3, urgency__gte=1, urgency__lte=3),
                name="incidents_matrix_levels",
            ),
            models.CheckConstraint(
                condition=Q(priority__gte=1, priority__lte=5), name="incidents_matrix_priority"
            ),
        ]

    def __str__(self) -> str:
        return f"impact {self.impact} × urgency {self.urgency} → P{self.priority}"


class IncidentCategory(models.Model):
    """An admin-managed category; a row with a parent is a subcategory of that parent."""

    name = models.CharField(max_length=80)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name_plural = "incident categories"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name"], condition=Q(parent=None), name="incidents_category_top_unique"
            ),
            models.UniqueConstraint(fields=["parent", "name"], name="incidents_subcategory_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.parent.name} / {self.name}" if self.parent_id else self.name


#: Incidents still being worked on. Written as ``IN (true)`` on purpose: Django compiles
#: ``active=True`` to a bare ``WHERE active``, which SQLite cannot use as an index key, while
#: ``active IN (1)`` is an equality on both databases and walks the queue indexes.
ACTIVE = Q(active__in=[True])


class IncidentQuerySet(RestrictedQuerySet):
    def active(self):
        """Incidents in an open or paused status (served by the queue indexes)."""
        return self.filter(ACTIVE)


def incident_url(number: str) -> str:
    """The incident's page (for links in notifications, search hits and clocks)."""
    return reverse("incidents:detail", args=[number])


class Incident(VersionedModel):
    """An unplanned interruption or degradation of a service, owned by exactly one group."""

    number = models.CharField(max_length=16, unique=True, editable=False)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    caller = models.ForeignKey(User, on_delete=models.PROTECT, related_name="incidents_called")
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The caller's organization when the incident was raised (who may read it).",
    )
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    affected_ci = models.ForeignKey(
        ConfigurationItem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The configuration item that fails; choosing one proposes its service",
    )
    category = models.ForeignKey(
        IncidentCategory, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subcategory = models.ForeignKey(
        IncidentCategory, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    impact = models.PositiveSmallIntegerField(choices=Level.choices)
    urgency = models.PositiveSmallIntegerField(choices=Level.choices)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices)
    priority_overridden = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW)
    hold_reason = models.CharField(max_length=24, choices=HoldReason.choices, blank=True)
    owning_group = models.ForeignKey(SupportGroup, on_delete=models.PROTECT, related_name="+")
    assignee = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolution_code = models.CharField(max_length=24, choices=ResolutionCode.choices, blank=True)
    resolution_notes = models.TextField(blank=True)
    reopen_count = models.PositiveIntegerField(default=0)
    #: The incident this one was linked under. Most have none: ``inc_children`` indexes only the
    #: linked ones, because SQLite's statistics count every empty one as the same value and
    #: planned a scan of the table for a parent's children on every resolve.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    #: When it was cancelled (the backlog KPIs read when an incident left the backlog from the
    #: row, not from the journal)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    #: Work is still going on (status open or paused). Computed by the database from ``status``
    #: so that the queues' indexes can lead with it; never written by code.
    active = models.GeneratedField(
        expression=models.Case(
            models.When(status__in=sorted(ACTIVE_STATUSES), then=models.Value(True)),
            default=models.Value(False),
        ),
        output_field=models.BooleanField(),
        db_persist=True,
    )

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in Status]), name="incidents_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(impact__gte=1, impact__lte=3, urgency__gte=1, urgency__lte=3),
                name="incidents_levels",
            ),
            models.CheckConstraint(
                condition=Q(priority__gte=1, priority__lte=5), name="incidents_priority"
            ),
            models.CheckConstraint(
                condition=~Q(status="on_hold") | ~Q(hold_reason=""),
                name="incidents_on_hold_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["resolved", "closed"])
                | (~Q(resolution_code="") & ~Q(resolution_notes="")),
                name="incidents_resolved_has_resolution",
            ),
        ]
        indexes = [
            # the queues: "My groups" page 1 in index order, and their counts from the index
            models.Index(fields=["owning_group", "active", "priority", "-id"], name="inc_queue"),
            models.Index(fields=["owning_group", "active", "assignee"], name="inc_unassigned"),
            models.Index(fields=["assignee", "active", "priority", "-id"], name="inc_my_work"),
            models.Index(fields=["owning_group", "status", "-id"], name="inc_group_status"),
            models.Index(fields=["status", "-id"], name="inc_status"),
            models.Index(
                fields=["parent", "status"],
                name="inc_children",
                condition=models.Q(parent__isnull=False),
            ),
            models.Index(fields=["priority", "-id"], name="inc_priority"),
            models.Index(fields=["service", "-id"], name="inc_service"),
            models.Index(fields=["caller", "-id"], name="inc_caller"),
            models.Index(fields=["organization", "-id"], name="inc_org"),
            models.Index(fields=["status", "resolved_at"], name="inc_resolved_at"),
            # sorting by "Updated": a page walks it (0.6 s -> 22 ms at a million incidents)
            models.Index(fields=["updated_at"], name="inc_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return incident_url(self.number)

    @property
    def status_category(self) -> str:
        return status_category(self.status)

    @classmethod
    def permission_filter(cls, user, action):
        if action == "view":
            return _it_view(user)
        return Q() if user.is_it else NOTHING


class Comment(models.Model):
    """A work note (internal) or a reply (visible to the caller) on an incident."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField()
    visibility = models.CharField(max_length=8, choices=Visibility.choices)
    time_spent = models.PositiveIntegerField(default=0, help_text="Minutes")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["incident", "id"], name="inc_comment_incident")]
        constraints = [
            models.CheckConstraint(
                condition=Q(visibility__in=[v.value for v in Visibility]),
                name="incidents_comment_visibility",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_visibility_display()} on incident {self.incident_id}"

    @classmethod
    def permission_filter(cls, user, action):
        if action == "view":
            if user.is_it:
                return Q()
            scope = _it_view(user)
            return Q(visibility=Visibility.PUBLIC) & Q(
                incident__in=Incident.objects.filter(scope).values("pk")
            )
        return Q(author_id=user.pk) if user.is_it else NOTHING


class Watcher(models.Model):
    """Someone who is told about every public change of an incident."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="watchers")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["incident", "user"], name="incidents_watcher_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} watches incident {self.incident_id}"


class Handover(models.Model):
    """A formal request to move an incident to another group. Ownership stays with the sending
    group until a member of the receiving group accepts; at most one is pending per incident."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="handovers")
    from_group = models.ForeignKey(SupportGroup, on_delete=models.PROTECT, related_name="+")
    to_group = models.ForeignKey(SupportGroup, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=200)
    note = models.TextField(blank=True, help_text="Context: what was already tried")
    status = models.CharField(
        max_length=12, choices=HandoverStatus.choices, default=HandoverStatus.PENDING
    )
    requested_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident"],
                condition=Q(status="pending"),
                name="incidents_one_pending_handover",
            ),
            models.CheckConstraint(
                condition=~Q(from_group=models.F("to_group")),
                name="incidents_handover_other_group",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in HandoverStatus]),
                name="incidents_handover_status",
            ),
        ]
        indexes = [
            models.Index(fields=["to_group", "status"], name="inc_handover_to"),
            models.Index(fields=["from_group", "status"], name="inc_handover_from"),
            models.Index(fields=["incident", "id"], name="inc_handover_incident"),
        ]

    def __str__(self) -> str:
        return f"Handover {self.pk}: {self.from_group} → {self.to_group} ({self.status})"

    @classmethod
    def permission_filter(cls, user, action):
        return Q() if user.is_it else NOTHING


class Attachment(models.Model):
    """A file on an incident. Stored under a random name; served only after a permission check,
    always as a download, with the content type sniffed at upload from an allow-list."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="attachments")
    uploaded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    file_name = models.CharField(max_length=200, help_text="The uploader's name, cleaned")
    stored_name = models.CharField(max_length=200, unique=True, editable=False)
    content_type = models.CharField(max_length=80)
    size = models.PositiveBigIntegerField()
    visibility = models.CharField(max_length=8, choices=Visibility.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["incident", "id"], name="inc_attachment_incident")]

    def __str__(self) -> str:
        return self.file_name

    @classmethod
    def permission_filter(cls, user, action):
        if action == "view":
            if user.is_it:
                return Q()
            return Q(visibility=Visibility.PUBLIC) & Q(
                incident__in=Incident.objects.filter(_it_view(user)).values("pk")
            )
        return Q() if user.is_it else NOTHING


class MajorIncident(models.Model):
    """An incident declared major: a major-incident manager, stakeholder updates, and a
    post-incident review before it may close."""

    incident = models.OneToOneField(Incident, on_delete=models.CASCADE, related_name="major")
    reason = models.TextField()
    manager = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    declared_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Major incident {self.incident_id}"

    @classmethod
    def permission_filter(cls, user, action):
        return Q() if user.is_it else NOTHING


class CommunicationPlan(VersionedModel):
    """Whom a major incident's updates reach and how often: the customers' contacts of the
    affected services (by e-mail: they have no account), named stakeholders and the service
    desk group, each audience with its channel, and the update cadence.

    ``next_update_due`` is kept by the operations (the last update, or the declaration, plus
    the cadence; none once the resolved update went out) so that the queue sorts and the
    overdue job finds late plans with an index. ``overdue_notified_for`` is the start of the
    overdue period the manager was last told about (one reminder per period)."""

    major = models.OneToOneField(MajorIncident, on_delete=models.CASCADE, related_name="plan")
    cadence_minutes = models.PositiveIntegerField(
        validators=[MinValueValidator(CADENCE_MIN), MaxValueValidator(CADENCE_MAX)]
    )
    customer_channel = models.CharField(
        max_length=8, choices=Channel.choices, default=Channel.EMAIL
    )
    stakeholders = models.ManyToManyField(User, blank=True, related_name="+")
    stakeholder_channel = models.CharField(
        max_length=8, choices=Channel.choices, default=Channel.BOTH
    )
    desk_group = models.ForeignKey(
        SupportGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    desk_channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.IN_APP)
    next_update_due = models.DateTimeField(null=True, blank=True)
    overdue_notified_for = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["next_update_due"], name="inc_plan_next_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(cadence_minutes__gte=CADENCE_MIN, cadence_minutes__lte=CADENCE_MAX),
                name="incidents_plan_cadence_range",
            ),
            models.CheckConstraint(
                condition=Q(customer_channel__in=[Channel.EMAIL, Channel.NONE]),
                name="incidents_plan_customers_by_email",
            ),
        ]

    def __str__(self) -> str:
        return f"Communication plan of {self.major}"


class StakeholderUpdate(models.Model):
    """One update to the stakeholders of a major incident, sent through the outbox."""

    major = models.ForeignKey(MajorIncident, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=8, choices=UpdateKind.choices, default=UpdateKind.PROGRESS)
    body = models.TextField()
    recipients = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Update {self.pk} on {self.major}"


class PostIncidentReview(models.Model):
    """The review of a major incident: its cause and follow-up actions (the timeline is drawn
    from the journal). A major incident cannot close without one."""

    major = models.OneToOneField(MajorIncident, on_delete=models.CASCADE, related_name="review")
    cause = models.TextField()
    recorded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Review of {self.major}"


class FollowUpAction(models.Model):
    """A follow-up action from a post-incident review, with exactly one owner."""

    review = models.ForeignKey(PostIncidentReview, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=500)
    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description


class SavedView(models.Model):
    """A user's named incident view: a queue and filters, kept as the page's query string."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=80)
    query = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="incidents_saved_view_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def permission_filter(cls, user, action):
        return Q(user_id=user.pk)


class QueueTally(models.Model):
    """How many active (open or on-hold) incidents one owning group holds for one assignee
    (``assignee_id`` 0: unassigned). The queue tabs and the start page add these up instead of
    counting incidents, so their counts stay exact and cost the same at any size of the estate.

    Kept by the database, like an index: triggers on ``incidents_incident`` (migration 0014)
    add and subtract as incidents are opened, moved, assigned and closed, whatever code writes
    them. Never written by code; read through ``incidents/tallies.py``.
    """

    group_id = models.BigIntegerField()
    assignee_id = models.BigIntegerField()
    active_count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group_id", "assignee_id"], name="incidents_tally_key")
        ]
        indexes = [models.Index(fields=["assignee_id"], name="inc_tally_assignee")]

    def __str__(self) -> str:
        return f"group {self.group_id}, assignee {self.assignee_id}: {self.active_count}"


class CannedReply(VersionedModel):
    """A saved reply an agent picks while writing a note or a reply: personal (``owner``) or
    shared by a support group (``group``; its manager and administrators keep it). Written only
    by ``operations.canned_replies``."""

    title = models.CharField(max_length=80)
    body = models.TextField()
    owner = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    group = models.ForeignKey(
        SupportGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        verbose_name_plural = "canned replies"
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=False, group__isnull=True)
                | Q(owner__isnull=True, group__isnull=False),
                name="incidents_canned_reply_one_holder",
            ),
            models.UniqueConstraint(
                fields=["owner", "title"],
                condition=Q(group=None),
                name="incidents_canned_reply_personal_title",
            ),
            models.UniqueConstraint(
                fields=["group", "title"],
                condition=Q(owner=None),
                name="incidents_canned_reply_group_title",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def permission_filter(cls, user, action):
        """IT staff read their own replies and their groups'; requesters none."""
        if not user.is_it:
            return NOTHING
        groups = SupportGroup.objects.filter(Q(members=user) | Q(manager=user)).values("pk")
        return Q(owner_id=user.pk) | Q(group__in=groups)
