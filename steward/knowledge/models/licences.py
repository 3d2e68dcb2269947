"""KCS licences per person and knowledge domain, and the coaches' reviews."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from steward.core.models import VersionedModel
from steward.core.permissions import NOTHING, RestrictedQuerySet
from steward.incidents.models import IncidentCategory
from steward.knowledge.choices import LicenceLevel, QualityCriterion, Recommendation
from steward.knowledge.models.articles import Article
from steward.people.models import User
from steward.services.models import Service


class Licence(VersionedModel):
    """What one person may do with the articles of one knowledge domain: a service, a
    category, or (neither) every domain. ``coach``: the person coaches Candidates in it.

    IT staff without a licence act as Candidates everywhere (everyone takes part); a licence
    raises that. The level that applies to an article is the highest of the person's licences
    whose domain is one of the article's services, its category, or every domain."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="knowledge_licences")
    level = models.CharField(max_length=16, choices=LicenceLevel.choices)
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    category = models.ForeignKey(
        IncidentCategory, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    coach = models.BooleanField(default=False)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["user", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(service__isnull=True) | Q(category__isnull=True),
                name="knowledge_licence_one_domain",
            ),
            models.CheckConstraint(
                condition=Q(level__in=[v.value for v in LicenceLevel]),
                name="knowledge_licence_level_valid",
            ),
            models.UniqueConstraint(
                fields=["user", "service"],
                condition=Q(service__isnull=False),
                name="knowledge_licence_user_service",
            ),
            models.UniqueConstraint(
                fields=["user", "category"],
                condition=Q(category__isnull=False),
                name="knowledge_licence_user_category",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(service__isnull=True, category__isnull=True),
                name="knowledge_licence_user_everywhere",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.level}"

    @property
    def domain_label(self) -> str:
        if self.service_id:
            return str(self.service)
        if self.category_id:
            return str(self.category)
        return "*"

    @classmethod
    def permission_filter(cls, user, action):
        if action == "view":
            return Q() if user.is_it else NOTHING
        return Q() if user.is_admin else NOTHING


class CoachReview(models.Model):
    """A coach's checklist review of one version of a Candidate's article: the criteria it
    failed (``defects``, keys of ``QualityCriterion``), a comment, and a recommendation for
    the author's licence. The Article Quality Index is computed from these rows."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="reviews")
    revision = models.PositiveIntegerField()
    coach = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", help_text="The Candidate reviewed"
    )
    defects = models.JSONField(default=list, blank=True)
    comment = models.TextField(blank=True)
    recommendation = models.CharField(
        max_length=16, choices=Recommendation.choices, default=Recommendation.KEEP
    )
    created_at = models.DateTimeField()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["created_at"], name="kb_review_created")]

    def __str__(self) -> str:
        return f"review of article {self.article_id} v{self.revision}"

    @classmethod
    def permission_filter(cls, user, action):
        return Q() if action == "view" and user.is_it else NOTHING

    @staticmethod
    def criteria() -> list[str]:
        return [c.value for c in QualityCriterion]
