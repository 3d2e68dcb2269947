"""What the incidents app contributes to search and the start page (declared in apps.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steward.core.pagination import ExactCount, capped
from steward.core.registry import SearchHit
from steward.incidents import audiences, queries, search, tallies
from steward.incidents.choices import HandoverStatus
from steward.incidents.models import Handover, Incident

#: How each field of a search hit is written (the label takes number and title, the snippet
#: the rest of the audience's ``audiences.SEARCH_FIELDS``).
_HIT_TEXT = {
    "number": lambda i: i.number,
    "title": lambda i: i.title,
    "priority": lambda i: f"P{i.priority}",
    "status": lambda i: str(i.get_status_display()),
    "owning_group": lambda i: i.owning_group.name,
}
_LABEL_FIELDS = ("number", "title")


def search_hit(incident: Incident, audience: str) -> SearchHit:
    """One incident as a hit of the global search, with the fields of ``audience`` only: a
    requester's snippet names no owning group."""
    fields = audiences.SEARCH_FIELDS[audience]
    return SearchHit(
        "incident",
        " ".join(_HIT_TEXT[f](incident) for f in fields if f in _LABEL_FIELDS),
        reverse("incidents:detail", args=[incident.number]),
        " · ".join(_HIT_TEXT[f](incident) for f in fields if f not in _LABEL_FIELDS),
    )


def search_incidents(user, text: str, limit: int) -> list[SearchHit]:
    audience = audiences.audience_of(user)
    rows = search.text_filter(Incident.objects.for_user(user, "view"), text, user)
    if "owning_group" in audiences.SEARCH_FIELDS[audience]:
        rows = rows.select_related("owning_group")
    return [search_hit(i, audience) for i in rows.order_by("-id")[:limit]]


def _rows(qs, limit: int, tally: dict | None = None, user=None):
    """The panel's first ``limit`` active incidents and their count: from the queue tallies
    (``tally``: the rows to add up) when they answer for ``user``, else counted up to the list
    count limit (past it the page shows "10,000+")."""
    qs = qs.active().order_by("priority", "-id")
    rows = [
        (f"{i.number} {i.title}", reverse("incidents:detail", args=[i.number]), f"P{i.priority}")
        for i in qs[:limit]
    ]
    if tally is not None and tallies.answers_for(user):
        return ExactCount(tallies.total(**tally)), rows
    return capped(qs).count(), rows


def my_work(user, limit: int):
    qs = Incident.objects.for_user(user, "view").filter(assignee=user)
    return _rows(qs, limit, {"assignee_id": user.pk}, user)


def my_incidents(user, limit: int):
    return _rows(Incident.objects.for_user(user, "view").filter(caller=user), limit)


def my_groups(user, limit: int):
    groups = queries.group_ids_of(user)
    qs = Incident.objects.for_user(user, "view").filter(owning_group__in=groups)
    return _rows(qs, limit, {"group_id__in": groups}, user)


def handovers_waiting(user, limit: int):
    """Pending handovers to the user's groups, the oldest first: work waiting for them."""
    pending = Handover.objects.filter(
        status=HandoverStatus.PENDING, to_group__in=queries.group_ids_of(user)
    ).filter(incident__in=Incident.objects.for_user(user, "view"))
    rows = [
        (
            f"{h.incident.number} {h.incident.title}",
            reverse("incidents:detail", args=[h.incident.number]),
            _("from %(group)s") % {"group": h.from_group.name},
        )
        for h in pending.select_related("incident", "from_group").order_by("created_at", "id")[
            :limit
        ]
    ]
    return pending.count(), rows


#: What people call the incidents app's journal actions and fields (``journal.describe``; a
#: name another app already described keeps its words: they mean the same).
JOURNAL_WORDS = {
    # actions
    "assigned": gettext_lazy("Assigned"),
    "status_changed": gettext_lazy("Status changed"),
    "priority_raised": gettext_lazy("Priority raised"),
    "parent_set": gettext_lazy("Linked to a parent incident"),
    "watcher_added": gettext_lazy("Watcher added"),
    "watcher_removed": gettext_lazy("Watcher removed"),
    "attached": gettext_lazy("File attached"),
    "attached_internal": gettext_lazy("File attached (internal)"),
    "work_note": gettext_lazy("Work note"),
    "replied": gettext_lazy("Public reply"),
    "handover_requested": gettext_lazy("Handover requested"),
    "handover_accepted": gettext_lazy("Handover accepted"),
    "handover_rejected": gettext_lazy("Handover rejected"),
    "handover_cancelled": gettext_lazy("Handover cancelled"),
    "accepted": gettext_lazy("Accepted"),
    "rejected": gettext_lazy("Rejected"),
    "cancelled": gettext_lazy("Cancelled"),
    "deleted": gettext_lazy("Deleted"),
    "overdue_notified": gettext_lazy("Past its target: the group was told"),
    "declared_major": gettext_lazy("Declared a major incident"),
    "stakeholder_update": gettext_lazy("Stakeholder update sent"),
    "review_recorded": gettext_lazy("Post-incident review recorded"),
    "communication_plan_changed": gettext_lazy("Communication plan changed"),
    "update_overdue_notified": gettext_lazy("Update overdue: the manager was told"),
    # fields
    "title": gettext_lazy("Title"),
    "caller": gettext_lazy("Caller"),
    "service": gettext_lazy("Service"),
    "affected_ci": gettext_lazy("Affected CI"),
    "category": gettext_lazy("Category"),
    "subcategory": gettext_lazy("Subcategory"),
    "impact": gettext_lazy("Impact"),
    "urgency": gettext_lazy("Urgency"),
    "priority": gettext_lazy("Priority"),
    "owning_group": gettext_lazy("Owning group"),
    "assignee": gettext_lazy("Assignee"),
    "parent": gettext_lazy("Parent incident"),
    "hold_reason": gettext_lazy("Hold reason"),
    "resolution_code": gettext_lazy("Resolution code"),
    "resolution_notes": gettext_lazy("Resolution notes"),
    "reopen_count": gettext_lazy("Reopened"),
    "to_group": gettext_lazy("To group"),
    "watchers": gettext_lazy("Watchers"),
    "attachment": gettext_lazy("Attachment"),
    "time_spent": gettext_lazy("Time spent"),
    "visibility": gettext_lazy("Visibility"),
    "major_manager": gettext_lazy("Major-incident manager"),
    "follow_up_actions": gettext_lazy("Follow-up actions"),
    "update_kind": gettext_lazy("Update"),
    "next_update_due": gettext_lazy("Next update due"),
    "overdue_notified_at": gettext_lazy("Told at"),
    "cadence_minutes": gettext_lazy("Update cadence (minutes)"),
    "customer_channel": gettext_lazy("Customers' contacts"),
    "stakeholders": gettext_lazy("Named stakeholders"),
    "stakeholder_channel": gettext_lazy("Stakeholders hear by"),
    "desk_group": gettext_lazy("Service desk group"),
    "desk_channel": gettext_lazy("The service desk hears by"),
}
