"""What the improvement register contributes to other apps (declared in apps.py): the
ownership gap of a committed item nobody answers for, search hits, a start-page panel and the
"Raise an improvement" panel on a major incident's page."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy

from steward.core.registry import SearchHit
from steward.improvement import rules
from steward.improvement.choices import COMMITTED_STATUSES, OPEN_STATUSES
from steward.improvement.models import ImprovementItem
from steward.ownership import gaps
from steward.ownership.models import Process

PROCESS_KEY = "continual_improvement"

#: What the journal's actions and fields of an item are called (``journal.describe``).
JOURNAL_WORDS = {
    "proposed": gettext_lazy("Proposed"),
    "approved": gettext_lazy("Approved"),
    "started": gettext_lazy("Work started"),
    "benefits_review_started": gettext_lazy("Benefits review started"),
    "resumed": gettext_lazy("Back to work"),
    "voted": gettext_lazy("Voted"),
    "vote_withdrawn": gettext_lazy("Vote withdrawn"),
    "commented": gettext_lazy("Commented"),
    "action_added": gettext_lazy("Action added"),
    "action_updated": gettext_lazy("Action updated"),
    "due_date_reached": gettext_lazy("Due date reached"),
    "due_notified_at": gettext_lazy("Owner told"),
}


def _fixer() -> dict:
    process = Process.objects.filter(key=PROCESS_KEY).select_related("owner").first()
    if process is not None and process.owner is not None and process.owner.is_active:
        return gaps.person(process.owner)
    return gaps.ADMINS


def items_without_owner() -> list[dict]:
    """Approved (committed) items without an active owner: nobody answers for them."""
    rows = (
        ImprovementItem.objects.filter(status__in=COMMITTED_STATUSES)
        .filter(Q(owner__isnull=True) | Q(owner__is_active=False))
        .order_by("id")
    )
    rows = list(rows)
    if not rows:
        return []
    fixer = _fixer()
    return [
        gaps.gap(
            "improvement_without_owner",
            "improvement",
            item,
            "the improvement is approved but nobody (active) owns it",
            fixer,
            item.get_absolute_url(),
        )
        for item in rows
    ]


GAP_PROVIDERS = (
    gaps.GapProvider(
        "improvement_without_owner", "Improvements without an owner", items_without_owner, 90
    ),
)


def search_items(user, text: str, limit: int) -> list[SearchHit]:
    rows = (
        ImprovementItem.objects.for_user(user, "view")
        .filter(Q(title__icontains=text) | Q(problem__icontains=text) | Q(number__iexact=text))
        .order_by("-id")[:limit]
    )
    return [
        SearchHit(
            "improvement", f"{i.number} {i.title}", i.get_absolute_url(), i.get_status_display()
        )
        for i in rows
    ]


def my_items(user, limit: int):
    """Open items the person owns."""
    qs = ImprovementItem.objects.for_user(user, "view").filter(owner=user, status__in=OPEN_STATUSES)
    rows = [
        (f"{i.number} {i.title}", i.get_absolute_url(), i.get_status_display())
        for i in qs.order_by("due_date", "id")[:limit]
    ]
    return qs.count(), rows


def raise_link(**params) -> str:
    return f"{reverse('improvement:new')}?{urlencode({k: v for k, v in params.items() if v})}"


def incident_panel(incident, user) -> dict | None:
    """On a major incident's page (IT staff): each review action with a link that raises an
    improvement from it, and the items already raised from the incident."""
    if not rules.is_staff(user) or not rules.may_propose(user):
        return None
    major = getattr(incident, "major", None) if hasattr(incident, "major") else None
    if major is None:
        return None
    review = getattr(major, "review", None) if hasattr(major, "review") else None
    actions = []
    if review is not None:
        actions = [
            {
                "description": a.description,
                "owner": a.owner,
                "url": raise_link(source=incident.number, title=a.description[:200]),
            }
            for a in review.actions.select_related("owner")
        ]
    raised = list(
        ImprovementItem.objects.for_user(user, "view").filter(source=incident.number).order_by("id")
    )
    return {
        "incident": incident,
        "actions": actions,
        "raised": raised,
        "url": raise_link(source=incident.number, title=incident.title[:200]),
    }
