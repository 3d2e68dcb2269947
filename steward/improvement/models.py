"""The continual improvement register: items, their actions, votes and comments.

An item names the KPI it aims to move (``kpi_key`` and ``kpi_filters``, checked against the
KPI catalogue like the KPI API checks them); its baseline is captured from the live KPI when
it is approved and then kept as stored figures, and the benefits review freezes the figures of
its own moment. Nothing recomputes a stored figure afterwards.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from steward.core.models import VersionedModel
from steward.core.permissions import RestrictedQuerySet
from steward.improvement.choices import Outcome, Status
from steward.people.models import User
from steward.services.models import Service


class ImprovementItem(VersionedModel):
    """An improvement: a problem statement, one accountable owner, the KPI it aims to move
    from a frozen baseline to a target by a due date, and the actions that get it there.

    Who sees it: IT staff every item; anyone else the items they proposed and those shared
    with everyone (``public``)."""

    number = models.CharField(max_length=16, unique=True)
    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(
        _("problem statement"), help_text="The problem statement: what is wrong, for whom."
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    proposer = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    service = models.ForeignKey(
        Service,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("service"),
    )
    public = models.BooleanField(
        _("shared with everyone"),
        default=False,
        help_text="Shown to everyone who signs in, requesters too.",
    )
    source = models.CharField(
        _("raised from"),
        max_length=40,
        blank=True,
        help_text="Where it came from: a major incident's number.",
    )
    # the KPI it aims to move, with the filters it is measured under
    kpi_key = models.CharField(_("KPI"), max_length=60, blank=True)
    kpi_filters = models.JSONField(_("KPI filters"), default=dict, blank=True)
    baseline_from = models.DateTimeField(_("baseline from"), null=True, blank=True)
    baseline_to = models.DateTimeField(_("baseline to"), null=True, blank=True)
    target = models.FloatField(_("target"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    # frozen at approval
    baseline_value = models.FloatField(_("baseline"), null=True, blank=True)
    baseline_count = models.PositiveIntegerField(null=True, blank=True)
    baseline_unit = models.CharField(max_length=10, blank=True)
    baseline_captured_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    # frozen at the benefits review
    review_value = models.FloatField(_("figure at the review"), null=True, blank=True)
    review_count = models.PositiveIntegerField(null=True, blank=True)
    review_from = models.DateTimeField(null=True, blank=True)
    review_to = models.DateTimeField(null=True, blank=True)
    # closing
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    due_notified_at = models.DateTimeField(null=True, blank=True)
    #: How many people support it (kept by the vote operations, for sorting).
    votes = models.PositiveIntegerField(default=0)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["status", "id"], name="impr_status"),
            models.Index(fields=["owner", "id"], name="impr_owner"),
            models.Index(fields=["service", "id"], name="impr_service"),
            models.Index(fields=["kpi_key", "id"], name="impr_kpi"),
            models.Index(fields=["due_date", "id"], name="impr_due"),
            models.Index(fields=["votes", "id"], name="impr_votes"),
            models.Index(fields=["updated_at", "id"], name="impr_updated"),
            models.Index(fields=["title", "id"], name="impr_title"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="") | Q(status=Status.CLOSED), name="impr_outcome_when_closed"
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.CLOSED) | ~Q(outcome=""), name="impr_closed_outcome"
            ),
        ]
        verbose_name = "improvement item"

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("improvement:detail", args=[self.number])

    @classmethod
    def permission_filter(cls, user, action):
        if user.is_it:
            return Q()
        if action == "view":
            return Q(proposer=user) | Q(public=True)
        return Q(proposer=user, status=Status.PROPOSED)

    @property
    def baseline_period(self):
        return self.baseline_from, self.baseline_to


class Action(models.Model):
    """A step of an improvement, with one owner and a date."""

    item = models.ForeignKey(ImprovementItem, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField(null=True, blank=True)
    done = models.BooleanField(default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class Vote(models.Model):
    """One person's support for an item (at most one each; withdrawing deletes it)."""

    item = models.ForeignKey(ImprovementItem, on_delete=models.CASCADE, related_name="+")
    voter = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "voter"], name="impr_one_vote")]

    def __str__(self) -> str:
        return f"{self.voter_id} → {self.item_id}"


class Comment(models.Model):
    """A comment on an item, readable by everyone who sees the item."""

    item = models.ForeignKey(ImprovementItem, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.item_id}"
