"""What the problems app contributes elsewhere (declared in apps.py): the global search, the
start page, the known-error panel on the incident page and the ownership gaps."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steward.core.registry import SearchHit
from steward.incidents.choices import ACTIVE_STATUSES as INCIDENT_ACTIVE
from steward.incidents.choices import Visibility
from steward.ownership import gaps
from steward.problems import queries, rules, search
from steward.problems.models import Problem

#: How an agent adds a workaround to an incident.
VISIBILITIES = [
    (Visibility.INTERNAL, gettext_lazy("A work note (internal)")),
    (Visibility.PUBLIC, gettext_lazy("A reply to the caller")),
]


def search_problems(user, text: str, limit: int) -> list[SearchHit]:
    """Problems and known errors in the global search: IT staff only."""
    if not rules.may_view(user):
        return []
    rows = search.text_filter(Problem.objects.for_user(user, "view"), text)
    hits = []
    for p in rows.order_by("-known_error", "-id")[:limit]:
        summary = [str(p.get_status_display()), f"P{p.priority}"]
        if p.known_error:
            summary.insert(0, _("Known error"))
        hits.append(
            SearchHit(
                "problem",
                f"{p.number} {p.title}",
                reverse("problems:detail", args=[p.number]),
                " · ".join(summary),
            )
        )
    return hits


def my_problems(user, limit: int):
    qs = Problem.objects.for_user(user, "view").active().filter(owner=user)
    rows = [
        (
            f"{p.number} {p.title}",
            reverse("problems:detail", args=[p.number]),
            str(p.get_status_display()),
        )
        for p in qs.order_by("priority", "-id")[:limit]
    ]
    return qs.count(), rows


def known_error_panel(incident, user) -> dict | None:
    """The matching known errors on an open incident (same service, CI or category)."""
    if not rules.may_view(user) or incident.status not in INCIDENT_ACTIVE:
        return None
    found = queries.known_errors_for_incident(user, incident)
    if not found:
        return None
    return {
        "incident": incident,
        "known_errors": found,
        "visibilities": VISIBILITIES,
    }


def problems_without_owner() -> list[dict]:
    """Ownership gaps: open problems nobody is accountable for (the owning group's manager
    names an owner)."""
    out = []
    rows = (
        Problem.objects.active()
        .filter(owner__isnull=True)
        .select_related("owning_group__manager")
        .order_by("id")
    )
    for p in rows:
        manager = p.owning_group.manager
        fixer = (
            gaps.person(manager)
            if manager and manager.is_active
            else gaps.group_fixer(p.owning_group)
        )
        out.append(
            gaps.gap(
                "problem_without_owner",
                "problem",
                p,
                f"{p.number} has no problem owner: nobody is accountable for finding its cause",
                fixer,
                reverse("problems:detail", args=[p.number]),
            )
        )
    return out


GAP_PROVIDERS = (
    gaps.GapProvider(
        "problem_without_owner",
        "Problems without a problem owner",
        problems_without_owner,
        order=85,
    ),
)


#: What people call the problems app's journal actions and fields (``journal.describe``; a
#: name another app already described keeps its words: they mean the same).
JOURNAL_WORDS = {
    # actions
    "status_changed": gettext_lazy("Status changed"),
    "known_error_published": gettext_lazy("Published as a known error"),
    "known_error_retired": gettext_lazy("Known error retired"),
    "rca_recorded": gettext_lazy("Root cause analysis recorded"),
    "incidents_linked": gettext_lazy("Incidents linked"),
    "problem_linked": gettext_lazy("Linked to a problem"),
    "workaround_applied": gettext_lazy("Workaround applied"),
    "incidents_resolved": gettext_lazy("Linked incidents resolved"),
    # fields
    "statement": gettext_lazy("Problem statement"),
    "owner": gettext_lazy("Problem owner"),
    "services": gettext_lazy("Services"),
    "cis": gettext_lazy("Configuration items"),
    "known_error": gettext_lazy("Known error"),
    "workaround": gettext_lazy("Workaround"),
    "fix_description": gettext_lazy("What fixed it"),
    "no_fix_reason": gettext_lazy("No fix needed because"),
    "cancel_reason": gettext_lazy("Cancel reason"),
    "method": gettext_lazy("Method"),
    "whys": gettext_lazy("The chain"),
    "causes": gettext_lazy("Causes by category"),
    "root_cause": gettext_lazy("Root cause"),
    "contributing_factors": gettext_lazy("Contributing factors"),
    "evidence": gettext_lazy("Evidence"),
    "incidents": gettext_lazy("Incidents"),
    "problem": gettext_lazy("Problem"),
    "incident": gettext_lazy("Incident"),
    "visibility": gettext_lazy("Visibility"),
}
