"""The register's operations: the baseline captured at approval and frozen, the lifecycle and
its refusals, votes, actions, the journal, notifications and the due-date job."""

from __future__ import annotations

import datetime as dt

import pytest

from steward.core import journal
from steward.core.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    StaleVersion,
    TransitionNotAllowed,
    ValidationError,
)
from steward.improvement import operations as ops
from steward.improvement import queries
from steward.improvement.choices import Outcome, Status
from steward.notifications.models import Notification
from steward.ownership import gaps
from tests.improvement.conftest import t

pytestmark = pytest.mark.django_db


def _actions(item):
    return [e.action for e in journal.history(item)]


def test_the_baseline_is_captured_at_approval_and_frozen(reg, clock, incident_at, item):
    banking, treasury = reg["services"]["retail_live"], reg["services"]["corporate_live"]
    for day in (5, 12, 19):
        incident_at(t(2, day), service=banking)
    incident_at(t(2, 20), service=treasury)  # another service: filtered out
    incident_at(t(11, 1) - dt.timedelta(days=400), service=banking)  # long before the period
    clock(t(3, 15))
    it = item(kpi_key="incidents_raised", kpi_filters={"service": banking.pk}, target=1)
    assert it.baseline_value is None
    it = ops.transition(reg["manager"], it, to=Status.APPROVED, version=it.version)
    assert it.baseline_value == 3 and it.baseline_count == 3
    assert (it.baseline_from, it.baseline_to) == (t(3, 15) - dt.timedelta(days=90), t(3, 15))
    assert it.baseline_captured_at == t(3, 15) and it.baseline_unit == "count"

    # later data, inside the baseline's own period, does not move the stored baseline
    incident_at(t(2, 25), service=banking)
    incident_at(t(2, 26), service=banking)
    clock(t(4, 1))
    it.refresh_from_db()
    assert it.baseline_value == 3
    progress = queries.progress(it)
    assert progress["baseline"]["value"] == 3
    # now: the same 90 days' length, ending now (2026-01-01 to 2026-04-01): all five
    assert progress["now"]["value"] == 5
    assert progress["now"]["to"] == t(4, 1)
    assert progress["now"]["from"] == t(4, 1) - dt.timedelta(days=90)
    assert progress["target"] == 1 and progress["target_met"] is False
    assert progress["series_unit"] == "week" and sum(p["value"] for p in progress["series"]) == 5


def test_a_named_baseline_period_is_used_instead_of_the_90_days(reg, clock, incident_at, item):
    banking = reg["services"]["retail_live"]
    incident_at(t(1, 10), service=banking)
    incident_at(t(2, 10), service=banking)
    clock(t(3, 15))
    it = item(
        kpi_key="incidents_raised",
        kpi_filters={"service": banking.pk},
        baseline_from=t(2, 1, 0),
        baseline_to=t(3, 1, 0),
        target=0,
    )
    it = ops.transition(reg["manager"], it, to=Status.APPROVED, version=it.version)
    assert it.baseline_value == 1
    assert (it.baseline_from, it.baseline_to) == (t(2, 1, 0), t(3, 1, 0))
    with pytest.raises(ValidationError) as refused:
        ops.update(reg["manager"], it, version=it.version, baseline_from=t(1, 1, 0))
    assert "baseline_from" in refused.value.fields
    with pytest.raises(ValidationError) as refused:
        ops.update(reg["manager"], it, version=it.version, kpi_key="incidents_resolved")
    assert "kpi_key" in refused.value.fields


def test_the_benefits_review_freezes_its_figures(reg, clock, incident_at, item):
    banking = reg["services"]["retail_live"]
    incident_at(t(2, 1), service=banking)
    clock(t(3, 1))
    it = item(kpi_key="incidents_raised", kpi_filters={"service": banking.pk}, target=0)
    it = ops.transition(reg["manager"], it, to=Status.APPROVED, version=it.version)
    it = ops.transition(reg["improver"], it, to=Status.IN_PROGRESS, version=it.version)
    incident_at(t(5, 1), service=banking)
    clock(t(6, 1))
    it = ops.transition(reg["improver"], it, to=Status.BENEFITS_REVIEW, version=it.version)
    assert it.review_value == 1 and it.review_to == t(6, 1)
    incident_at(t(5, 20), service=banking)  # after the review: not in its frozen figure
    clock(t(6, 2))
    it = ops.transition(
        reg["improver"], it, to=Status.CLOSED, version=it.version, outcome=Outcome.NOT_ACHIEVED
    )
    it.refresh_from_db()
    assert it.review_value == 1 and it.outcome == Outcome.NOT_ACHIEVED
    assert it.closed_at == t(6, 2)
    progress = queries.progress(it)
    assert progress["review"]["value"] == 1 and progress["now"]["value"] == 2
    assert progress["target_met"] is False  # judged on the review's figure once closed
    assert _actions(it) == [
        "proposed",
        "approved",
        "started",
        "benefits_review_started",
        "closed",
    ]


def test_approving_names_what_is_missing(reg, clock):
    clock(t(3, 1))
    it = ops.propose(reg["manager"], title="Idea", problem="P", kpi_key="incidents_raised")
    with pytest.raises(ValidationError) as refused:
        ops.transition(reg["manager"], it, to=Status.APPROVED, version=it.version)
    assert set(refused.value.fields) == {"owner", "due_date", "target"}
    it.refresh_from_db()
    assert it.status == Status.PROPOSED and it.baseline_value is None


def test_a_refused_move_names_the_allowed_ones(reg, item):
    it = item()
    with pytest.raises(TransitionNotAllowed) as refused:
        ops.transition(reg["manager"], it, to=Status.BENEFITS_REVIEW, version=it.version)
    assert refused.value.allowed == ["approved", "closed"]
    assert "Approved" in refused.value.message


def test_closing_before_the_review_is_abandoning_with_a_reason(reg, item):
    it = item()
    with pytest.raises(ValidationError) as refused:
        ops.transition(reg["manager"], it, to=Status.CLOSED, version=it.version)
    assert refused.value.fields == {"reason": ["required to abandon"]}
    with pytest.raises(ValidationError) as refused:
        ops.transition(
            reg["manager"],
            it,
            to=Status.CLOSED,
            version=it.version,
            outcome=Outcome.ACHIEVED,
            reason="x",
        )
    assert "outcome" in refused.value.fields
    it = ops.transition(
        reg["manager"], it, to=Status.CLOSED, version=it.version, reason="Out of scope"
    )
    assert it.outcome == Outcome.ABANDONED and it.outcome_reason == "Out of scope"
    assert journal.history(it).last().comment == "Out of scope"


def test_closing_after_the_review_needs_an_outcome(reg, item):
    it = item()
    for to in (Status.APPROVED, Status.IN_PROGRESS, Status.BENEFITS_REVIEW):
        it = ops.transition(reg["manager"], it, to=to, version=it.version)
    with pytest.raises(ValidationError) as refused:
        ops.transition(reg["manager"], it, to=Status.CLOSED, version=it.version)
    assert "outcome" in refused.value.fields
    it = ops.transition(
        reg["manager"], it, to=Status.CLOSED, version=it.version, outcome=Outcome.ACHIEVED
    )
    assert it.status == Status.CLOSED
    with pytest.raises(TransitionNotAllowed):
        ops.transition(reg["manager"], it, to=Status.IN_PROGRESS, version=it.version)


def test_who_moves_what(reg, item):
    it = item()
    with pytest.raises(PermissionDenied):  # an agent is not a manager
        ops.transition(reg["agent"], it, to=Status.APPROVED, version=it.version)
    with pytest.raises(PermissionDenied):  # nor is the future owner, before approval
        ops.transition(reg["improver"], it, to=Status.APPROVED, version=it.version)
    it = ops.transition(reg["manager"], it, to=Status.APPROVED, version=it.version)
    with pytest.raises(PermissionDenied):
        ops.transition(reg["agent"], it, to=Status.IN_PROGRESS, version=it.version)
    it = ops.transition(reg["improver"], it, to=Status.IN_PROGRESS, version=it.version)
    assert it.status == Status.IN_PROGRESS


def test_a_proposer_withdraws_their_own_proposal(reg):
    it = ops.propose(reg["requester"], title="Idea", problem="P")
    it = ops.transition(reg["requester"], it, to=Status.CLOSED, version=it.version, reason="dup")
    assert it.outcome == Outcome.ABANDONED


def test_a_stale_version_changes_nothing(reg, item):
    it = item()
    ops.update(reg["manager"], it, version=1, title="New title")
    with pytest.raises(StaleVersion):
        ops.update(reg["manager"], it, version=1, title="Lost")
    with pytest.raises(StaleVersion):
        ops.transition(reg["manager"], it, to=Status.APPROVED, version=1)
    it.refresh_from_db()
    assert it.title == "New title" and it.status == Status.PROPOSED and it.version == 2


def test_requesters_propose_without_owner_or_sharing(reg):
    it = ops.propose(reg["requester"], title="Idea", problem="P")
    assert it.number.startswith("IMP") and it.proposer == reg["requester"]
    with pytest.raises(PermissionDenied) as refused:
        ops.propose(reg["requester"], title="Idea", problem="P", owner=reg["agent"])
    assert "owner" in refused.value.fields
    with pytest.raises(PermissionDenied) as refused:
        ops.propose(reg["requester"], title="Idea", problem="P", public=True)
    assert "public" in refused.value.fields
    ops.update(reg["requester"], it, version=it.version, title="Better idea")
    with pytest.raises(PermissionDenied):
        ops.update(reg["requester"], it, version=it.version, owner=reg["agent"])


def test_one_vote_per_person_and_withdrawing(reg, item):
    it = item(public=True)
    ops.vote(reg["agent"], it)
    ops.vote(reg["requester"], it)
    assert it.votes == 2
    with pytest.raises(Conflict) as refused:
        ops.vote(reg["agent"], it)
    assert refused.value.fields == {"vote": ["already voted"]}
    ops.withdraw_vote(reg["agent"], it)
    assert it.votes == 1
    with pytest.raises(NotFound):
        ops.withdraw_vote(reg["agent"], it)
    it.refresh_from_db()
    assert it.votes == 1
    assert _actions(it).count("voted") == 2 and "vote_withdrawn" in _actions(it)


def test_a_closed_item_takes_no_votes(reg, item):
    it = item()
    it = ops.transition(reg["manager"], it, to=Status.CLOSED, version=it.version, reason="no")
    with pytest.raises(Conflict):
        ops.vote(reg["agent"], it)


def test_actions_are_kept_by_the_owner_and_ticked_off_by_theirs(reg, item):
    it = item()
    action = ops.add_action(reg["improver"], it, title="New category", owner=reg["agent"])
    with pytest.raises(PermissionDenied):
        ops.add_action(reg["agent"], it, title="Not mine to add")
    with pytest.raises(PermissionDenied):
        ops.update_action(reg["agent"], action, title="Renamed")
    action = ops.update_action(reg["agent"], action, done=True)
    assert action.done and action.done_at is not None
    assert _actions(it)[-2:] == ["action_added", "action_updated"]


def test_the_owner_is_told_when_assigned_and_approved(reg, item):
    it = item()
    texts = list(
        Notification.objects.filter(recipient=reg["improver"]).values_list("subject", flat=True)
    )
    assert texts == [f"You own the improvement {it.number}: {it.title}"]
    ops.transition(reg["manager"], it, to=Status.APPROVED, version=it.version)
    assert Notification.objects.filter(
        recipient=reg["improver"], subject__startswith=f"Improvement {it.number} approved"
    ).exists()
    ops.update(reg["manager"], it, version=it.version, owner=reg["agent"])
    assert Notification.objects.filter(
        recipient=reg["agent"], subject__startswith="You own the improvement"
    ).exists()


def test_the_due_date_is_told_once(reg, clock, item):
    clock(t(3, 1))
    it = item(due_date=dt.date(2026, 4, 1))
    ops.transition(reg["manager"], it, to=Status.APPROVED, version=it.version)
    assert ops.notify_due(t(3, 31)) == 0
    assert ops.notify_due(t(4, 1, 10)) == 1
    assert ops.notify_due(t(4, 2)) == 0  # idempotent
    told = Notification.objects.filter(recipient=reg["improver"], subject__contains="is due")
    assert told.count() == 1
    assert "due_date_reached" in _actions(it)


def test_an_approved_item_without_an_owner_is_an_ownership_gap(reg, item):
    it = item()
    assert not [g for g in gaps.collect() if g["kind"] == "improvement_without_owner"]
    it = ops.transition(reg["manager"], it, to=Status.APPROVED, version=it.version)
    ops.update(reg["manager"], it, version=it.version, owner=None)
    found = [g for g in gaps.collect() if g["kind"] == "improvement_without_owner"]
    assert [g["record"]["id"] for g in found] == [it.pk]
    assert found[0]["fix_by"]["kind"] in {"user", "role"}
