"""Who authorizes a change and how far its authorization has come (the read side of approvals).

The authority rule for the change's type and risk (admin data: ``AuthorityRule``) names the
level: ``none`` (pre-authorized: a standard change always is), ``peer`` (one approval by an
active member of the owning group), ``change_manager`` (one approval by a change manager) or
``board`` (``quorum`` approvals by members of the board's group, a change manager among them
when ``change_manager_required``). Nobody approves their own change (its requester or owner);
one rejection rejects.

The approvals themselves are the shared mechanism's (``steward.approvals``): entering
Authorize asks one step of approval for the level (:func:`step_for`) in the change's round
(``approval_round``); the step's approver rows are the votes. A rejection starts a new round,
and a change whose authority moved while in Authorize (its risk, type or owning group, the
authority table, its board) is asked afresh in a new round (``operations.approvals``). The
pages and the API read this."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from steward.approvals import queries as approval_queries
from steward.approvals.choices import DONE, Mode, State
from steward.approvals.models import ApprovalRequest, Approver
from steward.changes.choices import ApprovalDecision, AuthorityLevel, ChangeType, Status
from steward.changes.models import AuthorityRule, ChangeBoard, ChangeRequest
from steward.people.choices import Role

Level = AuthorityLevel

#: The record type changes are approved as (``approvals.registry.ApprovalSubject.type``).
SUBJECT_TYPE = "changes.changerequest"
#: The names of the steps people see in their approvals (a board's step is named after its
#: group). Kept in English in the rows; the pages translate them.
PEER_STEP = gettext_noop("Peer review")
MANAGER_STEP = gettext_noop("Change manager")


@dataclass(frozen=True)
class Vote:
    """One decision given on a change: who it counts for (``approver``), who gave it
    (``decided_by``: the approver or their delegate, with ``on_behalf_of``), at which level."""

    id: int
    round: int
    approver: object
    decided_by: object
    on_behalf_of: object
    level: str
    board: ChangeBoard | None
    decision: str
    comment: str
    decided_at: object

    def get_decision_display(self) -> str:
        return str(ApprovalDecision(self.decision).label)


@dataclass(frozen=True)
class Authorization:
    """Where the change's authorization stands in its current round."""

    level: str
    board: ChangeBoard | None
    #: approvals the level needs (0 for ``none``; the quorum for a board)
    needed: int
    #: the current round's votes, oldest first
    approvals: tuple[Vote, ...] = field(default_factory=tuple)
    complete: bool = False
    rejected: bool = False
    #: a board that needs a change manager among its approvers and has none yet
    change_manager_missing: bool = False
    #: the step of approval asked in the current round (None before Authorize, or when
    #: the change needs no approval)
    request: ApprovalRequest | None = None

    @property
    def approved(self) -> int:
        return sum(1 for a in self.approvals if a.decision == ApprovalDecision.APPROVED)

    @property
    def still_needed(self) -> int:
        return max(0, self.needed - self.approved)


#: Who authorizes each type and risk while no rule says otherwise (the defaults the data
#: migration writes; they also answer when a rule was deleted): peer review at low risk, the
#: change manager at moderate and high risk and for every emergency change.
DEFAULT_LEVELS = {
    ("normal", "low"): Level.PEER,
    ("normal", "moderate"): Level.CHANGE_MANAGER,
    ("normal", "high"): Level.CHANGE_MANAGER,
}


def authority(change: ChangeRequest) -> tuple[str, ChangeBoard | None]:
    """``(level, board)`` for the change's type and risk. A standard change is pre-authorized;
    with no rule for the pair (an administrator deleted it) the default decides."""
    if change.type == ChangeType.STANDARD:
        return Level.NONE, None
    rule = (
        AuthorityRule.objects.filter(type=change.type, risk=change.risk)
        .select_related("board__group")
        .first()
    )
    if rule is None:
        return DEFAULT_LEVELS.get((change.type, change.risk), Level.CHANGE_MANAGER), None
    return rule.level, rule.board if rule.level == Level.BOARD else None


def authority_table() -> list[dict]:
    """Every type and risk, in order, with who authorizes it: ``{type, risk, level, board}``
    (the rule, or the default where there is none; a standard change is pre-authorized).
    Two queries. The authority pages and ``/api/v1/change-authority`` read it."""
    from steward.changes.choices import Risk

    rules = {(r.type, r.risk): r for r in AuthorityRule.objects.select_related("board__group")}
    cells = []
    for type_ in ChangeType.values:
        for risk in Risk.values:
            rule = rules.get((type_, risk))
            if type_ == ChangeType.STANDARD:
                level, board = Level.NONE, None
            elif rule is None:
                level, board = DEFAULT_LEVELS.get((type_, risk), Level.CHANGE_MANAGER), None
            else:
                level, board = rule.level, rule.board if rule.level == Level.BOARD else None
            cells.append({"type": type_, "risk": risk, "level": level, "board": board})
    return cells


def _is_change_manager(user) -> bool:
    return user.is_active and user.has_role(Role.CHANGE_MANAGER)


# --- the steps asked on changes ------------------------------------------------------------------


def step_for(change: ChangeRequest, level: str, board: ChangeBoard | None) -> dict | None:
    """What ``approvals.operations.StepSpec`` asks for ``level`` (None for ``none``): the
    owning group's members for a peer review, the change managers, or the board's group
    with its quorum (the change manager's presence is ``still_missing``'s)."""
    if level == Level.NONE:
        return None
    if level == Level.PEER:
        return {"name": PEER_STEP, "mode": Mode.ANY, "quorum": 1, "group": change.owning_group}
    if level == Level.CHANGE_MANAGER:
        return {"name": MANAGER_STEP, "mode": Mode.ANY, "quorum": 1, "role": Role.CHANGE_MANAGER}
    return {
        "name": board.group.name,
        "mode": Mode.ANY,
        "quorum": board.quorum,
        "group": board.group,
    }


def level_of(
    request: ApprovalRequest, boards: dict | None = None
) -> tuple[str, ChangeBoard | None]:
    """The authority level a step asked on a change stands for (and its board). ``boards``
    (``{group id: board}``) saves the query when many steps are read."""
    if request.role == Role.CHANGE_MANAGER:
        return Level.CHANGE_MANAGER, None
    if request.name == PEER_STEP:
        return Level.PEER, None
    if boards is None:
        board = (
            ChangeBoard.objects.filter(group_id=request.group_id).select_related("group").first()
        )
    else:
        board = boards.get(request.group_id)
    return Level.BOARD, board


def boards_by_group() -> dict[int, ChangeBoard]:
    return {b.group_id: b for b in ChangeBoard.objects.select_related("group")}


def matches(request: ApprovalRequest, change: ChangeRequest, level: str, board) -> bool:
    """Whether the step asked still stands for who authorizes ``change`` now: the same level,
    the same board with the same quorum, and for a peer review the same owning group."""
    asked_level, asked_board = level_of(request)
    if asked_level != level:
        return False
    if level == Level.PEER:
        return request.group_id == change.owning_group_id
    if level == Level.BOARD:
        return (
            asked_board is not None
            and board is not None
            and asked_board.pk == board.pk
            and request.quorum == board.quorum
        )
    return True


def current_step(change: ChangeRequest) -> ApprovalRequest | None:
    """The step asked in the change's current round, or None."""
    return (
        ApprovalRequest.objects.filter(
            subject_type=SUBJECT_TYPE, subject_id=change.pk, round=change.approval_round
        )
        .select_related("group")
        .order_by("-step")
        .first()
    )


def board_has_decisions(board: ChangeBoard) -> bool:
    """Whether a change board's members decided on a change on its behalf (its steps)."""
    return (
        Approver.objects.filter(
            request__subject_type=SUBJECT_TYPE,
            request__group_id=board.group_id,
            request__role="",
            decision__in=DONE,
        )
        .exclude(request__name=PEER_STEP)
        .exists()
    )


def has_votes(change: ChangeRequest) -> bool:
    """Whether anyone decided on the change in its current round."""
    return Approver.objects.filter(
        request__subject_type=SUBJECT_TYPE,
        request__subject_id=change.pk,
        request__round=change.approval_round,
        decision__in=DONE,
    ).exists()


def votes(requests, boards: dict | None = None) -> dict[int, list[Vote]]:
    """The decisions given on ``requests`` (approved or rejected, oldest first), by request
    id, in one query (two with the boards)."""
    requests = list(requests)
    by_id = {r.pk: r for r in requests}
    out: dict[int, list[Vote]] = {r.pk: [] for r in requests}
    if not requests:
        return out
    if boards is None and any(level_of_is_board(r) for r in requests):
        boards = boards_by_group()
    rows = (
        Approver.objects.filter(request_id__in=by_id, decision__in=DONE)
        .select_related("user", "decided_by", "on_behalf_of")
        .order_by("decided_at", "id")
    )
    for row in rows:
        request = by_id[row.request_id]
        level, board = level_of(request, boards or {})
        out[row.request_id].append(
            Vote(
                id=row.pk,
                round=request.round,
                approver=row.user,
                decided_by=row.decided_by or row.user,
                on_behalf_of=row.on_behalf_of,
                level=level,
                board=board,
                decision=row.decision,
                comment=row.comment,
                decided_at=row.decided_at,
            )
        )
    return out


def level_of_is_board(request: ApprovalRequest) -> bool:
    return request.role != Role.CHANGE_MANAGER and request.name != PEER_STEP


def all_votes(change: ChangeRequest) -> list[Vote]:
    """Every decision on the change, every round's, the current round's first."""
    requests = ApprovalRequest.objects.filter(subject_type=SUBJECT_TYPE, subject_id=change.pk)
    found = votes(requests)
    flat = [v for rows in found.values() for v in rows]
    return sorted(flat, key=lambda v: (-v.round, v.decided_at, v.id))


def authorization(change: ChangeRequest) -> Authorization:
    """Where the authorization of ``change`` stands (a few queries)."""
    request = current_step(change)
    if request is None:
        level, board = authority(change)
        if level == Level.NONE:
            return Authorization(level, None, 0, complete=True)
        return Authorization(level, board, board.quorum if board is not None else 1)
    level, board = level_of(request)
    given = tuple(votes([request], {board.group_id: board} if board else {})[request.pk])
    approvers = [v.approver for v in given if v.decision == ApprovalDecision.APPROVED]
    manager_missing = (
        board is not None
        and board.change_manager_required
        and not any(_is_change_manager(a) for a in approvers)
    )
    return Authorization(
        level,
        board,
        request.quorum,
        given,
        complete=request.state == State.APPROVED,
        rejected=request.state == State.REJECTED,
        change_manager_missing=manager_missing,
        request=request,
    )


def still_missing(request: ApprovalRequest) -> str | None:
    """What a board's step still needs once its quorum is reached: a change manager among
    its approvers when the board requires one (read as the board stands)."""
    if not level_of_is_board(request):
        return None
    board = level_of(request)[1]
    if board is None or not board.change_manager_required:
        return None
    approved = request.approvers.filter(decision=ApprovalDecision.APPROVED).select_related("user")
    if any(_is_change_manager(row.user) for row in approved):
        return None
    return _("The change manager's approval is still needed.")


def approval_refusal(user, change: ChangeRequest, state: Authorization | None = None):
    """Why ``user`` may not vote on ``change`` now, as ``(field, sentence)``; None if they
    may. The order is what people ask first: is it awaiting a decision, is it their own, may
    they decide at this level (themselves, or standing in for someone who may), have they
    voted."""
    if change.status != Status.AUTHORIZE:
        return "status", _("%(number)s is not awaiting authorization.") % {"number": change.number}
    if not (user.is_active and user.is_it):
        return "approver", _("Only IT staff approve changes.")
    if user.pk in (change.requester_id, change.owner_id):
        return "approver", _("Nobody approves their own change (its requester or owner).")
    state = state or authorization(change)
    if state.level == Level.NONE:
        return "approver", _("%(number)s is pre-authorized: it needs no approval.") % {
            "number": change.number
        }
    request = state.request
    if request is None or request.state == State.CANCELLED:
        return "status", _("%(number)s is not awaiting authorization.") % {"number": change.number}
    found = approval_queries.resolve(user, request)[1]
    if found is not None and not found.conflict:
        return "approver", _level_refusal(change, state)
    if any(user.pk in (v.decided_by.pk, v.approver.pk) for v in state.approvals):
        return "decision", _("You have already decided on %(number)s in this round.") % {
            "number": change.number
        }
    if state.complete or found is not None:
        return "decision", _("%(number)s is already authorized.") % {"number": change.number}
    return None


def _level_refusal(change: ChangeRequest, state: Authorization) -> str:
    if state.level == Level.PEER:
        return _("A peer review is given by a member of %(group)s.") % {
            "group": change.owning_group.name
        }
    if state.level == Level.CHANGE_MANAGER:
        return _("The change manager authorizes this change.")
    name = state.board.group.name if state.board else state.request.name
    return _("The %(board)s authorizes this change: its members vote.") % {"board": name}


def may_approve(user, change: ChangeRequest) -> bool:
    """Whether ``user`` may approve or reject ``change`` now."""
    if user is None:
        return False
    return approval_refusal(user, change) is None
