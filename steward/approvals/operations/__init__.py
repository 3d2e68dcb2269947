"""The approvals operations: the only code that writes approvals (journaled on the subject)."""

from steward.approvals.operations.delegations import delegate, end_delegation
from steward.approvals.operations.steps import StepSpec, cancel_round, decide, request_approval

__all__ = [
    "StepSpec",
    "cancel_round",
    "decide",
    "delegate",
    "end_delegation",
    "request_approval",
]
