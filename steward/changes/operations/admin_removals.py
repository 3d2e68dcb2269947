"""Removing admin data the API and the pages may delete: a change board no authority rule or
approval names, and a risk rule (the changes not yet authorized are reassessed without it).
Administrators and change managers; each removal is journaled on the row before it goes."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from steward.changes.authorization import board_has_decisions
from steward.changes.models import AuthorityRule, ChangeBoard, ChangeRequest, RiskRule
from steward.changes.operations.admin import BOARD_FIELDS, RULE_FIELDS
from steward.changes.operations.common import require_admin_data
from steward.changes.operations.risk import reassess_open
from steward.core import journal
from steward.core.errors import Conflict


@transaction.atomic
def delete_board(actor, board: ChangeBoard) -> None:
    """Remove a change board. Refused (409) while an authority rule sends changes to it or an
    approval was given on its behalf: the history of who authorized what stays whole."""
    require_admin_data(actor)
    board = ChangeBoard.objects.select_for_update().select_related("group").get(pk=board.pk)
    rules = AuthorityRule.objects.filter(board=board).order_by("type", "risk")
    if rules.exists():
        cells = ", ".join(f"{r.type} / {r.risk}" for r in rules)
        raise Conflict(
            _("The authority table sends changes to this board (%(cells)s): change those first.")
            % {"cells": cells},
            {"board": [f"named by the authority table: {cells}"]},
        )
    if board_has_decisions(board):
        raise Conflict(
            _("Approvals were given on behalf of this board: it stays for the record."),
            {"board": ["approvals were given on its behalf"]},
        )
    journal.record(
        actor,
        board,
        "deleted",
        {k: [v, None] for k, v in journal.snapshot(board, BOARD_FIELDS).items()},
    )
    board.delete()


@transaction.atomic
def delete_risk_rule(actor, rule: RiskRule) -> None:
    """Remove a risk rule; the changes not yet authorized are reassessed without it."""
    require_admin_data(actor)
    rule = RiskRule.objects.select_for_update().get(pk=rule.pk)
    journal.record(
        actor,
        rule,
        "deleted",
        {k: [v, None] for k, v in journal.snapshot(rule, RULE_FIELDS).items() if v is not None},
    )
    rule.delete()
    reassess_open(actor, ChangeRequest.objects.all())
