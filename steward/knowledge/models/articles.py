"""Knowledge articles (KCS structure) and their versions.

Who reads an article is its state: IT staff read every article; a requester reads an article
that is Validated, whose audience is public, or customers with the requester's
organisation among the article's organisations. ``for_user(user, "view")`` is that rule; every
list, search, suggestion, link, count and metric reads through it."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from steward.core.models import VersionedModel
from steward.core.permissions import NOTHING, RestrictedQuerySet
from steward.incidents.models import IncidentCategory
from steward.knowledge.choices import (
    EXTERNAL_AUDIENCES,
    LIVE_CONFIDENCES,
    Audience,
    Confidence,
)
from steward.people.models import Organization, User
from steward.problems.models import Problem
from steward.services.models import CIClass, Service

language_code = RegexValidator(r"^[a-z]{2,3}$", "a language code such as en or nl")


def requester_filter(user) -> Q:
    """The articles a requester reads: Validated, and public or for the requester's
    organisation."""
    readable = Q(confidence=Confidence.VALIDATED)
    audience = Q(audience=Audience.PUBLIC)
    if user.organization_id:
        audience |= Q(audience=Audience.CUSTOMERS, organizations=user.organization_id)
    return readable & audience


class ArticleQuerySet(RestrictedQuerySet):
    def live(self):
        """Articles offered while people work: not archived."""
        return self.filter(confidence__in=sorted(LIVE_CONFIDENCES))

    def for_user(self, user, action: str = "view"):
        qs = super().for_user(user, action)
        # a requester's audience filter joins the organisations: one row per article
        if user is not None and user.is_authenticated and not user.is_it:
            return qs.distinct()
        return qs


class Article(VersionedModel):
    """One KCS article: the issue in the customer's words, the environment, the resolution and
    the cause, with keywords and the services, CI classes and category it is about (its
    knowledge domains: a licence is for a service or a category).

    ``revision`` is the number of the current version (``ArticleVersion``); every edit of the
    content writes the next one. ``owner`` receives the flags; ``created_from`` is the
    incident it was captured from, ``problem`` the problem whose resolution it holds.
    ``validated_at`` and ``published_at`` are the first time it was Validated and the first
    time it became external (time to publish)."""

    number = models.CharField(max_length=16, unique=True, editable=False)
    title = models.CharField(max_length=200)
    issue = models.TextField(help_text="The issue in the customer's words")
    environment = models.TextField(blank=True)
    resolution = models.TextField(blank=True)
    cause = models.TextField(blank=True)
    keywords = models.CharField(max_length=300, blank=True, help_text="Space- or comma-separated")
    language = models.CharField(max_length=8, default="en", validators=[language_code])
    confidence = models.CharField(max_length=16, choices=Confidence.choices, default=Confidence.WIP)
    audience = models.CharField(max_length=16, choices=Audience.choices, default=Audience.INTERNAL)
    organizations = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="+",
        help_text="The customers who read it when the audience is 'customers'",
    )
    services = models.ManyToManyField(Service, blank=True, related_name="+")
    ci_classes = models.ManyToManyField(CIClass, blank=True, related_name="+")
    category = models.ForeignKey(
        IncidentCategory, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_from = models.ForeignKey(
        "incidents.Incident",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The incident the article was captured from",
    )
    problem = models.ForeignKey(
        Problem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The problem whose resolution or workaround the article holds",
    )
    revision = models.PositiveIntegerField(default=1)
    validated_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(confidence__in=[c.value for c in Confidence]),
                name="knowledge_article_confidence_valid",
            ),
            models.CheckConstraint(
                condition=Q(audience__in=[a.value for a in Audience]),
                name="knowledge_article_audience_valid",
            ),
            models.CheckConstraint(
                condition=~Q(audience__in=sorted(EXTERNAL_AUDIENCES))
                | Q(confidence__in=[Confidence.VALIDATED, Confidence.ARCHIVED]),
                name="knowledge_external_is_validated",
            ),
        ]
        indexes = [
            models.Index(fields=["confidence", "audience"], name="kb_state"),
            models.Index(fields=["owner", "confidence"], name="kb_owner"),
            models.Index(fields=["created_at"], name="kb_created"),
            # the list's sorts (lists.SORTS): each backed by an index, ties by id
            models.Index(fields=["updated_at", "id"], name="kb_updated"),
            models.Index(fields=["title", "id"], name="kb_title"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("knowledge:detail", args=[self.number])

    @property
    def is_external(self) -> bool:
        return self.audience in EXTERNAL_AUDIENCES

    @classmethod
    def permission_filter(cls, user, action):
        if user.is_it:
            return Q()
        if action == "view":
            return requester_filter(user)
        return NOTHING


class ArticleVersion(models.Model):
    """One version of an article's content, written by every edit (never changed): any two
    can be compared. ``revision`` counts from 1; the article's ``revision`` is the latest."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    revision = models.PositiveIntegerField()
    author = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    title = models.CharField(max_length=200)
    issue = models.TextField()
    environment = models.TextField(blank=True)
    resolution = models.TextField(blank=True)
    cause = models.TextField(blank=True)
    keywords = models.CharField(max_length=300, blank=True)
    confidence = models.CharField(max_length=16, choices=Confidence.choices)
    audience = models.CharField(max_length=16, choices=Audience.choices)
    summary = models.CharField(max_length=200, blank=True, help_text="What this edit changed")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["article", "revision"]
        constraints = [
            models.UniqueConstraint(fields=["article", "revision"], name="kb_version_unique")
        ]

    def __str__(self) -> str:
        return f"article {self.article_id} v{self.revision}"

    @classmethod
    def permission_filter(cls, user, action):
        if action != "view":
            return NOTHING
        if user.is_it:
            return Q()
        # a requester sees no version history: the article's current text only
        return NOTHING
