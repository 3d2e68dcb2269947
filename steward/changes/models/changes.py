"""Change requests, the incidents they caused, their post-implementation review, and the
practice's settings."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from steward.changes.choices import (
    ACTIVE_STATUSES,
    ChangeImpact,
    ChangeType,
    Outcome,
    Risk,
    Status,
)
from steward.changes.models.common import StaffOnly
from steward.changes.models.templates import ChangeTemplate
from steward.core.models import VersionedModel
from steward.core.permissions import RestrictedQuerySet
from steward.incidents.models import Incident
from steward.people.models import SupportGroup, User
from steward.services.models import ConfigurationItem, Service


class ChangeQuerySet(RestrictedQuerySet):
    def active(self):
        return self.filter(status__in=sorted(ACTIVE_STATUSES))


class ChangeRequest(StaffOnly, VersionedModel):
    """A change to the live estate, with one accountable change owner.

    The planned window is half-open, ``[planned_start, planned_end)``, in UTC (shown in the
    viewer's time zone): a change ending at 02:00 and another starting at 02:00 do not meet.
    ``risk`` is derived (the higher of the questionnaire and the rules; ``risk_reasons`` says
    which answer or rule set it); a standard change takes its template's. ``approval_round``
    is the round of the shared approvals (``steward.approvals``) now asked: a rejection sends
    the change back to Assess, and an authority that moved in Authorize asks afresh, each in a
    new round; the approvals of an earlier round no longer count."""

    number = models.CharField(max_length=16, unique=True, editable=False)
    type = models.CharField(max_length=16, choices=ChangeType.choices, default=ChangeType.NORMAL)
    template = models.ForeignKey(
        ChangeTemplate, null=True, blank=True, on_delete=models.PROTECT, related_name="changes"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    reason = models.TextField(blank=True, help_text="Why the change is needed")
    requester = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The change owner: accountable; a change without one is an ownership gap",
    )
    owning_group = models.ForeignKey(SupportGroup, on_delete=models.PROTECT, related_name="+")
    implementer = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    services = models.ManyToManyField(Service, blank=True, related_name="+")
    cis = models.ManyToManyField(ConfigurationItem, blank=True, related_name="+")
    planned_start = models.DateTimeField(null=True, blank=True)
    planned_end = models.DateTimeField(null=True, blank=True)
    implementation_plan = models.TextField(blank=True)
    backout_plan = models.TextField(blank=True)
    test_plan = models.TextField(blank=True)
    communication_plan = models.TextField(blank=True)
    risk = models.CharField(max_length=16, choices=Risk.choices, default=Risk.LOW)
    risk_reasons = models.JSONField(
        default=list, blank=True, help_text="What set the risk: [{source, label, risk}]"
    )
    impact = models.CharField(
        max_length=16, choices=ChangeImpact.choices, default=ChangeImpact.MEDIUM
    )
    outage_expected = models.BooleanField(default=False)
    outage_minutes = models.PositiveIntegerField(null=True, blank=True)
    tasks = models.JSONField(
        default=list,
        blank=True,
        help_text="A standard change's steps, in order, copied from its template when raised",
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW)
    approval_round = models.PositiveIntegerField(default=1)
    rejection_reasons = models.TextField(blank=True, help_text="The last round's rejections")
    outcome = models.CharField(max_length=24, choices=Outcome.choices, blank=True)
    outcome_notes = models.TextField(blank=True)
    cancel_reason = models.CharField(max_length=200, blank=True)
    conflicts_override_reason = models.TextField(blank=True)
    conflicts_overridden_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    conflicts_overridden_at = models.DateTimeField(null=True, blank=True)
    #: the conflicts the override covered (``Conflict.key`` of each): a new one blocks again
    conflicts_overridden = models.JSONField(default=list, blank=True)
    authorized_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True, help_text="Implementation began")
    finished_at = models.DateTimeField(null=True, blank=True, help_text="Implementation ended")
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = ChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in Status]), name="changes_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(type__in=[t.value for t in ChangeType]), name="changes_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(risk__in=[r.value for r in Risk]), name="changes_risk_valid"
            ),
            models.CheckConstraint(
                condition=Q(planned_start__isnull=True)
                | Q(planned_end__isnull=True)
                | Q(planned_end__gt=F("planned_start")),
                name="changes_window_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(type="standard") | Q(template__isnull=False),
                name="changes_standard_has_template",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""),
                name="changes_cancelled_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(outcome=""),
                name="changes_closed_has_outcome",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-id"], name="chg_status"),
            models.Index(fields=["owner", "status", "-id"], name="chg_owner"),
            models.Index(fields=["owning_group", "status", "-id"], name="chg_group"),
            models.Index(fields=["planned_start", "planned_end"], name="chg_window"),
            # covering: the implementer's overlap test reads only the index (benchmarks)
            models.Index(
                fields=["implementer", "planned_start", "planned_end", "status"],
                name="chg_implementer",
            ),
            models.Index(fields=["template", "-id"], name="chg_template"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("changes:detail", args=[self.number])


class ChangeIncident(StaffOnly, models.Model):
    """An incident caused by a change (linked by whoever found the cause)."""

    change = models.ForeignKey(ChangeRequest, on_delete=models.CASCADE, related_name="caused")
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="+")
    linked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["change", "incident"], name="changes_caused_unique")
        ]

    def __str__(self) -> str:
        return f"{self.change_id} caused {self.incident_id}"


class ChangeReview(StaffOnly, models.Model):
    """The post-implementation review of a failed, emergency or high-risk change: what
    happened, its cause and the follow-up actions, each with an owner."""

    change = models.OneToOneField(ChangeRequest, on_delete=models.CASCADE, related_name="review")
    what_happened = models.TextField()
    cause = models.TextField(blank=True)
    follow_ups = models.JSONField(
        default=list, blank=True, help_text='[{"action": text, "owner": user id, "due": date}]'
    )
    recorded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Review of {self.change_id}"


class ChangeSettings(VersionedModel):
    """The practice's settings (one row, made by the data migration): the questionnaire's
    thresholds and the standard templates' success watch."""

    moderate_from = models.PositiveIntegerField(
        default=10, help_text="A questionnaire score from this is at least moderate risk"
    )
    high_from = models.PositiveIntegerField(
        default=20, help_text="A questionnaire score from this is high risk"
    )
    template_success_threshold = models.PositiveSmallIntegerField(
        default=90, help_text="A template below this success rate (%) is flagged"
    )
    template_success_window = models.PositiveSmallIntegerField(
        default=20, help_text="Over its last this many closed changes"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(high_from__gt=F("moderate_from")), name="changes_thresholds_ordered"
            ),
            models.CheckConstraint(
                condition=Q(template_success_threshold__lte=100), name="changes_threshold_pct"
            ),
        ]

    def __str__(self) -> str:
        return "Change settings"
