"""Suggestions while someone types an incident (agents) or searches the portal (requesters):
the top matching articles, similar open and recent incidents, and known errors.

Unlike the list's search (every word must match), a suggestion accepts **any** word of the
text (an OR of the words, each also as a prefix, common words left out) and ranks: PostgreSQL
``ts_rank_cd`` over the weighted search document (title and keywords A, issue B, resolution
C, environment and cause D), SQLite FTS5 ``bm25`` with the same weights per column. The
ranked ids are read in batches and narrowed by ``Article.objects.for_user(user).live()``, so
nobody is offered an article they may not read (a requester: Validated, public or for their
organisation), and a batch of hidden articles does not starve the answer.

With semantic matching on (``knowledge.semantic``), the typed text's vector is compared with
the stored article vectors and both rankings are fused (reciprocal rank fusion: the scores of
the two are not comparable, their ranks are)."""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from dataclasses import dataclass

from django.db import connection
from django.db.models import Max
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

from steward.core import clock
from steward.knowledge import semantic
from steward.knowledge.choices import LIVE_CONFIDENCES
from steward.knowledge.models import Article, ArticleEmbedding

WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 12
#: words too common to tell articles apart (English, Dutch, German): an OR of them would
#: match nearly every article
STOP_WORDS = frozenset(
    """a an and are as at be been but by can cannot could do does did doesn don for from get
    gets got has have having he her his how i if in into is it its me my no not of on or our
    please so than that the their them then there these they this to too up us was we were
    what when where which while who why will with won would you your hi hello thanks thank
    de het een en van in is op te dat die niet met voor zijn er aan ook als bij maar om dan
    nog wel geen kan mijn ik je we wij hij zij ze me mij heb hebben wordt worden naar uit
    der die das ein eine einen und ist nicht mit von zu den dem des im auf für sich es ich
    mein meine kein keine bei wie nach oder aber auch wird werden kann habe hat sind""".split()  # noqa: SIM905 - a word list reads better
)
#: how many ranked ids the first round reads before narrowing them to the visible ones
BATCH = 50
#: a search never reads more ranked ids than this (a requester whose readable articles
#: match nothing gets an empty answer quickly)
MAX_SCANNED = 5000
#: a service the incident is about lifts its articles' text score by this factor
SERVICE_BOOST = 1.5
#: reciprocal rank fusion's constant (the usual 60)
RRF_K = 60
RECENT = dt.timedelta(days=30)
SNIPPET_CHARS = 180


@dataclass(frozen=True)
class Suggestion:
    """One suggested article: ``score`` orders them (higher first); ``snippet`` is safe HTML,
    a short passage with the matching words in ``<mark>``; ``via`` says which matching found
    it (``text``, ``semantic`` or ``both``)."""

    article: Article
    score: float
    snippet: SafeString
    via: str = "text"


def query_terms(text: str) -> list[str]:
    """The words of ``text`` that tell articles apart (lower case, no stop words, no single
    letters, each once, at most ``MAX_TERMS``)."""
    seen: list[str] = []
    for word in WORD.findall((text or "").lower()):
        if len(word) < 2 or word in STOP_WORDS or (word.isdigit() and len(word) < 3):
            continue
        if word not in seen:
            seen.append(word)
    return seen[:MAX_TERMS]


def _pg_query(terms: list[str]) -> str:
    # a word of three letters or more also as a prefix (typing is unfinished); \w+ only
    return " | ".join(f"({t} | {t}:*)" if len(t) > 2 else t for t in terms)


def _fts_query(terms: list[str]) -> str:
    return " OR ".join(
        '"' + t.replace('"', '""') + '"' + ("*" if len(t) > 2 else "") for t in terms
    )


def ranked_article_ids(terms: list[str], *, limit: int, offset: int = 0) -> list[tuple[int, float]]:
    """The raw full-text query: ``(article id, score)`` of live articles matching any of
    ``terms``, best first (no audience yet: callers narrow with ``for_user``)."""
    if not terms:
        return []
    live = sorted(LIVE_CONFIDENCES)
    marks = ", ".join(["%s"] * len(live))
    if connection.vendor == "postgresql":
        sql = (
            "SELECT id, ts_rank_cd(search_document, q) AS r "  # noqa: S608 - placeholders only
            "FROM knowledge_article, to_tsquery('simple'::regconfig, %s) q "
            f"WHERE search_document @@ q AND confidence IN ({marks}) "
            "ORDER BY r DESC, id DESC LIMIT %s OFFSET %s"
        )
        params = [_pg_query(terms), *live, limit, offset]
    elif connection.vendor == "sqlite":
        sql = (
            "SELECT knowledge_search_fts.rowid, "  # noqa: S608 - placeholders only
            "-bm25(knowledge_search_fts, 10.0, 10.0, 4.0, 2.0, 1.0) AS r FROM knowledge_search_fts "
            "JOIN knowledge_article a ON a.id = knowledge_search_fts.rowid "
            f"WHERE knowledge_search_fts MATCH %s AND a.confidence IN ({marks}) "
            "ORDER BY r DESC, a.id DESC LIMIT %s OFFSET %s"
        )
        params = [_fts_query(terms), *live, limit, offset]
    else:  # pragma: no cover - only PostgreSQL and SQLite are supported
        raise NotImplementedError(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(row[0], float(row[1])) for row in cursor.fetchall()]


def _visible_ranked(visible, fetch, want: int) -> list[tuple[int, float]]:
    """Read ranked ``(id, score)`` (``fetch(limit, offset)``) and keep the ids ``visible``
    holds, until ``want`` are found. Two rounds at most: the first few (enough for IT staff,
    who read every live article), then up to ``MAX_SCANNED`` at once: each round ranks every
    match again, so one large round costs less than several growing ones (a requester reads
    a tenth of the articles or less)."""
    found: list[tuple[int, float]] = []
    first = max(BATCH, want)
    for offset, limit in ((0, first), (first, MAX_SCANNED - first)):
        rows = fetch(limit, offset)
        if not rows:
            break
        allowed = set(
            visible.filter(pk__in=[r[0] for r in rows]).order_by().values_list("pk", flat=True)
        )
        found.extend(r for r in rows if r[0] in allowed)
        if len(found) >= want or len(rows) < limit:
            break
    return found[:want]


# --- semantic ------------------------------------------------------------------------------

_vectors_lock = threading.Lock()
_vectors: dict = {"ids": None, "matrix": None, "row": {}, "top": 0, "checked": 0.0, "since": None}
#: how often (seconds) a process looks for vectors recomputed in place (an edited article's);
#: new vectors (a new article's) are seen at once
RECHECK = 300


def _read_vectors(rows) -> tuple[list[int], list[int], list]:
    pks, ids, vectors = [], [], []
    for pk, article_id, vector in rows.values_list("pk", "article_id", "vector").iterator(2000):
        pks.append(pk)
        ids.append(article_id)
        vectors.append(semantic.from_bytes(vector))
    return pks, ids, vectors


def _stored_vectors():
    """(article ids, matrix) of every stored vector of the current model, read once per
    process. Each call asks only for the highest vector id (an index lookup) and reads the new
    rows; every ``RECHECK`` seconds it also reads the rows recomputed since (a scan of the
    table: at 100,000 articles it costs about a second on SQLite, so not on every request)."""
    import numpy as np

    rows = ArticleEmbedding.objects.filter(model=semantic.MODEL_NAME).order_by("pk")
    with _vectors_lock:
        v = _vectors
        top = ArticleEmbedding.objects.aggregate(top=Max("pk"))["top"] or 0
        moment = time.monotonic()
        if v["ids"] is None or top < v["top"]:  # first use, or the table was emptied
            v.update(ids=np.zeros(0, np.int64), row={}, top=0, checked=moment)
            v["matrix"] = np.zeros((0, semantic.DIMENSIONS), np.float32)
            v["since"] = rows.aggregate(at=Max("computed_at"))["at"]
        changed = []
        if top > v["top"]:
            changed.append(rows.filter(pk__gt=v["top"]))
        if moment - v["checked"] > RECHECK and v["since"] is not None:
            changed.append(rows.filter(pk__lte=v["top"], computed_at__gt=v["since"]))
            v["checked"] = moment
        for part in changed:
            pks, ids, vectors = _read_vectors(part)
            fresh_ids, fresh = [], []
            for article_id, vector in zip(ids, vectors, strict=True):
                if article_id in v["row"]:
                    v["matrix"][v["row"][article_id]] = vector
                else:
                    v["row"][article_id] = len(v["row"])
                    fresh_ids.append(article_id)
                    fresh.append(vector)
            if fresh:
                v["ids"] = np.concatenate([v["ids"], np.asarray(fresh_ids, np.int64)])
                v["matrix"] = np.vstack([v["matrix"], np.vstack(fresh)])
            if pks:
                v["top"] = max(v["top"], max(pks))
        if changed and v["since"] is None:
            v["since"] = rows.aggregate(at=Max("computed_at"))["at"]
        return v["ids"], v["matrix"]


def semantic_ranked(visible, text: str, want: int) -> list[tuple[int, float]]:
    """``(article id, cosine)`` of the visible live articles nearest to ``text``."""
    import numpy as np

    ids, matrix = _stored_vectors()
    if not len(ids) or not (text or "").strip():
        return []
    similarity = matrix @ semantic.encode([text])[0]
    if len(similarity) > MAX_SCANNED:  # the nearest MAX_SCANNED, not a sort of every article
        nearest = np.argpartition(-similarity, MAX_SCANNED)[:MAX_SCANNED]
        order = nearest[np.argsort(-similarity[nearest])]
    else:
        order = np.argsort(-similarity)

    def fetch(limit, offset):
        chosen = order[offset : offset + limit]
        return [(int(ids[i]), float(similarity[i])) for i in chosen]

    return _visible_ranked(visible.live(), fetch, want)


# --- articles ------------------------------------------------------------------------------


def _service_articles(ids, service_id) -> set[int]:
    if not service_id or not ids:
        return set()
    through = Article.services.through.objects
    return set(
        through.filter(article_id__in=ids, service_id=service_id).values_list(
            "article_id", flat=True
        )
    )


def suggest_articles(user, text: str, *, service_id=None, limit: int = 5) -> list[Suggestion]:
    """The ``limit`` live articles ``user`` may read that best match ``text`` (any of its
    words; with semantic matching on, also the nearest in meaning), best first."""
    terms = query_terms(text)
    visible = Article.objects.for_user(user, "view").live()
    want = max(limit, 1) * 4
    by_text = _visible_ranked(
        visible, lambda n, skip: ranked_article_ids(terms, limit=n, offset=skip), want
    )
    boosted = _service_articles([i for i, _ in by_text], service_id)
    by_text = sorted(
        ((i, s * (SERVICE_BOOST if i in boosted else 1.0)) for i, s in by_text),
        key=lambda pair: -pair[1],
    )
    via = {i: "text" for i, _ in by_text}
    if semantic.enabled():
        by_meaning = semantic_ranked(visible, text, want)
        fused: dict[int, float] = {}
        for ranking, name in ((by_text, "text"), (by_meaning, "semantic")):
            for rank, (pk, _score) in enumerate(ranking):
                fused[pk] = fused.get(pk, 0.0) + 1.0 / (RRF_K + rank + 1)
                via[pk] = "both" if via.get(pk, name) != name else name
        ranked = sorted(fused.items(), key=lambda pair: -pair[1])
    else:
        ranked = by_text
    ranked = ranked[:limit]
    articles = Article.objects.in_bulk([pk for pk, _ in ranked])
    return [
        Suggestion(articles[pk], score, snippet(articles[pk], terms), via[pk])
        for pk, score in ranked
        if pk in articles
    ]


def snippet(article: Article, terms: list[str]) -> SafeString:
    """A short passage of the article's issue or resolution around the first matching word,
    escaped, the matching words in ``<mark>`` (the fields may hold sanitised HTML: its tags
    are dropped here)."""
    pattern = (
        re.compile(r"\b(" + "|".join(re.escape(t) + r"\w*" for t in terms) + ")", re.I | re.U)
        if terms
        else None
    )
    text = ""
    for field in (article.issue, article.resolution, article.cause, article.environment):
        plain = " ".join(strip_tags(field or "").split())
        if not plain:
            continue
        if not text:
            text = plain
        if pattern is not None and (match := pattern.search(plain)):
            start = max(0, match.start() - SNIPPET_CHARS // 3)
            text = ("…" if start else "") + plain[start:]
            break
    if len(text) > SNIPPET_CHARS:
        text = text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + "…"
    if pattern is None:
        return mark_safe(escape(text))  # every part escaped
    parts = pattern.split(text)
    html = "".join(
        f"<mark>{escape(part)}</mark>" if i % 2 else escape(part) for i, part in enumerate(parts)
    )
    return mark_safe(html)  # every part escaped


# --- incidents and known errors ------------------------------------------------------------


def ranked_incident_ids(
    terms: list[str], *, since: dt.datetime, public_only: bool, limit: int, offset: int = 0
) -> list[tuple[int, float]]:
    """``(incident id, score)`` of incidents still open, or opened since ``since``, whose
    search document (incidents migration 0012) holds any of ``terms``, best first."""
    if not terms:
        return []
    since_value = connection.ops.adapt_datetimefield_value(since)
    if connection.vendor == "postgresql":
        column = "search_public" if public_only else "search_document"
        sql = (
            f"SELECT id, ts_rank_cd({column}, q) AS r "  # noqa: S608 - a fixed column name
            "FROM incidents_incident, to_tsquery('simple'::regconfig, %s) q "
            f"WHERE {column} @@ q AND (active OR created_at >= %s) "
            "ORDER BY r DESC, id DESC LIMIT %s OFFSET %s"
        )
        params = [_pg_query(terms), since_value, limit, offset]
    elif connection.vendor == "sqlite":
        column = "public_document" if public_only else "document"
        sql = (
            "SELECT i.id, -bm25(incidents_search_fts) AS r FROM incidents_search_fts "
            "JOIN incidents_incident i ON i.id = incidents_search_fts.rowid "
            "WHERE incidents_search_fts MATCH %s AND (i.active OR i.created_at >= %s) "
            "ORDER BY r DESC, i.id DESC LIMIT %s OFFSET %s"
        )
        params = [f"{column} : ({_fts_query(terms)})", since_value, limit, offset]
    else:  # pragma: no cover
        raise NotImplementedError(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(row[0], float(row[1])) for row in cursor.fetchall()]


def similar_incidents(user, text: str, *, exclude=None, limit: int = 5, at=None) -> list:
    """Open incidents, and those opened in the last 30 days, that share words with ``text``
    (possible duplicates, or a pattern for problem management), best match first, among the
    incidents ``user`` may see. ``exclude``: an incident (or its id) to leave out."""
    from steward.incidents import queries as incident_queries

    terms = query_terms(text)
    if not terms:
        return []
    since = (at or clock.now()) - RECENT
    visible = incident_queries.incidents_for(user)
    if exclude is not None:
        visible = visible.exclude(pk=getattr(exclude, "pk", exclude))
    public_only = not user.is_it
    ranked = _visible_ranked(
        visible,
        lambda n, skip: ranked_incident_ids(
            terms, since=since, public_only=public_only, limit=n, offset=skip
        ),
        limit,
    )
    rows = visible.in_bulk([pk for pk, _ in ranked])
    return [rows[pk] for pk, _ in ranked if pk in rows]


def matching_known_errors(user, text: str, service_id=None, ci_id=None, *, limit: int = 3) -> list:
    """Published known errors ``user`` may see whose service or CI is the incident's, then
    those sharing a word with ``text``: their workaround is a suggestion too (the problems
    practice's own matching, ``problems.queries.known_errors``)."""
    from django.db.models import Q

    from steward.problems import queries as problem_queries
    from steward.problems import search as problem_search

    found: list = []
    if service_id or ci_id:
        found = list(problem_queries.known_errors(user, service=service_id, ci=ci_id)[:limit])
    terms = query_terms(text)
    if len(found) < limit and terms:
        every = problem_queries.known_errors(user)
        match = Q()
        for term in terms[:6]:
            match |= Q(pk__in=problem_search.text_filter(every, term).values("pk"))
        more = every.filter(match).exclude(pk__in=[p.pk for p in found])
        found += list(more[: limit - len(found)])
    return found
