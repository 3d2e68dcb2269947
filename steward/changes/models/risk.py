"""The risk questionnaire (admin-defined questions, answers with values, weights) and the
risk rules (conditions that set a minimum risk). A change's risk is the higher of the two."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from steward.changes.choices import Risk, RiskRuleKind
from steward.changes.models.changes import ChangeRequest
from steward.changes.models.common import StaffOnly
from steward.core.models import VersionedModel
from steward.core.permissions import RestrictedQuerySet


class RiskQuestion(StaffOnly, VersionedModel):
    """One question of the questionnaire; its chosen answer's value times ``weight`` adds to
    the change's score (thresholds in ``ChangeSettings`` map the sum to a risk)."""

    text = models.CharField(max_length=300)
    help = models.TextField(blank=True)
    weight = models.PositiveSmallIntegerField(default=1)
    order = models.PositiveSmallIntegerField(default=100)
    is_active = models.BooleanField(default=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text


class RiskAnswer(StaffOnly, models.Model):
    question = models.ForeignKey(RiskQuestion, on_delete=models.CASCADE, related_name="answers")
    text = models.CharField(max_length=200)
    value = models.PositiveSmallIntegerField(default=0)
    order = models.PositiveSmallIntegerField(default=100)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text


class ChangeRiskAnswer(StaffOnly, models.Model):
    """The answer a change gave to one question."""

    change = models.ForeignKey(ChangeRequest, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(RiskQuestion, on_delete=models.PROTECT, related_name="+")
    answer = models.ForeignKey(RiskAnswer, on_delete=models.PROTECT, related_name="+")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["change", "question"], name="changes_one_answer")
        ]

    def __str__(self) -> str:
        return f"{self.change_id}: {self.answer_id}"


class RiskRule(StaffOnly, VersionedModel):
    """A condition that sets a minimum risk when it holds: "affects a service of criticality 1"
    (``parameter`` = the criticality), "a CI without a successful change in 90 days"
    (``parameter`` = the days), "an outage is expected" (no parameter)."""

    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=32, choices=RiskRuleKind.choices)
    parameter = models.PositiveIntegerField(null=True, blank=True)
    minimum = models.CharField(max_length=16, choices=Risk.choices)
    is_active = models.BooleanField(default=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in RiskRuleKind]), name="changes_rule_kind"
            ),
            models.CheckConstraint(
                condition=Q(minimum__in=[r.value for r in Risk]), name="changes_rule_minimum"
            ),
        ]

    def __str__(self) -> str:
        return self.name
