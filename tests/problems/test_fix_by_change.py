"""While the changes practice is on, a problem is resolved with the change that fixed it
(closed successful) or with a reason why no fix is needed; its incidents are then resolved with
the change's words. With the practice off, a description of the fix does."""

from __future__ import annotations

import datetime as dt

import pytest

from steward.changes import operations as change_ops
from steward.changes.choices import Outcome
from steward.changes.choices import Status as ChangeStatus
from steward.core import operations as core_ops
from steward.core.errors import ValidationError
from steward.problems import operations as ops
from steward.problems.choices import Status
from tests.problems.conftest import bring_to, record_root_cause

pytestmark = pytest.mark.django_db

PLANS = {
    "implementation_plan": "Change the job schedule",
    "backout_plan": "Put the old schedule back",
    "test_plan": "Watch the logins for a day",
    "communication_plan": "Tell the service desk",
}


@pytest.fixture
def changes_on(changes_off):
    core_ops.set_practice_enabled(None, "changes", True)


def change_closed(desk, outcome=Outcome.SUCCESSFUL, close=True, week=0):
    """A normal change on db01, peer-reviewed, implemented and (``close``) closed with
    ``outcome``."""
    from steward.changes.models import ChangeRequest

    agent = desk["people"]["agent"]
    start = dt.datetime(2030, 1, 5, 22, tzinfo=dt.UTC) + dt.timedelta(weeks=week)
    change = change_ops.create_change(
        agent,
        title="Purge sessions every five minutes",
        owning_group=desk["groups"]["desk"],
        owner=agent,
        cis=[desk["cis"]["db01"]],
        planned_start=start,
        planned_end=start + dt.timedelta(hours=1),
        **PLANS,
    )
    for to in (ChangeStatus.ASSESS, ChangeStatus.AUTHORIZE):
        change_ops.move_change(agent, change, to)
    # low risk (no questionnaire, no rule): a peer of the owning group authorizes it
    change_ops.decide(desk["desk2"], change, decision="approved")
    change_ops.move_change(agent, change, ChangeStatus.SCHEDULED)
    change_ops.move_change(agent, change, ChangeStatus.IMPLEMENT)
    change_ops.move_change(agent, change, ChangeStatus.REVIEW, outcome=outcome)
    if close:
        if outcome != Outcome.SUCCESSFUL:  # a failed change is reviewed before it closes
            change_ops.record_review(agent, change, what_happened="It did not work")
        change_ops.move_change(agent, change, ChangeStatus.CLOSED)
    return ChangeRequest.objects.get(pk=change.pk)


def in_fix(desk, raise_problem, open_one):
    agent = desk["people"]["agent"]
    problem = raise_problem(owner=agent, incidents=[open_one(), open_one()])
    bring_to(problem, Status.ROOT_CAUSE_ANALYSIS, agent)
    record_root_cause(problem, agent)
    problem.refresh_from_db()
    ops.transition(agent, problem, Status.FIX_IN_PROGRESS)
    problem.refresh_from_db()
    return problem


def test_with_changes_on_a_description_alone_does_not_resolve(
    changes_on, desk, raise_problem, open_one
):
    problem = in_fix(desk, raise_problem, open_one)
    with pytest.raises(ValidationError) as refused:
        ops.transition(
            desk["people"]["agent"], problem, Status.RESOLVED, fix_description="We fixed it"
        )
    assert set(refused.value.fields) == {"fix_change", "no_fix_reason"}
    problem.refresh_from_db()
    assert problem.status == Status.FIX_IN_PROGRESS


def test_a_change_not_closed_successful_is_not_the_fix(changes_on, desk, raise_problem, open_one):
    problem = in_fix(desk, raise_problem, open_one)
    for change in (change_closed(desk, close=False), change_closed(desk, Outcome.FAILED, week=1)):
        with pytest.raises(ValidationError) as refused:
            ops.transition(desk["people"]["agent"], problem, Status.RESOLVED, fix_change=change)
        assert f"{change.number} is not closed successful" in refused.value.fields["fix_change"]


def test_the_change_that_fixed_it_resolves_and_its_words_reach_the_incidents(
    changes_on, desk, raise_problem, open_one
):
    agent = desk["people"]["agent"]
    problem = in_fix(desk, raise_problem, open_one)
    change = change_closed(desk)
    ops.transition(agent, problem, Status.RESOLVED, fix_change=change)
    problem.refresh_from_db()
    assert problem.status == Status.RESOLVED and problem.fix_change == change
    assert problem.fix_description == f"{change.number} {change.title}"
    resolved = ops.resolve_incidents(agent, problem)
    assert len(resolved) == 2
    assert all(change.number in i.resolution_notes for i in resolved)


def test_a_reason_for_no_fix_still_resolves_with_changes_on(
    changes_on, desk, raise_problem, open_one
):
    problem = in_fix(desk, raise_problem, open_one)
    ops.transition(
        desk["people"]["agent"], problem, Status.RESOLVED, no_fix_reason="Supplier retired it"
    )
    problem.refresh_from_db()
    assert problem.status == Status.RESOLVED and problem.fix_change is None


def test_the_api_names_the_fix_change_and_refuses_an_unknown_one(
    changes_on, desk, raise_problem, open_one, api_as
):
    problem = in_fix(desk, raise_problem, open_one)
    change = change_closed(desk)
    client = api_as(desk["people"]["agent"])
    path = f"problems/{problem.number}/transitions"
    status, body = client.post(path, {"to": "resolved", "fix_change": "CHG9999999"})
    assert status == 422 and set(body["error"]["fields"]) == {"fix_change"}
    problem.refresh_from_db()
    assert problem.status == Status.FIX_IN_PROGRESS
    status, body = client.post(path, {"to": "resolved", "fix_change": change.number.lower()})
    assert status == 200 and body["fix_change"] == change.number


def test_the_resolve_form_asks_for_the_change_and_shows_it(
    changes_on, desk, raise_problem, open_one, client_for
):
    problem = in_fix(desk, raise_problem, open_one)
    change = change_closed(desk)
    client = client_for(desk["people"]["agent"])
    page = client.get(problem.get_absolute_url()).content.decode()
    assert "The change that fixed it" in page
    response = client.post(
        f"{problem.get_absolute_url()}move/",
        {"to": "resolved", "version": problem.version, "fix_change": "CHG0"},
    )
    assert response.status_code == 422 and "There is no change CHG0" in response.content.decode()
    response = client.post(
        f"{problem.get_absolute_url()}move/",
        {"to": "resolved", "version": problem.version, "fix_change": change.number},
    )
    assert response.status_code == 302
    page = client.get(problem.get_absolute_url()).content.decode()
    assert f'href="{change.get_absolute_url()}"' in page
