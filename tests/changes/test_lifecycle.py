"""The change lifecycle through its operations: raising, editing, every transition and guard
(each refusal names its fields), the review, incidents caused, versions and who may act."""

from __future__ import annotations

import datetime as dt

import pytest

from steward.approvals.models import ApprovalRequest
from steward.changes import operations as ops
from steward.changes.choices import ChangeType, Status
from steward.changes.models import ChangeRequest, ChangeReview, Conflict
from steward.core import journal
from steward.core.errors import (
    Conflict as ConflictError,
)
from steward.core.errors import (
    NotFound,
    StaleVersion,
    TransitionNotAllowed,
    ValidationError,
)
from steward.incidents import operations as incident_ops
from tests.changes.conftest import PLANS, approve_all, bring_to, next_window

pytestmark = pytest.mark.django_db


def actions(change) -> list[str]:
    return [e.action for e in journal.history(change)]


def template_for(desk, **fields):
    fields.setdefault("name", "Restart app01")
    fields.setdefault("owning_group", desk["groups"]["platform"])
    fields.setdefault("cis", [desk["cis"]["app01"]])
    fields.setdefault("tasks", ["Drain", "Restart", "Undrain"])
    return ops.create_template(desk["people"]["cm"], **PLANS, **fields)


# --- raising ------------------------------------------------------------------------------------


def test_raising_a_change_numbers_it_and_journals_it(desk, make_change):
    change = make_change()

    assert change.number.startswith("CHG")
    assert change.status == Status.NEW
    assert change.type == ChangeType.NORMAL
    assert change.requester == desk["people"]["agent"]
    assert list(change.cis.all()) == [desk["cis"]["app01"]]
    assert change.version == 1
    entry = journal.history(change).get()
    assert entry.action == "created"
    assert entry.changes["number"] == [None, change.number]
    assert entry.changes["cis"] == [None, ["app01"]]


def test_a_requester_is_answered_as_if_there_were_no_changes(desk, make_change):
    requester = desk["people"]["requester"]
    change = make_change()

    with pytest.raises(NotFound):
        make_change(actor=requester)
    with pytest.raises(NotFound):
        ops.update_change(requester, change, version=change.version, title="Mine")
    with pytest.raises(NotFound):
        ops.move_change(requester, change, Status.ASSESS)
    with pytest.raises(NotFound):
        ops.link_incidents(requester, change, [])
    change.refresh_from_db()
    assert (change.status, change.title, change.version) == (Status.NEW, change.title, 1)


def test_the_owner_and_implementer_are_active_it_staff(desk, make_change):
    with pytest.raises(ValidationError) as refused:
        make_change(owner=desk["people"]["requester"])
    assert "owner" in refused.value.fields
    with pytest.raises(ValidationError) as refused:
        make_change(implementer=desk["people"]["requester"])
    assert "implementer" in refused.value.fields


def test_a_planned_window_has_both_ends_in_order(desk, make_change):
    start, end = next_window()
    with pytest.raises(ValidationError) as refused:
        make_change(planned_start=start, planned_end=None)
    assert "planned_end" in refused.value.fields
    with pytest.raises(ValidationError) as refused:
        make_change(planned_start=end, planned_end=start)
    assert "planned_end" in refused.value.fields
    assert not ChangeRequest.objects.exists()


def test_a_standard_change_comes_from_an_active_template(desk, make_change):
    template = template_for(desk, risk="moderate", impact="low")

    change = make_change(template=template, implementation_plan="ignored", cis=[])

    assert change.type == ChangeType.STANDARD
    assert change.template == template
    assert change.implementation_plan == PLANS["implementation_plan"]
    assert change.risk == "moderate"
    assert change.impact == "low"
    assert change.risk_reasons == [
        {"source": "template", "label": "Restart app01", "risk": "moderate"}
    ]
    assert list(change.cis.all()) == [desk["cis"]["app01"]]
    assert change.tasks == ["Drain", "Restart", "Undrain"]

    with pytest.raises(ValidationError) as refused:
        make_change(type=ChangeType.STANDARD)
    assert "template" in refused.value.fields

    ops.update_template(desk["people"]["cm"], template, version=template.version, is_active=False)
    with pytest.raises(ValidationError) as refused:
        make_change(template=template)
    assert "template" in refused.value.fields
    change.refresh_from_db()  # the steps it was authorized with stay the change's
    assert change.tasks == ["Drain", "Restart", "Undrain"]
    assert make_change().tasks == []  # a normal change has no template steps


def test_a_standard_change_needs_no_approval_and_keeps_its_plans(desk, make_change):
    change = make_change(template=template_for(desk))

    bring_to(change, Status.AUTHORIZE, desk)
    assert change.authorized_at is not None
    assert not ApprovalRequest.objects.filter(
        subject_type="changes.changerequest", subject_id=change.pk
    ).exists()  # nobody was asked
    ops.move_change(desk["people"]["agent"], change, Status.SCHEDULED)
    change.refresh_from_db()
    assert change.status == Status.SCHEDULED

    with pytest.raises(ConflictError) as refused:
        ops.update_change(
            desk["people"]["agent"], change, version=change.version, backout_plan="Other"
        )
    assert "backout_plan" in refused.value.fields


# --- the lifecycle ------------------------------------------------------------------------------


def test_a_change_goes_all_the_way_and_stamps_each_step(desk, make_change):
    change = make_change()

    bring_to(change, Status.REVIEW, desk)
    assert change.started_at is not None
    assert change.finished_at is not None
    assert change.outcome == "successful"
    assert change.authorized_at is not None
    ops.move_change(desk["people"]["agent"], change, Status.CLOSED, outcome_notes="All good")
    change.refresh_from_db()

    assert change.status == Status.CLOSED
    assert change.closed_at >= change.finished_at >= change.started_at >= change.authorized_at
    assert change.outcome_notes == "All good"
    moves = [e.changes["status"] for e in journal.history(change) if e.action == "status_changed"]
    assert moves == [
        ["new", "assess"],
        ["assess", "authorize"],
        ["authorize", "scheduled"],
        ["scheduled", "implement"],
        ["implement", "review"],
        ["review", "closed"],
    ]


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (Status.NEW, Status.SCHEDULED),
        (Status.ASSESS, Status.CLOSED),
        (Status.IMPLEMENT, Status.CANCELLED),
        (Status.CLOSED, Status.ASSESS),
        (Status.CANCELLED, Status.NEW),
    ],
)
def test_a_move_not_in_the_table_is_refused_naming_the_allowed_ones(
    desk, make_change, start, target
):
    change = bring_to(make_change(), start, desk)
    version = change.version

    with pytest.raises(TransitionNotAllowed) as refused:
        ops.move_change(desk["people"]["agent"], change, target, cancel_reason="x")

    assert "to" in refused.value.fields
    change.refresh_from_db()
    assert (change.status, change.version) == (start, version)


def test_an_unknown_state_is_refused(desk, make_change):
    with pytest.raises(ValidationError) as refused:
        ops.move_change(desk["people"]["agent"], make_change(), "done")
    assert "to" in refused.value.fields


def test_authorization_needs_the_four_plans_and_a_ci_or_service(desk, make_change):
    change = make_change(
        cis=[], implementation_plan="", backout_plan="", test_plan="", communication_plan=""
    )
    bring_to(change, Status.ASSESS, desk)

    with pytest.raises(ValidationError) as refused:
        ops.move_change(desk["people"]["agent"], change, Status.AUTHORIZE)

    assert set(refused.value.fields) == {
        "implementation_plan",
        "backout_plan",
        "test_plan",
        "communication_plan",
        "cis",
    }
    assert "the backout plan" in refused.value.message
    change.refresh_from_db()
    assert change.status == Status.ASSESS

    ops.update_change(
        desk["people"]["agent"],
        change,
        version=change.version,
        services=[desk["services"]["intranet"]],
        **PLANS,
    )
    ops.move_change(desk["people"]["agent"], change, Status.AUTHORIZE)
    change.refresh_from_db()
    assert change.status == Status.AUTHORIZE


def test_an_emergency_change_enters_authorization_without_the_plans(desk, make_change):
    change = make_change(type=ChangeType.EMERGENCY, backout_plan="", test_plan="")
    bring_to(change, Status.AUTHORIZE, desk)
    assert change.status == Status.AUTHORIZE


def test_scheduling_needs_the_authorization_and_a_window(desk, make_change):
    change = bring_to(make_change(planned_start=None), Status.AUTHORIZE, desk)

    with pytest.raises(ValidationError) as refused:
        ops.move_change(desk["people"]["agent"], change, Status.SCHEDULED)

    assert set(refused.value.fields) == {"approvals", "planned_start"}
    start, end = next_window()
    ops.update_change(
        desk["people"]["agent"],
        change,
        version=change.version,
        planned_start=start,
        planned_end=end,
    )
    approve_all(change, desk)
    ops.move_change(desk["people"]["agent"], change, Status.SCHEDULED)
    change.refresh_from_db()
    assert change.status == Status.SCHEDULED


def test_a_conflict_blocks_scheduling_until_the_change_manager_overrides_it(desk, make_change):
    first = make_change()
    second = make_change(planned_start=first.planned_start, planned_end=first.planned_end)
    bring_to(second, Status.AUTHORIZE, desk)
    approve_all(second, desk)

    with pytest.raises(ValidationError) as refused:
        ops.move_change(desk["people"]["agent"], second, Status.SCHEDULED)
    assert set(refused.value.fields) == {"conflicts"}

    ops.override_conflicts(desk["people"]["cm"], second, reason="Same team, one window")
    ops.move_change(desk["people"]["agent"], second, Status.SCHEDULED)
    second.refresh_from_db()
    assert second.status == Status.SCHEDULED


def test_moving_a_change_away_clears_the_conflicts_of_both(desk, make_change):
    first = make_change()
    second = make_change(planned_start=first.planned_start, planned_end=first.planned_end)
    assert Conflict.objects.filter(change=first, other_change=second).exists()
    assert Conflict.objects.filter(change=second, other_change=first).exists()

    start, end = next_window()
    ops.update_change(
        desk["people"]["agent"],
        second,
        version=second.version,
        planned_start=start,
        planned_end=end,
    )

    assert not Conflict.objects.filter(change__in=[first, second]).exists()


def test_closing_needs_an_outcome(desk, make_change):
    change = bring_to(make_change(), Status.IMPLEMENT, desk)
    ops.move_change(desk["people"]["agent"], change, Status.REVIEW)

    with pytest.raises(ValidationError) as refused:
        ops.move_change(desk["people"]["agent"], change, Status.CLOSED)
    assert set(refused.value.fields) == {"outcome"}

    with pytest.raises(ValidationError) as refused:
        ops.move_change(desk["people"]["agent"], change, Status.CLOSED, outcome="great")
    assert set(refused.value.fields) == {"outcome"}

    ops.move_change(desk["people"]["agent"], change, Status.CLOSED, outcome="successful")
    change.refresh_from_db()
    assert (change.status, change.outcome) == (Status.CLOSED, "successful")


def test_the_outcome_is_recorded_only_when_implementation_ends(desk, make_change):
    change = make_change()
    with pytest.raises(ValidationError) as refused:
        ops.move_change(desk["people"]["agent"], change, Status.ASSESS, outcome="failed")
    assert "outcome" in refused.value.fields


@pytest.mark.parametrize(
    ("fields", "outcome"),
    [
        ({}, "failed"),
        ({}, "backed_out"),
        ({"type": ChangeType.EMERGENCY}, "successful"),
    ],
)
def test_a_failed_or_emergency_change_closes_only_after_its_review(
    desk, make_change, fields, outcome
):
    change = bring_to(make_change(**fields), Status.REVIEW, desk, outcome=outcome)

    with pytest.raises(ValidationError) as refused:
        ops.move_change(desk["people"]["agent"], change, Status.CLOSED)
    assert set(refused.value.fields) == {"review"}

    ops.record_review(
        desk["people"]["agent"],
        change,
        what_happened="The JVM did not start",
        cause="A missing library",
        follow_ups=[{"action": "Add the library to the image", "owner": desk["people"]["impl"]}],
    )
    ops.move_change(desk["people"]["agent"], change, Status.CLOSED)
    change.refresh_from_db()
    assert change.status == Status.CLOSED


def test_a_high_risk_change_closes_only_after_its_review(desk, make_change):
    ops.create_risk_rule(
        desk["people"]["cm"], name="Outage", kind="outage_expected", minimum="high"
    )
    change = make_change(outage_expected=True, outage_minutes=30)
    assert change.risk == "high"
    change = bring_to(change, Status.REVIEW, desk)

    with pytest.raises(ValidationError) as refused:
        ops.move_change(desk["people"]["agent"], change, Status.CLOSED)
    assert set(refused.value.fields) == {"review"}


def test_cancelling_needs_a_reason_and_ends_the_change(desk, make_change):
    change = bring_to(make_change(), Status.SCHEDULED, desk)

    with pytest.raises(ValidationError) as refused:
        ops.move_change(desk["people"]["agent"], change, Status.CANCELLED, cancel_reason="  ")
    assert set(refused.value.fields) == {"cancel_reason"}

    ops.move_change(
        desk["people"]["agent"], change, Status.CANCELLED, cancel_reason="Vendor withdrew the fix"
    )
    change.refresh_from_db()
    assert change.status == Status.CANCELLED
    assert change.cancel_reason == "Vendor withdrew the fix"
    assert change.closed_at is not None
    entry = journal.history(change).filter(action="status_changed").last()
    assert entry.comment == "Vendor withdrew the fix"


def test_going_back_to_assess_starts_a_new_round_of_authorization(desk, make_change):
    change = bring_to(make_change(), Status.SCHEDULED, desk)
    assert change.approval_round == 1 and change.authorized_at is not None

    ops.move_change(desk["people"]["agent"], change, Status.ASSESS)
    change.refresh_from_db()

    assert change.approval_round == 2
    assert change.authorized_at is None
    ops.move_change(desk["people"]["agent"], change, Status.AUTHORIZE)
    with pytest.raises(ValidationError) as refused:
        ops.move_change(desk["people"]["agent"], change, Status.SCHEDULED)
    assert set(refused.value.fields) == {"approvals"}


def test_a_stale_version_is_refused_and_nothing_is_written(desk, make_change):
    change = make_change()
    entries = journal.history(change).count()

    with pytest.raises(StaleVersion):
        ops.move_change(desk["people"]["agent"], change, Status.ASSESS, version=7)
    with pytest.raises(StaleVersion):
        ops.update_change(
            desk["people"]["agent"], change, version=7, title="Other", cis=[desk["cis"]["web01"]]
        )

    change.refresh_from_db()
    assert (change.status, change.version, change.title) == (Status.NEW, 1, change.title)
    assert list(change.cis.all()) == [desk["cis"]["app01"]]
    assert journal.history(change).count() == entries


# --- editing ------------------------------------------------------------------------------------


def test_editing_a_change_is_journaled_field_by_field(desk, make_change):
    change = make_change()

    ops.update_change(
        desk["people"]["agent"],
        change,
        version=1,
        title="Upgrade the JVM on app01 and web01",
        cis=[desk["cis"]["app01"], desk["cis"]["web01"]],
    )

    change.refresh_from_db()
    assert change.version == 2
    entry = journal.history(change).last()
    assert entry.action == "updated"
    assert entry.changes["title"] == ["Upgrade the JVM on app01", change.title]
    assert entry.changes["cis"] == [["app01"], ["app01", "web01"]]


def test_editing_refuses_unknown_fields_and_empty_required_ones(desk, make_change):
    change = make_change()
    with pytest.raises(ValidationError) as refused:
        ops.update_change(desk["people"]["agent"], change, version=1, status="closed")
    assert set(refused.value.fields) == {"status"}
    with pytest.raises(ValidationError) as refused:
        ops.update_change(desk["people"]["agent"], change, version=1, title=None)
    assert set(refused.value.fields) == {"title"}
    with pytest.raises(ValidationError) as refused:
        ops.update_change(desk["people"]["agent"], change, version=1, type="standard")
    assert set(refused.value.fields) == {"type"}


def test_a_scheduled_change_keeps_its_window_and_cis(desk, make_change):
    change = bring_to(make_change(), Status.SCHEDULED, desk)
    start, end = next_window()

    with pytest.raises(ConflictError) as refused:
        ops.update_change(
            desk["people"]["agent"],
            change,
            version=change.version,
            planned_start=start,
            planned_end=end,
            cis=[desk["cis"]["web01"]],
        )
    assert set(refused.value.fields) == {"planned_start", "planned_end", "cis"}
    assert "Assess" in refused.value.message

    ops.update_change(
        desk["people"]["agent"],
        change,
        version=change.version,
        cis=[desk["cis"]["app01"]],
        description="Same CIs, more words",
    )
    change.refresh_from_db()
    assert change.description == "Same CIs, more words"


def test_a_change_being_implemented_or_ended_is_no_longer_edited(desk, make_change):
    change = bring_to(make_change(), Status.IMPLEMENT, desk)
    with pytest.raises(ConflictError) as refused:
        ops.update_change(desk["people"]["agent"], change, version=change.version, title="x")
    assert "status" in refused.value.fields


def test_the_type_is_settled_before_authorization(desk, make_change):
    change = make_change()
    ops.update_change(desk["people"]["agent"], change, version=1, type=ChangeType.EMERGENCY)
    change.refresh_from_db()
    assert change.type == ChangeType.EMERGENCY
    bring_to(change, Status.AUTHORIZE, desk)
    with pytest.raises(ConflictError) as refused:
        ops.update_change(
            desk["people"]["agent"], change, version=change.version, type=ChangeType.NORMAL
        )
    assert "type" in refused.value.fields


# --- the review and the incidents caused --------------------------------------------------------


def test_the_review_is_written_once_implementation_began(desk, make_change):
    change = make_change()
    with pytest.raises(ConflictError) as refused:
        ops.record_review(desk["people"]["agent"], change, what_happened="Nothing yet")
    assert "status" in refused.value.fields

    bring_to(change, Status.IMPLEMENT, desk)
    with pytest.raises(ValidationError) as refused:
        ops.record_review(
            desk["people"]["agent"],
            change,
            what_happened="It went wrong",
            follow_ups=[{"action": "", "owner": 999999, "due": "tomorrow"}],
        )
    assert set(refused.value.fields) == {
        "follow_ups.0.action",
        "follow_ups.0.owner",
        "follow_ups.0.due",
    }
    with pytest.raises(ValidationError) as refused:
        ops.record_review(desk["people"]["agent"], change, what_happened="  ")
    assert set(refused.value.fields) == {"what_happened"}

    ops.record_review(
        desk["people"]["agent"],
        change,
        what_happened="It went wrong",
        follow_ups=[
            {"action": "Test restores", "owner": desk["people"]["impl"].pk, "due": "2027-01-31"}
        ],
        version=change.version,
    )
    review = ChangeReview.objects.get(change=change)
    assert review.follow_ups == [
        {"action": "Test restores", "owner": desk["people"]["impl"].pk, "due": "2027-01-31"}
    ]
    assert review.recorded_by == desk["people"]["agent"]
    assert "review_recorded" in actions(change)


def test_incidents_caused_by_a_change_are_linked_and_unlinked(desk, make_change):
    change = bring_to(make_change(), Status.CLOSED, desk)
    incident = incident_ops.open_incident(
        desk["people"]["agent"],
        title="Online banking is down",
        caller=desk["people"]["requester"],
        impact=1,
        urgency=1,
        service=desk["services"]["retail_live"],
        owning_group=desk["groups"]["network"],
    )

    ops.link_incident(desk["people"]["agent"], change, incident)
    assert ops.link_incident(desk["people"]["agent"], change, incident) is None

    assert [c.incident for c in change.caused.all()] == [incident]
    ops.unlink_incident(desk["people"]["agent"], change, incident)
    assert not change.caused.exists()
    with pytest.raises(NotFound):
        ops.unlink_incident(desk["people"]["agent"], change, incident)
    assert actions(change)[-2:] == ["incidents_linked", "incident_unlinked"]


def test_the_system_raises_a_change_for_its_owner(desk, make_change):
    change = ops.create_change(
        None,
        title="Rotate certificates",
        owning_group=desk["groups"]["platform"],
        owner=desk["people"]["peer"],
        cis=[desk["cis"]["web01"]],
    )
    assert change.requester == desk["people"]["peer"]
    with pytest.raises(ValidationError) as refused:
        ops.create_change(None, title="Nobody's", owning_group=desk["groups"]["platform"])
    assert "owner" in refused.value.fields


def test_windows_are_utc_and_half_open(desk, make_change):
    """Back to back on the same CI: no conflict (the planned window is [start, end))."""
    first = make_change()
    second = make_change(
        planned_start=first.planned_end, planned_end=first.planned_end + dt.timedelta(hours=1)
    )
    assert not Conflict.objects.filter(change__in=[first, second]).exists()
