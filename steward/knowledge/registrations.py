"""What the knowledge app contributes elsewhere (declared in apps.py): the global search, the
start page's "My knowledge work", the ownership gaps and the journal's words."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from steward.core import clock
from steward.core.registry import SearchHit
from steward.knowledge import rules, search
from steward.knowledge.choices import Confidence, FlagStatus, LicenceLevel
from steward.knowledge.models import Article, Flag, Licence
from steward.ownership import gaps
from steward.ownership.models import Process

#: A flag open this long names the article's owner as a gap.
FLAG_DAYS = 14


def search_articles(user, text: str, limit: int) -> list[SearchHit]:
    """Articles in the global search, read through ``for_user``: a requester finds only the
    validated articles their audience allows; IT staff every article but the archived."""
    qs = Article.objects.for_user(user, "view")
    if user.is_it:
        qs = qs.live()
    rows = search.text_filter(qs, text).order_by("-updated_at", "-id")[:limit]
    hits = []
    for a in rows:
        summary = [str(a.get_confidence_display())]
        if user.is_it:
            summary.append(str(a.get_audience_display()))
        hits.append(
            SearchHit(
                "article",
                f"{a.number} {a.title}",
                reverse("knowledge:detail", args=[a.number]),
                " · ".join(summary),
            )
        )
    return hits


def my_knowledge_work(user, limit: int):
    """My articles with open flags first, then my drafts, and (for a coach) one row for the
    articles waiting for a review: ``(count, [(label, url, meta)])``, the count of those rows.
    Two statements (and the coach's queue count): the start page asks on every visit."""
    open_flag = Exists(Flag.objects.filter(article=OuterRef("pk"), status=FlagStatus.OPEN))
    drafts = Q(confidence__in=[Confidence.WIP, Confidence.NOT_VALIDATED])
    mine = (
        Article.objects.for_user(user, "view")
        .filter(Q(owner=user.pk) | Q(created_by=user.pk))
        .annotate(flagged=open_flag)
        .filter(Q(flagged=True) | drafts)
    )
    count = mine.count()
    rows = [
        (
            f"{a.number} {a.title}",
            a.get_absolute_url(),
            _("Flagged") if a.flagged else a.get_confidence_display(),
        )
        for a in mine.order_by("-flagged", "-updated_at", "-id")[:limit]
    ]
    if rules.is_coach(user):
        from steward.knowledge import lists

        waiting = lists.filtered(user, SimpleNamespace(queue="coach")).count()
        if waiting:
            count += 1  # one row: the queue
            rows.insert(
                0,
                (
                    ngettext("%(count)d article to coach", "%(count)d articles to coach", waiting)
                    % {"count": waiting},
                    reverse("knowledge:coach"),
                    _("Coach queue"),
                ),
            )
    return count, rows[:limit]


def _answers_for_knowledge(user) -> bool:
    """Whether the gaps the knowledge process owner (or, without one, the administrators)
    fixes are ``user``'s: read once per request."""
    cached = getattr(user, "_knowledge_gap_fixer", None)
    if cached is None:
        process = Process.objects.filter(key="knowledge").values("owner_id", "owner__is_active")
        row = process.first()
        has_owner = bool(row and row["owner_id"] and row["owner__is_active"])
        cached = (row["owner_id"] == user.pk) if has_owner else gaps.fixes_for_admins(user)
        user._knowledge_gap_fixer = cached
    return cached


def _for_knowledge_owner(collect_all):
    return lambda user: collect_all() if _answers_for_knowledge(user) else []


def _process_owner():
    """Who answers for knowledge when nobody else does: the process owner, else the
    administrators."""
    process = Process.objects.filter(key="knowledge").select_related("owner").first()
    if process and process.owner and process.owner.is_active:
        return gaps.person(process.owner)
    return gaps.ADMINS


def old_flags(owner=None) -> list[dict]:
    """Articles with a flag open for more than two weeks: their owner fixes or dismisses it
    (``owner``: only that person's articles)."""
    since = clock.now() - dt.timedelta(days=FLAG_DAYS)
    rows = Article.objects.all() if owner is None else Article.objects.filter(owner=owner.pk)
    rows = (
        rows.filter(flags__status=FlagStatus.OPEN, flags__created_at__lt=since)
        .select_related("owner")
        .distinct()
        .order_by("id")
    )
    fallback = None
    out = []
    for a in rows:
        if a.owner.is_active:
            fixer = gaps.person(a.owner)
        else:
            fallback = fallback or _process_owner()
            fixer = fallback
        out.append(
            gaps.gap(
                "article_flag_unanswered",
                "article",
                a,
                _("%(number)s has a flag open for more than %(days)d days")
                % {"number": a.number, "days": FLAG_DAYS},
                fixer,
                reverse("knowledge:detail", args=[a.number]),
            )
        )
    return out


def domains_without_coach() -> list[dict]:
    """Knowledge domains with Candidates but nobody who coaches them (a coach of the same
    domain or of every domain)."""
    licences = list(Licence.objects.select_related("service", "category"))
    if any(lic.coach and not lic.service_id and not lic.category_id for lic in licences):
        return []
    coached = {(lic.service_id, lic.category_id) for lic in licences if lic.coach}
    seen, out = set(), []
    fixer = None
    for lic in licences:
        if lic.level != LicenceLevel.CANDIDATE:
            continue
        key = (lic.service_id, lic.category_id)
        if key in coached or key in seen:
            continue
        seen.add(key)
        fixer = fixer or _process_owner()
        domain = lic.domain_label if key != (None, None) else _("every domain")
        out.append(
            gaps.gap(
                "knowledge_domain_without_coach",
                "licence",
                lic,
                _("Candidates in %(domain)s have no coach") % {"domain": domain},
                fixer,
                reverse("knowledge:licences"),
            )
        )
    return out


def inactive_owners() -> list[dict]:
    """Live articles whose owner has left: nobody receives their flags."""
    rows = Article.objects.live().filter(owner__is_active=False).select_related("owner")
    fixer = None
    out = []
    for a in rows.order_by("id"):
        fixer = fixer or _process_owner()
        out.append(
            gaps.gap(
                "article_owner_inactive",
                "article",
                a,
                _("the owner of %(number)s, %(owner)s, has an inactive account")
                % {"number": a.number, "owner": a.owner.display_name},
                fixer,
                reverse("knowledge:edit", args=[a.number]),
            )
        )
    return out


GAP_PROVIDERS = (
    gaps.GapProvider(
        "article_flag_unanswered",
        gettext_lazy("Articles with a flag open for more than 14 days"),
        old_flags,
        order=88,
        # an inactive owner's flags fall to the process owner
        collect_for=lambda user: old_flags() if _answers_for_knowledge(user) else old_flags(user),
    ),
    gaps.GapProvider(
        "knowledge_domain_without_coach",
        gettext_lazy("Knowledge domains with Candidates and no coach"),
        domains_without_coach,
        order=89,
        collect_for=_for_knowledge_owner(domains_without_coach),
    ),
    gaps.GapProvider(
        "article_owner_inactive",
        gettext_lazy("Articles whose owner has an inactive account"),
        inactive_owners,
        order=90,
        collect_for=_for_knowledge_owner(inactive_owners),
    ),
)


#: What people call the knowledge app's journal actions and fields (``journal.describe``; a
#: name another app already described keeps its words: they mean the same).
JOURNAL_WORDS = {
    # actions
    "created": gettext_lazy("Created"),
    "updated": gettext_lazy("Updated"),
    "confidence_changed": gettext_lazy("Confidence changed"),
    "audience_changed": gettext_lazy("Audience changed"),
    "flagged": gettext_lazy("Flagged"),
    "flag_resolved": gettext_lazy("Flag resolved"),
    "article_linked": gettext_lazy("Article linked"),
    "article_unlinked": gettext_lazy("Article unlinked"),
    "rated": gettext_lazy("Rated"),
    "reviewed": gettext_lazy("Reviewed by a coach"),
    "licence_granted": gettext_lazy("Knowledge licence granted"),
    "licence_changed": gettext_lazy("Knowledge licence changed"),
    "licence_revoked": gettext_lazy("Knowledge licence revoked"),
    # fields
    "issue": gettext_lazy("Issue"),
    "environment": gettext_lazy("Environment"),
    "resolution": gettext_lazy("Resolution"),
    "cause": gettext_lazy("Cause"),
    "keywords": gettext_lazy("Keywords"),
    "language": gettext_lazy("Language"),
    "ci_classes": gettext_lazy("CI classes"),
    "confidence": gettext_lazy("Confidence"),
    "audience": gettext_lazy("Audience"),
    "organizations": gettext_lazy("Organisations"),
    "reason": gettext_lazy("Reason"),
    "flag_status": gettext_lazy("Flag"),
    "kind": gettext_lazy("Kind"),
    "article": gettext_lazy("Article"),
    "helped": gettext_lazy("Helped"),
    "defects": gettext_lazy("Defects"),
    "recommendation": gettext_lazy("Recommendation"),
    "licence": gettext_lazy("Licence"),
    "level": gettext_lazy("Level"),
    "coach": gettext_lazy("Coach"),
    "revision": gettext_lazy("Version"),
}
