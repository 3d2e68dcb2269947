"""The changes app's tables: change requests and what hangs on them (risk answers, conflicts,
the review, incidents they caused), and the admin data that steers them (standard change
templates, the risk questionnaire and rules, who authorizes what, change boards, maintenance
windows and blackout periods). IT staff read them; requesters see none of it. The approvals
of a change are the shared approvals' (``steward.approvals``)."""

from steward.changes.models.authority import AuthorityRule, ChangeBoard
from steward.changes.models.changes import (
    ChangeIncident,
    ChangeRequest,
    ChangeReview,
    ChangeSettings,
)
from steward.changes.models.risk import ChangeRiskAnswer, RiskAnswer, RiskQuestion, RiskRule
from steward.changes.models.templates import ChangeTemplate
from steward.changes.models.windows import ChangeWindow, Conflict

__all__ = [
    "AuthorityRule",
    "ChangeBoard",
    "ChangeIncident",
    "ChangeRequest",
    "ChangeReview",
    "ChangeRiskAnswer",
    "ChangeSettings",
    "ChangeTemplate",
    "ChangeWindow",
    "Conflict",
    "RiskAnswer",
    "RiskQuestion",
    "RiskRule",
]
