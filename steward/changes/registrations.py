"""What the changes app contributes elsewhere (declared in apps.py): the global search, the
start page and the ownership gaps."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steward.changes import search
from steward.changes.models import ChangeBoard, ChangeRequest
from steward.core.registry import SearchHit
from steward.ownership import gaps
from steward.people.choices import Role


def _staff(user) -> bool:
    return user.is_authenticated and user.is_it


def search_changes(user, text: str, limit: int) -> list[SearchHit]:
    """Changes in the global search: IT staff only."""
    if not _staff(user):
        return []
    rows = search.text_filter(ChangeRequest.objects.for_user(user, "view"), text)
    return [
        SearchHit(
            "change",
            f"{c.number} {c.title}",
            c.get_absolute_url(),
            " · ".join(
                [str(c.get_type_display()), str(c.get_status_display()), str(c.get_risk_display())]
            ),
        )
        for c in rows.order_by("-id")[:limit]
    ]


def my_changes(user, limit: int):
    """The open changes the user owns or implements, the next planned first."""
    qs = (
        ChangeRequest.objects.for_user(user, "view")
        .active()
        .filter(Q(owner=user) | Q(implementer=user))
    )
    rows = [
        (
            f"{c.number} {c.title}",
            c.get_absolute_url(),
            str(c.get_status_display()),
        )
        for c in qs.order_by("planned_start", "-id")[:limit]
    ]
    return qs.count(), rows


def changes_without_owner() -> list[dict]:
    """Ownership gaps: open changes nobody is accountable for (the owning group's manager
    names a change owner)."""
    out = []
    rows = (
        ChangeRequest.objects.active()
        .filter(owner__isnull=True)
        .select_related("owning_group__manager")
        .order_by("id")
    )
    for c in rows:
        manager = c.owning_group.manager
        fixer = (
            gaps.person(manager)
            if manager and manager.is_active
            else gaps.group_fixer(c.owning_group)
        )
        out.append(
            gaps.gap(
                "change_without_owner",
                "change",
                c,
                _("%(number)s has no change owner: nobody is accountable for it")
                % {"number": c.number},
                fixer,
                c.get_absolute_url(),
            )
        )
    return out


def boards_short_of_quorum() -> list[dict]:
    """Ownership gaps: a change board with fewer active members than its quorum (or without
    a change manager when one is required) can authorize nothing; the administrators fix it."""
    out = []
    boards = (
        ChangeBoard.objects.select_related("group")
        .annotate(
            active=Count("group__members", filter=Q(group__members__is_active=True), distinct=True),
            managers=Count(
                "group__members",
                filter=Q(
                    group__members__is_active=True,
                    group__members__role_rows__role=Role.CHANGE_MANAGER.value,
                ),
                distinct=True,
            ),
        )
        .order_by("id")
    )
    for board in boards:
        if board.active < board.quorum:
            problem = _(
                "%(board)s has %(members)d active members and needs %(quorum)d to decide"
            ) % {"board": board.group.name, "members": board.active, "quorum": board.quorum}
        elif board.change_manager_required and not board.managers:
            problem = _("%(board)s needs a change manager among its members to decide") % {
                "board": board.group.name
            }
        else:
            continue
        out.append(
            gaps.gap(
                "change_board_short",
                "change_board",
                board,
                problem,
                gaps.ADMINS,
                reverse("people:group_detail", args=[board.group_id]),
            )
        )
    return out


GAP_PROVIDERS = (
    gaps.GapProvider(
        "change_without_owner",
        gettext_lazy("Changes without a change owner"),
        changes_without_owner,
        order=86,
    ),
    gaps.GapProvider(
        "change_board_short",
        gettext_lazy("Change boards that cannot reach their quorum"),
        boards_short_of_quorum,
        order=87,
        collect_for=gaps.for_admins(boards_short_of_quorum),
    ),
)


#: What people call the changes app's journal actions and fields (``journal.describe``; a name
#: another app already described keeps its words: they mean the same).
JOURNAL_WORDS = {
    # actions
    "approval_decided": gettext_lazy("Approval decided"),
    "reauthorized": gettext_lazy("Authorization asked afresh"),
    "authority_set": gettext_lazy("Change authority set"),
    "authorized": gettext_lazy("Authorized"),
    "conflicts_overridden": gettext_lazy("Conflicts overridden"),
    "rejected": gettext_lazy("Rejected"),
    "review_recorded": gettext_lazy("Post-implementation review recorded"),
    "risk_answered": gettext_lazy("Risk questionnaire answered"),
    "risk_reassessed": gettext_lazy("Risk reassessed"),
    "incident_unlinked": gettext_lazy("Incident unlinked"),
    "window_created": gettext_lazy("Window created"),
    "window_updated": gettext_lazy("Window updated"),
    "window_deleted": gettext_lazy("Window deleted"),
    # fields
    "reason": gettext_lazy("Reason"),
    "implementer": gettext_lazy("Implementer"),
    "planned_start": gettext_lazy("Planned start"),
    "planned_end": gettext_lazy("Planned end"),
    "implementation_plan": gettext_lazy("Implementation plan"),
    "backout_plan": gettext_lazy("Backout plan"),
    "test_plan": gettext_lazy("Test plan"),
    "communication_plan": gettext_lazy("Communication plan"),
    "risk_reasons": gettext_lazy("What set the risk"),
    "outage_expected": gettext_lazy("Outage expected"),
    "outage_minutes": gettext_lazy("Outage (minutes)"),
    "approval_round": gettext_lazy("Approval round"),
    "rejection_reasons": gettext_lazy("Rejection reasons"),
    "outcome": gettext_lazy("Outcome"),
    "outcome_notes": gettext_lazy("Outcome notes"),
    "decision": gettext_lazy("Decision"),
    "conflicts_override_reason": gettext_lazy("Why the conflicts were overridden"),
    "authorized_at": gettext_lazy("Authorized at"),
    "what_happened": gettext_lazy("What happened"),
    "cause": gettext_lazy("Cause"),
    "follow_ups": gettext_lazy("Follow-up actions"),
    "moderate_from": gettext_lazy("Moderate risk from score"),
    "high_from": gettext_lazy("High risk from score"),
    "answers": gettext_lazy("Risk answers"),
    "template": gettext_lazy("Template"),
    "tasks": gettext_lazy("Tasks"),
    "text": gettext_lazy("Question"),
    "weight": gettext_lazy("Weight"),
    "parameter": gettext_lazy("Parameter"),
    "minimum": gettext_lazy("Minimum risk"),
    "quorum": gettext_lazy("Quorum"),
    "change_manager_required": gettext_lazy("Change manager required"),
    "meets_on": gettext_lazy("Meets"),
    "level": gettext_lazy("Authority"),
    "board": gettext_lazy("Change board"),
    "template_success_threshold": gettext_lazy("Template success threshold (%)"),
    "template_success_window": gettext_lazy("Template success window"),
}
