"""What the incident page adds to its context beyond the record itself: the version and the
``seen`` mark every form carries, the changes made since a refused write (``?since=``), and the
forms and lists of the page's newer parts (assignee, watchers, parent and children, cancel,
saved replies)."""

from __future__ import annotations

from steward.core.registry import detail_panels
from steward.incidents import page_writes, queries
from steward.incidents.canned import replies_for
from steward.incidents.detail_forms import AssignForm, CancelForm, ParentForm, WatcherForm
from steward.incidents.models import Incident, Watcher


def _since(request) -> int | None:
    return page_writes.posted_number(request.GET, "since")


def common(request, incident: Incident) -> dict:
    """For every audience: what the forms carry, and what changed since a refused write."""
    since = _since(request)
    return {
        "seen": page_writes.last_entry_id(incident),
        "changed": page_writes.changes_since(incident, request.user, since),
    }


def for_staff(request, incident: Incident, actions) -> dict:
    """The staff page's parts: assigning within the owning group, watchers, parent and
    children, the cancel form, the agent's saved replies and other practices' panels."""
    members = incident.owning_group.members.filter(is_active=True).order_by("username")
    watchers = list(
        Watcher.objects.filter(incident=incident).select_related("user").order_by("user__username")
    )
    children = list(
        queries.incidents_for(request.user).filter(parent=incident).order_by("id")[:100]
    )
    return {
        **common(request, incident),
        "assign_form": AssignForm(
            members=members, initial={"assignee": incident.assignee_id}, auto_id="id_assign_%s"
        ),
        "watchers": watchers,
        "watching": any(w.user_id == request.user.pk for w in watchers),
        "watcher_form": WatcherForm(auto_id="id_watcher_%s"),
        "children": children,
        "parent_form": ParentForm(auto_id="id_link_%s"),
        "cancel_form": CancelForm(auto_id="id_cancel_%s"),
        "canned_replies": replies_for(request.user) if "note" in actions else [],
        # what other practices show on the incident (known errors, improvement items...)
        "panels": detail_panels(incident, request.user),
    }
