"""Who sees which fields of an incident: one declared field set per audience, read by every
surface that shows an incident (API, pages, CSV export, search snippets, SLA clocks, the
timeline, messages to the caller) and by the visibility contract test
(``tests/incidents/test_audiences.py``).

Two audiences:

- **staff** — IT staff (every role but requester): the whole record, ``IncidentOut``.
- **requester** — the caller and the colleagues of their organization: ``RequesterIncidentOut``,
  an allow-list. Every field of the staff schema is either in :data:`REQUESTER_FIELDS` or in
  :data:`REQUESTER_HIDDEN` with the reason; the contract test fails on a staff field that is
  in neither, so a new field stays hidden from requesters until someone adds it on purpose.

A requester's view is its own serializer (``api.common.incident_out_for_requester``), not the
staff one with fields blanked: it never reads the handovers, the assignee or the override.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from steward.core.texts import Text

STAFF = "staff"
REQUESTER = "requester"
AUDIENCES = (STAFF, REQUESTER)


def audience_of(user) -> str:
    """The audience a signed-in user belongs to."""
    return STAFF if user is not None and user.is_it else REQUESTER


#: Every field of the staff schema (``schemas.IncidentOut``), in its order.
STAFF_FIELDS = (
    "number",
    "title",
    "description",
    "caller",
    "organization",
    "service",
    "affected_ci",
    "category",
    "subcategory",
    "impact",
    "urgency",
    "priority",
    "priority_overridden",
    "status",
    "status_category",
    "hold_reason",
    "owning_group",
    "assignee",
    "resolution_code",
    "resolution_notes",
    "reopen_count",
    "parent",
    "created_at",
    "updated_at",
    "resolved_at",
    "closed_at",
    "pending_handover",
    "handovers",
    "is_major",
    "version",
)

#: The requester's schema (``schemas.RequesterIncidentOut``), in its order.
REQUESTER_FIELDS = (
    "number",
    "title",
    "description",
    "caller",
    "organization",
    "service",
    "category",
    "subcategory",
    "impact",
    "urgency",
    # the working priority: the SLA targets the requester sees follow it (the override flag and
    # its reason stay internal)
    "priority",
    "status",
    "status_category",
    # "awaiting caller" tells the requester the next step is theirs
    "hold_reason",
    "resolution_code",
    "resolution_notes",
    "reopen_count",
    "created_at",
    "updated_at",
    "resolved_at",
    "closed_at",
    # needed to send a transition (reopen) with the version read
    "version",
)

#: Staff fields a requester never sees, and why.
REQUESTER_HIDDEN = {
    "affected_ci": "the CMDB is IT-only (requesters cannot read configuration items)",
    "priority_overridden": "priority overrides are internal (docs/incidents.md, Permissions)",
    "owning_group": "which group owns it moves by handover; requesters never see handovers or "
    "assignments",
    "assignee": "assignments are internal",
    "parent": "linking is internal; the parent may be another organization's incident",
    "pending_handover": "handovers are internal: reason, 'already tried' note, groups, people",
    "handovers": "handover measures are internal",
    "is_major": "declaring an incident major is an internal escalation (manager, reason, "
    "review); requesters hear of it only through the stakeholder updates sent to them",
}

#: Journal change keys a requester may read on their timeline (the entries themselves are
#: already limited to ``choices.PUBLIC_ACTIONS``): the requester's fields, plus the record's
#: number and a public attachment's name.
REQUESTER_CHANGE_KEYS = frozenset(REQUESTER_FIELDS) | {"number", "attachment"}

# --- what each surface shows, per audience (each a subset of the audience's fields) ----------

#: The incident page's details (``data-field`` attributes in incident_detail.html).
PAGE_FIELDS = {
    STAFF: frozenset(
        {
            "number",
            "title",
            "description",
            "caller",
            "service",
            "impact",
            "urgency",
            "priority",
            "priority_overridden",
            "status",
            "hold_reason",
            "owning_group",
            "assignee",
            "resolution_code",
            "resolution_notes",
            "reopen_count",
            "parent",
            "created_at",
            "updated_at",
            "category",
            "subcategory",
            "affected_ci",
            "pending_handover",
            "handovers",
            "is_major",
        }
    ),
    REQUESTER: frozenset(
        {
            "number",
            "title",
            "description",
            "caller",
            "service",
            "impact",
            "urgency",
            "priority",
            "status",
            "hold_reason",
            "resolution_code",
            "resolution_notes",
            "reopen_count",
            "created_at",
            "updated_at",
        }
    ),
}

#: The list page's columns (``data-field`` attributes of its header and rows).
LIST_FIELDS = {
    STAFF: (
        "number",
        "title",
        "service",
        "priority",
        "status",
        "owning_group",
        "pending_handover",
        "assignee",
        "updated_at",
    ),
    REQUESTER: ("number", "title", "service", "priority", "status", "updated_at"),
}

#: CSV export: column name -> the field it shows.
CSV_COLUMNS = {
    STAFF: {
        "number": "number",
        "title": "title",
        "priority": "priority",
        "status": "status",
        "owning_group": "owning_group",
        "assignee": "assignee",
        "caller": "caller",
        "service": "service",
        "created_at": "created_at",
        "updated_at": "updated_at",
        "handover_pending": "pending_handover",
    },
    REQUESTER: {
        "number": "number",
        "title": "title",
        "priority": "priority",
        "status": "status",
        "caller": "caller",
        "service": "service",
        "created_at": "created_at",
        "updated_at": "updated_at",
    },
}

#: The global search's hit: its label and snippet, in order ("INC… title", "P3 · New · group").
SEARCH_FIELDS = {
    STAFF: ("number", "title", "priority", "status", "owning_group"),
    REQUESTER: ("number", "title", "priority", "status"),
}

#: What a message to the caller (and to watchers who are requesters) is made of: the subject
#: names the incident and its new status; the body is text written for the caller (a reply,
#: the resolution notes, a transition's comment, a stakeholder update).
CALLER_MESSAGE_FIELDS = ("number", "title", "status", "resolution_notes")

#: The SLA clocks of an incident (``GET /incidents/{number}/slas``): staff see every clock
#: (SLAs and the groups' OLAs); requesters their service level targets only.
SLA_METRICS = {
    STAFF: frozenset({"response", "resolution", "handover_acceptance", "time_with_group"}),
    REQUESTER: frozenset({"response", "resolution"}),
}


#: The subject of a message to the caller, per status, said in the caller's language.
CALLER_SUBJECTS = {
    "new": gettext_noop("%(number)s is new: %(title)s"),
    "in_progress": gettext_noop("%(number)s is in progress: %(title)s"),
    "on_hold": gettext_noop("%(number)s is on hold: %(title)s"),
    "resolved": gettext_noop("%(number)s is resolved: %(title)s"),
    "closed": gettext_noop("%(number)s is closed: %(title)s"),
    "cancelled": gettext_noop("%(number)s is cancelled: %(title)s"),
}


def caller_subject(incident) -> Text:
    """The subject of a message to the caller: number, new status and title (nothing else)."""
    return Text(CALLER_SUBJECTS[incident.status], number=incident.number, title=incident.title)


def requester_changes(changes: dict) -> dict:
    """A journal entry's changes as a requester may read them."""
    return {k: v for k, v in changes.items() if k in REQUESTER_CHANGE_KEYS}
