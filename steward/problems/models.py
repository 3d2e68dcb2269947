"""Problems (the causes of incidents), their root cause analysis, the incidents linked to them
and the uses of their workaround. IT staff read and work them; requesters see none of it."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse

from steward.core.models import VersionedModel
from steward.core.permissions import NOTHING, RestrictedQuerySet
from steward.incidents.choices import Level, Priority, Visibility
from steward.incidents.models import Incident, IncidentCategory
from steward.people.models import SupportGroup, User
from steward.problems.choices import (
    ACTIVE_STATUSES,
    LinkVia,
    RcaMethod,
    Status,
    status_category,
)
from steward.services.models import ConfigurationItem, Service


def _staff_only(user) -> Q:
    return Q() if user.is_it else NOTHING


def problem_url(number: str) -> str:
    return reverse("problems:detail", args=[number])


class ProblemQuerySet(RestrictedQuerySet):
    def active(self):
        return self.filter(status__in=sorted(ACTIVE_STATUSES))


class Problem(VersionedModel):
    """The unknown (or known) cause of one or more incidents, with one accountable owner."""

    number = models.CharField(max_length=16, unique=True, editable=False)
    title = models.CharField(max_length=200)
    statement = models.TextField(blank=True, help_text="The problem statement: what fails, where")
    services = models.ManyToManyField(Service, blank=True, related_name="+")
    cis = models.ManyToManyField(ConfigurationItem, blank=True, related_name="+")
    category = models.ForeignKey(
        IncidentCategory, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The problem owner: accountable; a problem without one is an ownership gap",
    )
    owning_group = models.ForeignKey(SupportGroup, on_delete=models.PROTECT, related_name="+")
    impact = models.PositiveSmallIntegerField(choices=Level.choices)
    urgency = models.PositiveSmallIntegerField(choices=Level.choices)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices)
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.NEW)
    known_error = models.BooleanField(default=False)
    workaround = models.TextField(blank=True)
    fix_description = models.TextField(blank=True)
    fix_change = models.ForeignKey(
        "changes.ChangeRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The change that fixed it (closed successful), while the changes practice is on",
    )
    no_fix_reason = models.TextField(blank=True)
    cancel_reason = models.CharField(max_length=200, blank=True)
    known_error_at = models.DateTimeField(null=True, blank=True)
    root_cause_at = models.DateTimeField(
        null=True, blank=True, help_text="When the root cause was first recorded"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = ProblemQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in Status]), name="problems_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(impact__gte=1, impact__lte=3, urgency__gte=1, urgency__lte=3),
                name="problems_levels",
            ),
            models.CheckConstraint(
                condition=Q(priority__gte=1, priority__lte=5), name="problems_priority"
            ),
            models.CheckConstraint(
                condition=Q(known_error=False) | ~Q(workaround=""),
                name="problems_known_error_has_workaround",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["resolved", "closed"])
                | ~Q(fix_description="")
                | ~Q(no_fix_reason=""),
                name="problems_resolved_has_fix_or_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""),
                name="problems_cancelled_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-id"], name="prb_status"),
            models.Index(fields=["owner", "status", "-id"], name="prb_owner"),
            models.Index(fields=["owning_group", "status", "-id"], name="prb_group"),
            models.Index(fields=["known_error", "status"], name="prb_known_error"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return problem_url(self.number)

    @property
    def status_category(self) -> str:
        return status_category(self.status)

    @classmethod
    def permission_filter(cls, user, action):
        return _staff_only(user)


class RootCauseAnalysis(models.Model):
    """The structured analysis of one problem: the method, the chain of whys or the causes by
    category, the root cause, contributing factors and evidence links. Replaced whole by
    ``operations.record_rca`` (each version is in the problem's journal)."""

    problem = models.OneToOneField(Problem, on_delete=models.CASCADE, related_name="rca")
    method = models.CharField(max_length=16, choices=RcaMethod.choices)
    #: The chain of whys (5 whys) or the causal chain (timeline), in order.
    whys = models.JSONField(default=list, blank=True)
    #: Fishbone: ``{category: [cause, ...]}`` with categories of ``CauseCategory``.
    causes = models.JSONField(default=dict, blank=True)
    root_cause = models.TextField(blank=True)
    contributing_factors = models.JSONField(default=list, blank=True)
    evidence = models.JSONField(default=list, blank=True, help_text="Links (URLs) to evidence")
    recorded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = "root cause analysis"
        verbose_name_plural = "root cause analyses"
        constraints = [
            models.CheckConstraint(
                condition=Q(method__in=[m.value for m in RcaMethod]), name="problems_rca_method"
            )
        ]

    def __str__(self) -> str:
        return f"RCA of problem {self.problem_id}"

    @classmethod
    def permission_filter(cls, user, action):
        return _staff_only(user)


class ProblemIncident(models.Model):
    """An incident linked to a problem (many incidents to one problem)."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="links")
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="+")
    via = models.CharField(max_length=16, choices=LinkVia.choices, default=LinkVia.LINKED)
    linked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["problem", "incident"], name="problems_link_unique")
        ]
        indexes = [models.Index(fields=["incident"], name="prb_link_incident")]

    def __str__(self) -> str:
        return f"incident {self.incident_id} → problem {self.problem_id}"

    @classmethod
    def permission_filter(cls, user, action):
        return _staff_only(user)


class WorkaroundUse(models.Model):
    """An agent applied a known error's workaround to an incident."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="workaround_uses")
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="+")
    visibility = models.CharField(max_length=8, choices=Visibility.choices)
    used_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    used_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["problem", "id"], name="prb_use_problem")]

    def __str__(self) -> str:
        return f"workaround of problem {self.problem_id} on incident {self.incident_id}"

    @classmethod
    def permission_filter(cls, user, action):
        return _staff_only(user)
