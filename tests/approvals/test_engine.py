"""The approval engine: asking, deciding (any / all / quorum), rounds, rejection, self-approval,
delegation, cancelling — through the operations, with the records they leave."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from steward.approvals import operations as ops
from steward.approvals import queries
from steward.approvals.choices import Decision, Kind, Mode, State
from steward.approvals.models import ApprovalRequest, Approver
from steward.core.errors import Conflict, PermissionDenied, StaleVersion, ValidationError
from steward.core.models import JournalEntry
from steward.notifications.models import Notification, OutboundEmail
from steward.people import operations as people_ops
from steward.people.choices import Role


@pytest.fixture
def people(make_user):
    return {name: make_user(name) for name in ("ann", "bob", "cat", "dan", "eve")}


@pytest.fixture
def group(people):
    g = people_ops.create_group(None, name="Finance")
    g.members.set([people["bob"], people["cat"]])
    return g


def steps_of(record):
    return list(
        ApprovalRequest.objects.filter(subject_id=record.pk, subject_type="people.organization")
    )


def test_first_step_pending_rest_waiting_and_approvers_told(stand, record, people):
    ann, bob = people["ann"], people["bob"]
    made = ops.request_approval(
        ann,
        record,
        steps=[
            ops.StepSpec("Line manager", users=((bob, Kind.LINE_MANAGER),)),
            ops.StepSpec("Finance", users=((people["cat"], Kind.USER),)),
        ],
    )
    assert [r.state for r in made] == [State.PENDING, State.WAITING]
    assert made[0].subject_label == f"ORG {record.name}"
    assert made[0].remind_at > made[0].requested_at
    assert made[0].escalate_at > made[0].remind_at
    assert list(queries.awaiting(bob)) == [made[0]]
    assert list(queries.awaiting(people["cat"])) == []  # not yet their turn
    note = Notification.objects.get(recipient=bob)
    assert "Approval asked" in note.subject and note.link == f"/approvals/{made[0].pk}/"
    mail = OutboundEmail.objects.get(recipient=bob)
    assert "/approvals/act/" in mail.body
    assert not Notification.objects.filter(recipient=people["cat"]).exists()
    entry = JournalEntry.objects.for_record(record).get(action="approval_requested")
    assert entry.actor == ann and entry.changes["approval_steps"][1] == ["Line manager", "Finance"]


def test_two_steps_with_all_then_rejection_ends_the_round(stand, record, people, group):
    ann, bob, cat, dan = people["ann"], people["bob"], people["cat"], people["dan"]
    first, second = ops.request_approval(
        ann,
        record,
        steps=[
            ops.StepSpec("Finance", mode=Mode.ALL, group=group),
            ops.StepSpec("Service owner", users=((dan, Kind.SERVICE_OWNER),)),
        ],
    )
    # mode all: one pending row per member, taken when the step opened
    assert sorted(first.approvers.values_list("user__username", flat=True)) == ["bob", "cat"]
    ops.decide(bob, first, decision="approved")
    first.refresh_from_db()
    assert first.state == State.PENDING  # cat has not decided yet
    ops.decide(cat, first, decision="approved", comment="fine")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == State.APPROVED and second.state == State.PENDING
    assert list(queries.awaiting(dan)) == [second]
    with pytest.raises(ValidationError) as no_reason:
        ops.decide(dan, second, decision="rejected")
    assert "comment" in no_reason.value.fields
    ops.decide(dan, second, decision="rejected", comment="Too expensive")
    second.refresh_from_db()
    assert second.state == State.REJECTED and second.decided_at is not None
    assert stand.completed == [("rejected", 2, "Too expensive")]
    decided = JournalEntry.objects.for_record(record).filter(action="approval_decided")
    assert decided.count() == 3
    assert decided.last().comment == "Too expensive"


def test_all_approved_calls_on_complete_once(stand, record, people):
    ann, bob = people["ann"], people["bob"]
    (step,) = ops.request_approval(ann, record, steps=[ops.StepSpec("One", users=((bob, "user"),))])
    ops.decide(bob, step, decision="approved")
    assert stand.completed == [("approved", 1, "")]
    assert stand.steps == [State.APPROVED]


def test_rejection_cancels_waiting_steps(stand, record, people):
    ann, bob, cat = people["ann"], people["bob"], people["cat"]
    first, second = ops.request_approval(
        ann,
        record,
        steps=[
            ops.StepSpec("One", users=((bob, "user"),)),
            ops.StepSpec("Two", users=((cat, "user"),)),
        ],
    )
    ops.decide(bob, first, decision="rejected", comment="No budget")
    second.refresh_from_db()
    assert second.state == State.CANCELLED
    assert second.approvers.get().decision == Decision.CANCELLED
    assert stand.completed == [("rejected", 1, "No budget")]
    with pytest.raises(Conflict):
        ops.decide(cat, second, decision="approved")


def test_self_approval_refused(stand, record, people, group):
    ann, bob = people["ann"], people["bob"]
    stand.excluded = {bob.pk}
    (step,) = ops.request_approval(
        ann,
        record,
        steps=[ops.StepSpec("Finance", group=group)],  # bob and cat
    )
    assert list(queries.awaiting(bob)) == []
    assert queries.refusal(bob, step) == ("approver", "Nobody approves their own request.")
    with pytest.raises(PermissionDenied) as refused:
        ops.decide(bob, step, decision="approved")
    assert refused.value.fields == {"approver": ["Nobody approves their own request."]}
    assert not Approver.objects.filter(request=step).exists()
    assert stand.completed == []


def test_a_step_only_the_excluded_could_decide_is_refused(stand, record, people):
    ann = people["ann"]
    stand.excluded = {ann.pk}
    with pytest.raises(ValidationError) as refused:
        ops.request_approval(ann, record, steps=[ops.StepSpec("Self", users=((ann, "user"),))])
    assert "approvers" in refused.value.fields
    assert not ApprovalRequest.objects.exists()


def test_quorum_larger_than_the_group_refused(stand, record, people, group):
    with pytest.raises(ValidationError) as refused:
        ops.request_approval(
            people["ann"], record, steps=[ops.StepSpec("CAB", group=group, quorum=3)]
        )
    assert "quorum" in refused.value.fields


def test_any_with_quorum_needs_that_many(stand, record, people, group):
    ann, bob, cat = people["ann"], people["bob"], people["cat"]
    (step,) = ops.request_approval(ann, record, steps=[ops.StepSpec("CAB", group=group, quorum=2)])
    assert not step.approvers.exists()  # any + group: rows appear as people decide
    row = ops.decide(bob, step, decision="approved")
    assert row.kind == Kind.GROUP and row.user == bob and row.decided_by == bob
    step.refresh_from_db()
    assert step.state == State.PENDING
    ops.decide(cat, step, decision="approved")
    step.refresh_from_db()
    assert step.state == State.APPROVED
    assert stand.completed == [("approved", 1, "")]


def test_role_holders_decide(stand, record, people, make_user):
    manager = make_user("cm", roles=[Role.CHANGE_MANAGER])
    (step,) = ops.request_approval(
        people["ann"], record, steps=[ops.StepSpec("CAB", role=Role.CHANGE_MANAGER)]
    )
    assert step in queries.awaiting(manager)
    assert step not in queries.awaiting(people["bob"])
    with pytest.raises(PermissionDenied):
        ops.decide(people["bob"], step, decision="approved")
    ops.decide(manager, step, decision="approved")
    assert stand.completed == [("approved", 1, "")]


def test_still_missing_holds_the_step(stand, record, people, group):
    stand.missing = "a change manager among the approvers"
    (step,) = ops.request_approval(people["ann"], record, steps=[ops.StepSpec("CAB", group=group)])
    ops.decide(people["bob"], step, decision="approved")
    step.refresh_from_db()
    assert step.state == State.PENDING and stand.completed == []
    stand.missing = None
    ops.decide(people["cat"], step, decision="approved")
    step.refresh_from_db()
    assert step.state == State.APPROVED


def test_deciding_twice_and_outsiders_refused(stand, record, people, group):
    ann, bob, eve = people["ann"], people["bob"], people["eve"]
    (step,) = ops.request_approval(ann, record, steps=[ops.StepSpec("CAB", group=group, quorum=2)])
    ops.decide(bob, step, decision="approved")
    with pytest.raises(Conflict) as twice:
        ops.decide(bob, step, decision="approved")
    assert "approver" in twice.value.fields
    with pytest.raises(PermissionDenied) as outsider:
        ops.decide(eve, step, decision="approved")
    assert outsider.value.fields["approver"] == ["You are not among the approvers of this step."]
    with pytest.raises(ValidationError) as bad:
        ops.decide(people["cat"], step, decision="maybe")
    assert "decision" in bad.value.fields
    assert step.approvers.count() == 1


def test_stale_version_refused(stand, record, people):
    (step,) = ops.request_approval(
        people["ann"], record, steps=[ops.StepSpec("One", users=((people["bob"], "user"),))]
    )
    with pytest.raises(StaleVersion):
        ops.decide(people["bob"], step, decision="approved", version=step.version + 5)
    assert step.approvers.get().decision == Decision.PENDING
    ops.decide(people["bob"], step, decision="approved", version=step.version)


def test_a_new_round_asks_again(stand, record, people):
    spec = [ops.StepSpec("One", users=((people["bob"], "user"),))]
    (first,) = ops.request_approval(people["ann"], record, steps=spec)
    ops.decide(people["bob"], first, decision="rejected", comment="not yet")
    with pytest.raises(Conflict):
        ops.request_approval(people["ann"], record, steps=spec, round=1)
    (again,) = ops.request_approval(people["ann"], record, steps=spec, round=2)
    assert again.state == State.PENDING and again.round == 2
    assert queries.current_round("people.organization", record.pk) == 2
    flow = queries.flow("people.organization", record.pk)
    assert [(r.round, r.state) for r in flow] == [(1, State.REJECTED), (2, State.PENDING)]


def test_cancel_round(stand, record, people):
    ops.request_approval(
        people["ann"],
        record,
        steps=[
            ops.StepSpec("One", users=((people["bob"], "user"),)),
            ops.StepSpec("Two", users=((people["cat"], "user"),)),
        ],
    )
    assert ops.cancel_round(people["ann"], record, reason="withdrawn") == 2
    assert {r.state for r in steps_of(record)} == {State.CANCELLED}
    assert not Approver.objects.filter(decision=Decision.PENDING).exists()
    assert list(queries.awaiting(people["bob"])) == []
    assert ops.cancel_round(people["ann"], record) == 0
    assert JournalEntry.objects.for_record(record).filter(action="approval_cancelled").count() == 1


def test_delegate_decides_on_behalf(stand, record, people):
    ann, bob, dan = people["ann"], people["bob"], people["dan"]
    now = timezone.now()
    (step,) = ops.request_approval(ann, record, steps=[ops.StepSpec("One", users=((bob, "user"),))])
    assert list(queries.awaiting(dan)) == []
    ops.delegate(bob, user=bob, delegate=dan, starts_at=now, ends_at=now + dt.timedelta(days=3))
    assert list(queries.awaiting(dan)) == [step]
    row = ops.decide(dan, step, decision="approved")
    assert (row.user, row.decided_by, row.on_behalf_of) == (bob, dan, bob)
    entry = JournalEntry.objects.for_record(record).get(action="approval_decided")
    assert entry.changes["on_behalf_of"][1]["id"] == bob.pk
    assert stand.completed == [("approved", 1, "")]


def test_delegate_of_an_excluded_person_cannot_decide_for_them(stand, record, people, group):
    ann, bob, dan = people["ann"], people["bob"], people["dan"]
    now = timezone.now()
    ops.delegate(bob, user=bob, delegate=dan, starts_at=now, ends_at=now + dt.timedelta(days=3))
    stand.excluded = {bob.pk}
    (step,) = ops.request_approval(ann, record, steps=[ops.StepSpec("Finance", group=group)])
    with pytest.raises(PermissionDenied):
        ops.decide(dan, step, decision="approved")


def test_delegation_rules(stand, people):
    ann, bob, dan = people["ann"], people["bob"], people["dan"]
    now = timezone.now()
    with pytest.raises(PermissionDenied):
        ops.delegate(ann, user=bob, delegate=dan, starts_at=now, ends_at=now + dt.timedelta(1))
    with pytest.raises(ValidationError) as same:
        ops.delegate(bob, user=bob, delegate=bob, starts_at=now, ends_at=now + dt.timedelta(1))
    assert "delegate" in same.value.fields
    with pytest.raises(ValidationError) as backwards:
        ops.delegate(bob, user=bob, delegate=dan, starts_at=now, ends_at=now - dt.timedelta(1))
    assert "ends_at" in backwards.value.fields
    first = ops.delegate(bob, user=bob, delegate=dan, starts_at=now, ends_at=now + dt.timedelta(5))
    with pytest.raises(ValidationError) as overlap:
        ops.delegate(
            bob,
            user=bob,
            delegate=ann,
            starts_at=now + dt.timedelta(1),
            ends_at=now + dt.timedelta(2),
        )
    assert "starts_at" in overlap.value.fields
    assert Notification.objects.filter(recipient=dan).exists()
    ended = ops.end_delegation(bob, first, version=first.version)
    assert not ended.is_active()
    with pytest.raises(Conflict):
        ops.end_delegation(bob, ended)
    with pytest.raises(PermissionDenied):
        later = ops.delegate(
            bob, user=bob, delegate=dan, starts_at=now, ends_at=now + dt.timedelta(2)
        )
        ops.end_delegation(people["eve"], later)


def test_visibility_for_user(stand, record, people, make_user, make_org):
    ann, eve = people["ann"], people["eve"]
    requester = make_user("req", roles=[Role.REQUESTER], organization=make_org())
    (step,) = ops.request_approval(
        ann, record, steps=[ops.StepSpec("One", users=((requester, Kind.LINE_MANAGER),))]
    )
    assert list(ApprovalRequest.objects.for_user(requester)) == [step]
    other = make_user("req2", roles=[Role.REQUESTER], organization=requester.organization)
    assert list(ApprovalRequest.objects.for_user(other)) == []
    assert list(ApprovalRequest.objects.for_user(eve)) == [step]  # IT staff see every step
    assert step in queries.awaiting(requester)
