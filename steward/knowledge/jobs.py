"""Background jobs of the knowledge app (Huey): the articles' semantic vectors.

When semantic matching is on (``STEWARD_KNOWLEDGE_SEMANTIC``), every article whose text
changed (a new ``ArticleVersion``) gets its vector computed by the worker after the
transaction commits (never on the
request path: a request only embeds the few words being typed). A periodic sweep catches up
what the worker missed (the setting switched on later, a worker that was down): articles
without a vector of the current model or with one older than their last edit. Both are
idempotent: the vector carries the hash of the text it was computed from, and an unchanged
text is not computed again."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, Q
from django.db.models.signals import post_save
from django.dispatch import receiver
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from steward.core import clock
from steward.core.practices import is_enabled
from steward.knowledge import semantic
from steward.knowledge.models import Article, ArticleEmbedding, ArticleVersion

#: articles embedded per sweep (about 10 ms each on one core)
SWEEP_BATCH = 500


def embed_articles(ids) -> int:
    """Compute and store the vectors of the articles ``ids`` whose text changed since their
    vector was computed; the number computed."""
    articles = list(Article.objects.filter(pk__in=list(ids)))
    known = {
        e.article_id: e
        for e in ArticleEmbedding.objects.filter(article__in=[a.pk for a in articles])
    }
    todo = []
    for article in articles:
        text = semantic.article_text(article)
        digest = semantic.text_hash(text)
        stored = known.get(article.pk)
        if stored is None or stored.text_hash != digest or stored.model != semantic.MODEL_NAME:
            todo.append((article, text, digest))
    if not todo:
        return 0
    vectors = semantic.encode([text for _, text, _ in todo])
    at = clock.now()
    for (article, _, digest), vector in zip(todo, vectors, strict=True):
        ArticleEmbedding.objects.update_or_create(
            article=article,
            defaults={
                "model": semantic.MODEL_NAME,
                "text_hash": digest,
                "vector": semantic.to_bytes(vector),
                "computed_at": at,
            },
        )
    return len(todo)


@db_task()
def embed_article(article_id: int) -> int:
    if not (semantic.enabled() and is_enabled("knowledge")):
        return 0
    return embed_articles([article_id])


@db_periodic_task(crontab(minute="*/10"))
def refresh_embeddings() -> int:
    """Vectors for the articles that have none of the current model, or an older one than
    their last edit (at most ``SWEEP_BATCH`` a run)."""
    if not (semantic.enabled() and is_enabled("knowledge")):
        return 0
    stale = Article.objects.filter(
        Q(embedding__isnull=True)
        | ~Q(embedding__model=semantic.MODEL_NAME)
        | Q(embedding__computed_at__lt=F("updated_at"))
    ).values_list("pk", flat=True)
    return embed_articles(stale[:SWEEP_BATCH])


@receiver(post_save, sender=ArticleVersion, dispatch_uid="knowledge.embed_on_version")
def _version_written(sender, instance, created=False, raw=False, **kwargs):
    """Every change of an article's text writes its next version (KCS: every edit is a
    version; the operations write the article itself with a conditional UPDATE, which sends no
    signal): queue the article's vector once that is committed (nothing when semantic matching
    is off). Fixtures (``raw``) are left to the sweep."""
    if raw or not created or not semantic.enabled():
        return
    pk = instance.article_id
    transaction.on_commit(lambda: embed_article(pk))
