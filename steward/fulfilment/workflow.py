"""The lifecycles of a requested item and of a fulfilment task: the one place they are written.

Requested item: awaiting approval → approved (tasks generated) → in progress (a task started)
→ fulfilled (every task closed) → closed; awaiting approval → rejected (with the reason);
any state still being worked → cancelled. An item without an approval flow (or whose steps'
conditions do not apply) is approved as it is ordered.

Task: waiting (its stage has not opened) → open → in progress → closed complete / closed
incomplete; any task not closed → cancelled (the item was cancelled)."""

from __future__ import annotations

from steward.core.workflow import TransitionTable
from steward.fulfilment.choices import ItemStatus as S
from steward.fulfilment.choices import TaskStatus as T

ITEM = TransitionTable(
    "requested item",
    {
        S.AWAITING_APPROVAL: {S.APPROVED, S.REJECTED, S.CANCELLED},
        S.APPROVED: {S.IN_PROGRESS, S.FULFILLED, S.CANCELLED},
        S.IN_PROGRESS: {S.FULFILLED, S.CANCELLED},
        S.FULFILLED: {S.CLOSED},
        S.CLOSED: set(),
        S.REJECTED: set(),
        S.CANCELLED: set(),
    },
    labels=dict(S.choices),
)

TASK = TransitionTable(
    "fulfilment task",
    {
        T.WAITING: {T.OPEN, T.CANCELLED},
        T.OPEN: {T.IN_PROGRESS, T.CLOSED_COMPLETE, T.CLOSED_INCOMPLETE, T.CANCELLED},
        T.IN_PROGRESS: {T.OPEN, T.CLOSED_COMPLETE, T.CLOSED_INCOMPLETE, T.CANCELLED},
        T.CLOSED_COMPLETE: set(),
        T.CLOSED_INCOMPLETE: set(),
        T.CANCELLED: set(),
    },
    labels=dict(T.choices),
)
