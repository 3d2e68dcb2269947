"""Domain operations of the incidents app: the only code that writes incidents, comments,
watchers, handovers and major incidents. Each runs in one transaction, authorizes, and writes
the journal. Callers import this package; the modules group the operations by topic."""

from steward.incidents.attachments import SNIFF_BYTES
from steward.incidents.operations.canned_replies import (
    create_canned_reply,
    delete_canned_reply,
    update_canned_reply,
)
from steward.incidents.operations.classification import (
    add_category,
    set_priority_matrix,
    update_category,
)
from steward.incidents.operations.common import (
    EDITABLE,
    FIELDS,
    FINAL_STATUSES,
    SERVICE_DESK,
    at_version,
    groups_of,
    link,
)
from steward.incidents.operations.communication import (
    ATTACHMENT_DIR,
    MENTION,
    add_attachment,
    add_comment,
    add_watcher,
    attachment_limit,
    mentioned,
    remove_watcher,
)
from steward.incidents.operations.escalation import escalate, next_support_line, raise_priority
from steward.incidents.operations.handovers import (
    accept_handover,
    cancel_handover,
    hand_over,
    notify_overdue_handovers,
    overdue_handovers,
    reject_handover,
)
from steward.incidents.operations.lifecycle import (
    assign,
    auto_close_days,
    bulk_open_incidents,
    change_incident,
    close_resolved,
    link_parent,
    open_incident,
    transition,
    update_incident,
)
from steward.incidents.operations.maintenance import rebuild_queue_tallies
from steward.incidents.operations.major import (
    declare_major,
    post_stakeholder_update,
    record_review,
    stakeholders,
)
from steward.incidents.operations.major_plan import (
    customer_contacts,
    notify_overdue_updates,
    plan_of,
    set_plan,
)
from steward.incidents.operations.reference_data import (
    create_category,
    priority_for,
    set_first_line_group,
    set_handover_target,
    set_priority_cell,
)
from steward.incidents.operations.saved_views import VIEW_KEYS, delete_view, save_view

__all__ = [
    "ATTACHMENT_DIR",
    "EDITABLE",
    "FIELDS",
    "FINAL_STATUSES",
    "MENTION",
    "SERVICE_DESK",
    "SNIFF_BYTES",
    "VIEW_KEYS",
    "accept_handover",
    "add_attachment",
    "add_category",
    "add_comment",
    "add_watcher",
    "assign",
    "at_version",
    "attachment_limit",
    "auto_close_days",
    "bulk_open_incidents",
    "cancel_handover",
    "change_incident",
    "close_resolved",
    "create_canned_reply",
    "create_category",
    "customer_contacts",
    "declare_major",
    "delete_canned_reply",
    "delete_view",
    "escalate",
    "groups_of",
    "hand_over",
    "link",
    "link_parent",
    "mentioned",
    "next_support_line",
    "notify_overdue_handovers",
    "notify_overdue_updates",
    "open_incident",
    "overdue_handovers",
    "plan_of",
    "post_stakeholder_update",
    "priority_for",
    "raise_priority",
    "rebuild_queue_tallies",
    "record_review",
    "reject_handover",
    "remove_watcher",
    "save_view",
    "set_first_line_group",
    "set_handover_target",
    "set_plan",
    "set_priority_cell",
    "set_priority_matrix",
    "stakeholders",
    "transition",
    "update_canned_reply",
    "update_category",
    "update_incident",
]
