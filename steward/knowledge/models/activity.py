"""What people do with articles: flags, links to incidents, ratings and the portal's
searches and views (for deflection)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from steward.core.permissions import NOTHING, RestrictedQuerySet
from steward.incidents.models import Incident
from steward.knowledge.choices import FlagReason, FlagStatus, LinkKind, PortalEventKind
from steward.knowledge.models.articles import Article
from steward.people.models import User


class Flag(models.Model):
    """A reader says an article is wrong, outdated, unclear or a duplicate; it goes to the
    article owner's queue until fixed or dismissed (journaled on the article)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="flags")
    reason = models.CharField(max_length=16, choices=FlagReason.choices)
    comment = models.TextField(blank=True)
    raised_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    resolved_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(blank=True, help_text="What was done about it")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["status", "article"], name="kb_flag_status"),
            models.Index(fields=["created_at"], name="kb_flag_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=FlagStatus.OPEN) | Q(resolved_at__isnull=False),
                name="knowledge_flag_resolved_has_time",
            )
        ]

    def __str__(self) -> str:
        return f"flag {self.reason} on article {self.article_id}"

    @classmethod
    def permission_filter(cls, user, action):
        if action != "view":
            return NOTHING
        if user.is_it:
            return Q()
        # requesters see the flags they raised themselves
        return Q(raised_by=user.pk)


class IncidentArticle(models.Model):
    """An article linked to an incident: ``kind`` is reuse when the article existed before the
    incident was opened, create when it was written from it (worked out by the server)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="incident_links")
    kind = models.CharField(max_length=8, choices=LinkKind.choices)
    linked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "article"], name="kb_link_unique"),
        ]
        indexes = [
            models.Index(fields=["article", "linked_at"], name="kb_link_article"),
            models.Index(fields=["linked_at"], name="kb_link_at"),
        ]

    def __str__(self) -> str:
        return f"article {self.article_id} on incident {self.incident_id}"

    @classmethod
    def permission_filter(cls, user, action):
        if action != "view":
            return NOTHING
        if user.is_it:
            return Q()
        # a requester sees a link when they read both the incident and the article
        return Q(
            incident__in=Incident.objects.for_user(user, "view").values("pk"),
            article__in=Article.objects.for_user(user, "view").values("pk"),
        )


class ArticleRating(models.Model):
    """A reader's verdict on an article: it helped, or it did not (one per person and
    article; rating again replaces it)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="ratings")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    helped = models.BooleanField()
    comment = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["article", "user"], name="kb_rating_unique")]

    def __str__(self) -> str:
        return f"rating of article {self.article_id}"

    @classmethod
    def permission_filter(cls, user, action):
        if action != "view":
            return NOTHING
        return Q() if user.is_it else Q(user=user.pk)


class PortalEvent(models.Model):
    """A requester searched the knowledge or viewed an article in the portal. Not journaled
    (like a page view): the measures read these rows to find the searches and views that no
    incident of the same person followed within 24 hours (self-service success, deflection).
    Written only by ``knowledge.operations.record_portal_event``."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=PortalEventKind.choices)
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    query = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["at"], name="kb_portal_at"),
            models.Index(fields=["user", "at"], name="kb_portal_user"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} by {self.user_id}"

    @classmethod
    def permission_filter(cls, user, action):
        return Q() if action == "view" and user.is_it else NOTHING


class ArticleEmbedding(models.Model):
    """The semantic vector of an article's current text, computed by the worker when semantic
    matching is switched on (never on the request path). ``text_hash`` says which text it was
    computed from; a stale one is recomputed. Derived data: written by the job only."""

    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="embedding")
    model = models.CharField(max_length=80)
    text_hash = models.CharField(max_length=64)
    vector = models.BinaryField(help_text="float32 little-endian, unit length")
    computed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"embedding of article {self.article_id}"
