"""The approvals API: my approvals, deciding, delegations — happy paths against the OpenAPI
document (ApiClient), bad input on every endpoint (422 naming the field, nothing written),
isolation (a requester approver sees only what they are asked; others' are 404)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from steward.approvals import operations as ops
from steward.approvals.choices import Decision, Kind, State
from steward.approvals.models import ApprovalRequest, Approver, Delegation
from steward.people.choices import Role


@pytest.fixture
def org(make_org):
    return make_org()


@pytest.fixture
def manager(make_user, org):
    """A requester who is someone's line manager: decides from the API like IT staff."""
    return make_user("mgr", roles=[Role.REQUESTER], organization=org)


@pytest.fixture
def step(stand, record, make_user, manager):
    asker = make_user("asker")
    (made,) = ops.request_approval(
        asker, record, steps=[ops.StepSpec("Line manager", users=((manager, Kind.LINE_MANAGER),))]
    )
    return made


def test_my_pending_approvals_and_decide(api_as, step, manager, stand):
    api = api_as(manager)
    status, body = api.get("approvals")
    assert status == 200 and body["count"] == 1
    item = body["items"][0]
    assert item["id"] == step.pk and item["may_decide"] is True and item["state"] == "pending"
    assert item["approvers"][0]["user"]["username"] == "mgr"
    status, body = api.post(
        f"approvals/{step.pk}/decision", {"decision": "approved", "version": item["version"]}
    )
    assert status == 200, body
    assert body["state"] == "approved" and body["may_decide"] is False
    assert body["approvers"][0]["decided_by"]["username"] == "mgr"
    assert stand.completed == [("approved", 1, "")]
    assert api.get("approvals")[1]["count"] == 0
    status, body = api.get("approvals", state="decided")
    assert [i["id"] for i in body["items"]] == [step.pk]
    status, body = api.get("approvals", state="all")
    assert body["count"] == 1
    status, body = api.get(f"approvals/{step.pk}")
    assert status == 200 and body["state"] == "approved"


def test_reject_needs_a_reason_and_twice_is_409(api_as, step, manager, stand):
    api = api_as(manager)
    status, body = api.post(f"approvals/{step.pk}/decision", {"decision": "rejected"})
    assert status == 422 and "comment" in body["error"]["fields"]
    assert not Approver.objects.exclude(decision=Decision.PENDING).exists()
    status, body = api.post(
        f"approvals/{step.pk}/decision", {"decision": "rejected", "comment": "Not now"}
    )
    assert status == 200 and body["approvers"][0]["comment"] == "Not now"
    status, body = api.post(f"approvals/{step.pk}/decision", {"decision": "approved"})
    assert status == 409
    assert stand.completed == [("rejected", 1, "Not now")]


@pytest.mark.parametrize(
    "payload, field",
    [
        ({}, "decision"),
        ({"decision": "maybe"}, "decision"),
        ({"decision": 1}, "decision"),
        ({"decision": "approved", "comment": 5}, "comment"),
        ({"decision": "approved", "comment": "x" * 4001}, "comment"),
        ({"decision": "approved", "version": 0}, "version"),
        ({"decision": "approved", "version": "1"}, "version"),
        ({"decision": "approved", "extra": 1}, "extra"),
        ({"decision": "approved", "comment": "bad\x00"}, "comment"),
    ],
)
def test_decision_bad_input(api_as, step, manager, payload, field):
    status, body = api_as(manager).post(f"approvals/{step.pk}/decision", payload)
    assert status == 422, body
    assert field in body["error"]["fields"]
    step.refresh_from_db()
    assert step.state == State.PENDING
    assert not Approver.objects.exclude(decision=Decision.PENDING).exists()


def test_stale_version_is_409(api_as, step, manager):
    status, body = api_as(manager).post(
        f"approvals/{step.pk}/decision", {"decision": "approved", "version": step.version + 3}
    )
    assert status == 409 and "version" in body["error"]["fields"]
    step.refresh_from_db()
    assert step.state == State.PENDING


def test_bad_query_and_path(api_as, manager):
    api = api_as(manager)
    status, body = api.get("approvals", state="everything")
    assert status == 422 and "state" in body["error"]["fields"]
    status, body = api.get("approvals", limit=0)
    assert status == 422 and "limit" in body["error"]["fields"]
    assert api.get("approvals/0")[0] == 422
    assert api.get("approvals/999999")[0] == 404


def test_requester_sees_only_what_they_are_asked(api_as, step, make_user, org, make_org):
    colleague = make_user("colleague", roles=[Role.REQUESTER], organization=org)
    stranger = make_user("stranger", roles=[Role.REQUESTER], organization=make_org())
    for person in (colleague, stranger):
        api = api_as(person)
        for state in ("pending", "decided", "all"):
            status, body = api.get("approvals", state=state)
            assert status == 200 and body["count"] == 0 and body["items"] == []
        status, body = api.get(f"approvals/{step.pk}")
        assert status == 404
        status, body = api.post(f"approvals/{step.pk}/decision", {"decision": "approved"})
        assert status == 404
    step.refresh_from_db()
    assert step.state == State.PENDING


def test_it_staff_see_a_step_but_may_not_decide_it(api_as, step, make_user):
    agent = make_user("someone")
    api = api_as(agent)
    status, body = api.get(f"approvals/{step.pk}")
    assert status == 200 and body["may_decide"] is False
    assert api.get("approvals")[1]["count"] == 0
    status, body = api.post(f"approvals/{step.pk}/decision", {"decision": "approved"})
    assert status == 403 and "approver" in body["error"]["fields"]


def test_self_approval_refused_in_the_api(api_as, step, manager, stand):
    stand.excluded = {manager.pk}
    status, body = api_as(manager).post(f"approvals/{step.pk}/decision", {"decision": "approved"})
    assert status == 403
    assert body["error"]["fields"]["approver"] == ["Nobody approves their own request."]


def test_delegations_api(api_as, step, manager, make_user, org):
    stand_in = make_user("standin", roles=[Role.REQUESTER], organization=org)
    api = api_as(manager)
    ends = (timezone.now() + dt.timedelta(days=2)).isoformat()
    status, body = api.post("delegations", {"delegate": stand_in.pk, "ends_at": ends})
    assert status == 201, body
    assert body["active"] is True and body["user"]["username"] == "mgr"
    delegation_id = body["id"]
    status, listed = api_as(stand_in).get("delegations")
    assert listed["count"] == 1
    status, body = api_as(stand_in).get("approvals")
    assert [i["id"] for i in body["items"]] == [step.pk]
    status, body = api_as(stand_in).post(f"approvals/{step.pk}/decision", {"decision": "approved"})
    assert status == 200
    assert body["approvers"][0]["on_behalf_of"]["username"] == "mgr"
    assert body["approvers"][0]["decided_by"]["username"] == "standin"
    status, body = api.delete(f"delegations/{delegation_id}")
    assert status == 200 and body["active"] is False
    assert api.delete(f"delegations/{delegation_id}")[0] == 409
    assert api.get("delegations", active="true")[1]["count"] == 0


@pytest.mark.parametrize(
    "payload, field",
    [
        ({}, "delegate"),
        ({"delegate": 0, "ends_at": "2099-01-01T00:00:00Z"}, "delegate"),
        ({"delegate": "SELF", "ends_at": "2099-01-01T00:00:00Z"}, "delegate"),
        ({"delegate": "OTHER"}, "ends_at"),
        ({"delegate": "OTHER", "ends_at": "yesterday"}, "ends_at"),
        ({"delegate": "OTHER", "ends_at": 12345}, "ends_at"),
        ({"delegate": "OTHER", "ends_at": "2001-01-01T00:00:00Z"}, "ends_at"),
        ({"delegate": "OTHER", "ends_at": "2099-01-01T00:00:00Z", "reason": "a\nb"}, "reason"),
        ({"delegate": "STRANGER", "ends_at": "2099-01-01T00:00:00Z"}, "delegate"),
        ({"delegate": "OTHER", "ends_at": "2099-01-01T00:00:00Z", "nope": 1}, "nope"),
    ],
)
def test_delegation_bad_input(api_as, manager, make_user, org, make_org, payload, field):
    other = make_user("other", roles=[Role.REQUESTER], organization=org)
    stranger = make_user("stranger", roles=[Role.REQUESTER], organization=make_org())
    names = {"SELF": manager.pk, "OTHER": other.pk, "STRANGER": stranger.pk}
    payload = {k: names.get(v, v) if isinstance(v, str) else v for k, v in payload.items()}
    status, body = api_as(manager).post("delegations", payload)
    assert status == 422, body
    assert field in body["error"]["fields"], body
    assert not Delegation.objects.exists()


def test_only_admins_delegate_for_others(api_as, manager, make_user, org, admin_user):
    other = make_user("other", roles=[Role.REQUESTER], organization=org)
    payload = {"user": other.pk, "delegate": manager.pk, "ends_at": "2099-01-01T00:00:00Z"}
    status, body = api_as(manager).post("delegations", payload)
    assert status == 403 and "user" in body["error"]["fields"]
    status, body = api_as(admin_user).post("delegations", payload)
    assert status == 201 and body["created_by"]["username"] == "admin"


def test_others_delegations_are_404(api_as, manager, make_user, org, make_org):
    other = make_user("other", roles=[Role.REQUESTER], organization=org)
    row = ops.delegate(
        manager,
        user=manager,
        delegate=other,
        starts_at=timezone.now(),
        ends_at=timezone.now() + dt.timedelta(days=1),
    )
    stranger = make_user("stranger", roles=[Role.REQUESTER], organization=make_org())
    assert api_as(stranger).get("delegations")[1]["count"] == 0
    assert api_as(stranger).delete(f"delegations/{row.pk}")[0] == 404
    assert api_as(manager).delete("delegations/0")[0] == 422
    row.refresh_from_db()
    assert row.is_active()


def test_list_query_count_is_constant(api_as, stand, record, make_user, manager, make_org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    asker = make_user("asker")
    api = api_as(manager)
    orgs = [make_org() for _ in range(6)]

    def ask(o):
        ops.request_approval(asker, o, steps=[ops.StepSpec("LM", users=((manager, "user"),))])

    ask(orgs[0])
    api.get("approvals")  # the token's first use is written once
    with CaptureQueriesContext(connection) as one:
        api.get("approvals")
    for o in orgs[1:]:
        ask(o)
    with CaptureQueriesContext(connection) as six:
        _, body = api.get("approvals")
    assert body["count"] == 6
    assert len(six) == len(one), "\n".join(
        [q["sql"][:90] for q in one.captured_queries]
        + ["----"]
        + [q["sql"][:90] for q in six.captured_queries]
    )
    assert ApprovalRequest.objects.count() == 6
