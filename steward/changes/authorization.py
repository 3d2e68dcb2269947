"""Who authorizes a change and how far its authorization has come (the read side of approvals).

The authority rule for the change's type and risk (admin data: ``AuthorityRule``) names the
level: ``none`` (pre-authorized: a standard change always is), ``peer`` (one approval by an
active member of the owning group), ``change_manager`` (one approval by a change manager) or
``board`` (``quorum`` approvals by members of the board's group, a change manager among them
when ``change_manager_required``). Only the votes of the current round at the current level
count: a rejection starts a new round, and a change whose risk moved is authorized afresh at
its new level. Nobody approves their own change (its requester or owner); one rejection
rejects. ``operations.approvals`` writes the votes; the pages and the API read this."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from steward.changes.choices import ApprovalDecision, AuthorityLevel, ChangeType, Status
from steward.changes.models import Approval, AuthorityRule, ChangeBoard, ChangeRequest
from steward.people.choices import Role

Level = AuthorityLevel


@dataclass(frozen=True)
class Authorization:
    """Where the change's authorization stands in its current round."""

    level: str
    board: ChangeBoard | None
    #: approvals the level needs (0 for ``none``; the quorum for a board)
    needed: int
    #: the current round's votes at this level, oldest first
    approvals: tuple[Approval, ...] = field(default_factory=tuple)
    complete: bool = False
    rejected: bool = False
    #: a board that needs a change manager among its approvers and has none yet
    change_manager_missing: bool = False

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


def authorization(change: ChangeRequest) -> Authorization:
    """Where the authorization of ``change`` stands (two or three queries)."""
    level, board = authority(change)
    if level == Level.NONE:
        return Authorization(level, None, 0, complete=True)
    votes = Approval.objects.filter(change=change, round=change.approval_round, level=level)
    if board is not None:
        votes = votes.filter(board=board)
    votes = tuple(votes.select_related("approver").order_by("id"))
    rejected = any(v.decision == ApprovalDecision.REJECTED for v in votes)
    approvers = [v.approver for v in votes if v.decision == ApprovalDecision.APPROVED]
    needed = board.quorum if board is not None else 1
    manager_missing = (
        board is not None
        and board.change_manager_required
        and not any(_is_change_manager(a) for a in approvers)
    )
    complete = not rejected and len(approvers) >= needed and not manager_missing
    return Authorization(
        level,
        board,
        needed,
        votes,
        complete=complete,
        rejected=rejected,
        change_manager_missing=manager_missing,
    )


def _member(user, group) -> bool:
    return group.members.filter(pk=user.pk, is_active=True).exists()


def approval_refusal(user, change: ChangeRequest, state: Authorization | None = None):
    """Why ``user`` may not vote on ``change`` now, as ``(field, sentence)``; None if they
    may. The order is what people ask first: is it awaiting a decision, is it their own, may
    they decide at this level, have they voted."""
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
    if state.level == Level.PEER and not _member(user, change.owning_group):
        return "approver", _("A peer review is given by a member of %(group)s.") % {
            "group": change.owning_group.name
        }
    if state.level == Level.CHANGE_MANAGER and not _is_change_manager(user):
        return "approver", _("The change manager authorizes this change.")
    if state.level == Level.BOARD and not _member(user, state.board.group):
        return "approver", _("The %(board)s authorizes this change: its members vote.") % {
            "board": state.board.group.name
        }
    if Approval.objects.filter(change=change, round=change.approval_round, approver=user).exists():
        return "decision", _("You have already decided on %(number)s in this round.") % {
            "number": change.number
        }
    if state.complete:
        return "decision", _("%(number)s is already authorized.") % {"number": change.number}
    return None


def may_approve(user, change: ChangeRequest) -> bool:
    """Whether ``user`` may approve or reject ``change`` now."""
    if user is None:
        return False
    return approval_refusal(user, change) is None
