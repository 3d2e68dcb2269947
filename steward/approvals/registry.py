"""How approvals reach the records they are asked on, without importing the practices above.

A practice (requests, changes) declares an :class:`ApprovalSubject` in its
``Practice(approval_subjects=[...])`` (``core.practices``); approvals asks it for the record,
its label and links, who may never approve it, and tells it when a round is decided
(``on_complete``, inside ``operations.decide``'s transaction). A subject of a practice that is
switched off still answers: its approvals keep their records.
:func:`register` adds a subject outside any practice (a test's stand-in).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from steward.core.practices import all_contributions


@dataclass(frozen=True)
class ApprovalSubject:
    #: ``app_label.model`` of the record, e.g. "fulfilment.requesteditem"
    type: str
    #: (subject_id) -> the model instance, or None
    instance: Callable
    #: (instance) -> str, e.g. "RITM0000012 Laptop"
    label: Callable
    #: (instance) -> str: the staff page's URL
    link: Callable
    #: (instance) -> set of user ids who may never approve it (self-approval: the requester,
    #: the person it is for, its owner)
    excluded: Callable
    #: (actor, instance, outcome, request, comment) -> None, called inside ``decide``'s
    #: transaction when the round is decided: "approved" (every step approved) or "rejected"
    #: (at the first rejection; ``comment`` is the reason)
    on_complete: Callable
    #: (actor, instance, request) -> None, after each decision
    on_step: Callable | None = None
    #: (request) -> str | None: a condition still missing before a step counts as approved
    still_missing: Callable | None = None
    #: (instance, person) -> str: where an approver who is a requester acts (the portal's
    #: page of the record when they may read it there)
    portal_link: Callable | None = None


_subjects: dict[str, ApprovalSubject] = {}


def register(subject_: ApprovalSubject) -> None:
    """Add a subject outside any practice (tests)."""
    _subjects[subject_.type] = subject_


def unregister(type_: str) -> None:
    _subjects.pop(type_, None)


def subject(type_: str) -> ApprovalSubject | None:
    """The registered subject of ``type_`` (``app_label.model``), or None."""
    if type_ in _subjects:
        return _subjects[type_]
    return next((s for s in all_contributions("approval_subjects") if s.type == type_), None)
