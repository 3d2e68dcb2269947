"""The migration that moved change enablement onto the shared approvals
(``changes/0006_shared_approvals``): the votes of the old ``changes.Approval`` table become
steps and approver rows, in their rounds and states, and back again."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from steward.approvals.models import ApprovalRequest, Approver
from steward.changes import operations as ops
from steward.changes.authorization import authorization, may_approve
from steward.changes.choices import Status
from tests.changes.conftest import bring_to

BEFORE = [("changes", "0005_change_tasks")]
TYPE = "changes.changerequest"


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def steps(change) -> list[tuple]:
    return list(
        ApprovalRequest.objects.filter(subject_type=TYPE, subject_id=change.pk)
        .order_by("round", "step")
        .values_list("round", "name", "state", "quorum")
    )


def decisions(change) -> list[tuple]:
    return list(
        Approver.objects.filter(
            request__subject_type=TYPE,
            request__subject_id=change.pk,
            decision__in=["approved", "rejected"],
        )
        .order_by("request__round", "decided_at", "id")
        .values_list("request__round", "user__username", "decision", "comment")
    )


@pytest.mark.django_db(transaction=True)
def test_the_votes_move_between_the_old_table_and_the_shared_approvals(desk, make_change):
    people = desk["people"]
    board = ops.create_board(people["admin"], group=desk["groups"]["cab"], quorum=2)
    ops.set_authority(people["cm"], type="normal", risk="high", level="board", board=board)
    ops.create_risk_rule(people["cm"], name="Outage", kind="outage_expected", minimum="high")
    scheduled = bring_to(make_change(title="Scheduled"), Status.SCHEDULED, desk)
    again = bring_to(
        make_change(title="Again", outage_expected=True, outage_minutes=60), Status.AUTHORIZE, desk
    )
    ops.decide(people["cab1"], again, decision="rejected", comment="No backout")
    again.refresh_from_db()
    ops.move_change(people["agent"], again, Status.AUTHORIZE)
    ops.decide(people["cab2"], again, decision="approved", comment="Fine now")
    waiting = bring_to(make_change(title="Waiting"), Status.AUTHORIZE, desk)
    before = {c.pk: (steps(c), decisions(c)) for c in (scheduled, again, waiting)}
    assert before[again.pk][0] == [(1, "CAB", "rejected", 2), (2, "CAB", "pending", 2)]

    try:
        old = migrate(BEFORE)
        Approval = old.get_model("changes", "Approval")
        votes = list(
            Approval.objects.order_by("change_id", "round", "id").values_list(
                "change_id", "round", "approver__username", "level", "decision", "comment"
            )
        )
        assert votes == [
            (scheduled.pk, 1, "peer", "peer", "approved", ""),
            (again.pk, 1, "cab1", "board", "rejected", "No backout"),
            (again.pk, 2, "cab2", "board", "approved", "Fine now"),
        ]
        assert not ApprovalRequest.objects.filter(subject_type=TYPE).exists()
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    after = {c.pk: (steps(c), decisions(c)) for c in (scheduled, again, waiting)}
    assert after == before
    for change in (scheduled, again, waiting):
        change.refresh_from_db()
    assert authorization(scheduled).complete
    assert authorization(again).approved == 1 and not authorization(again).complete
    assert may_approve(people["cm"], again) and not may_approve(people["cab2"], again)
    ops.decide(people["cm"], again, decision="approved")
    again.refresh_from_db()
    assert again.authorized_at is not None
    assert may_approve(people["peer"], waiting)
    step = ApprovalRequest.objects.get(subject_type=TYPE, subject_id=waiting.pk)
    assert set(step.excluded_users.values_list("username", flat=True)) == {"agent"}
