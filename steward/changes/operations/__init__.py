"""Domain operations of the changes app: the only code that writes changes, their answers,
approvals, reviews, incident links and conflicts, and the admin data that steers them. Each
runs in one transaction, authorizes, and writes the journal. Callers import this package."""

from steward.changes.operations.admin import (
    create_board,
    create_question,
    create_risk_rule,
    create_template,
    set_authority,
    update_board,
    update_question,
    update_risk_rule,
    update_settings,
    update_template,
)
from steward.changes.operations.approvals import decide
from steward.changes.operations.common import FIELDS, locked
from steward.changes.operations.conflicts import override_conflicts, recheck_conflicts
from steward.changes.operations.lifecycle import (
    EDITABLE,
    create_change,
    move_change,
    update_change,
)
from steward.changes.operations.review import (
    link_incident,
    link_incidents,
    record_review,
    unlink_incident,
)
from steward.changes.operations.risk import answer_risk, reassess_open
from steward.changes.operations.windows import create_window, delete_window, update_window

__all__ = [
    "EDITABLE",
    "FIELDS",
    "answer_risk",
    "create_board",
    "create_change",
    "create_question",
    "create_risk_rule",
    "create_template",
    "create_window",
    "decide",
    "delete_window",
    "link_incident",
    "link_incidents",
    "locked",
    "move_change",
    "override_conflicts",
    "reassess_open",
    "recheck_conflicts",
    "record_review",
    "set_authority",
    "unlink_incident",
    "update_board",
    "update_change",
    "update_question",
    "update_risk_rule",
    "update_settings",
    "update_template",
    "update_window",
]
