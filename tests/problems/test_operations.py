"""Problem operations: raising (directly and from incidents), editing with a version, the
known-error flag's rules, the root cause analysis record, links, applying a workaround, and
resolving the linked incidents in bulk when the fix lands."""

from __future__ import annotations

import pytest

from steward.core.errors import Conflict, StaleVersion, ValidationError
from steward.core.models import JournalEntry
from steward.incidents import operations as incident_ops
from steward.incidents.models import Comment
from steward.notifications.models import Notification, OutboundEmail
from steward.ownership import gaps
from steward.people import operations as people_ops
from steward.people.choices import Role
from steward.problems import operations as ops
from steward.problems.choices import Status
from steward.problems.models import ProblemIncident, RootCauseAnalysis, WorkaroundUse
from tests.problems.conftest import ROOT_CAUSE, bring_to, publish, record_root_cause

pytestmark = pytest.mark.django_db


def test_a_problem_gets_a_number_priority_and_a_created_entry(desk, raise_problem):
    problem = raise_problem(impact=1, urgency=1)
    assert problem.number.startswith("PRB") and len(problem.number) == 10
    assert problem.priority == 1
    assert problem.status == Status.NEW
    entry = JournalEntry.objects.for_record(problem).get()
    assert entry.action == "created"
    assert entry.changes["number"] == [None, problem.number]


def test_raised_from_incidents_it_links_them_and_takes_their_service_ci_and_category(
    desk, open_one, raise_problem
):
    db01, category = desk["cis"]["db01"], desk["categories"]["database"]
    first = open_one(affected_ci=db01, category=category)
    second = open_one(affected_ci=db01)
    problem = raise_problem(incidents=[first, second])
    assert [link.incident for link in ProblemIncident.objects.filter(problem=problem)] == [
        first,
        second,
    ]
    assert set(problem.services.all()) == {first.service}
    assert list(problem.cis.all()) == [db01]
    assert problem.category == category
    actions = set(JournalEntry.objects.for_record(first).values_list("action", flat=True))
    assert "problem_linked" in actions


def test_the_owner_must_be_active_it_staff(desk, raise_problem):
    with pytest.raises(ValidationError) as refused:
        raise_problem(owner=desk["people"]["requester"])
    assert refused.value.fields == {"owner": ["must be an active IT staff member"]}


def test_the_new_owner_is_told(desk, raise_problem):
    dba = desk["dba"]
    problem = raise_problem(owner=dba)
    assert Notification.objects.filter(recipient=dba, record_id=str(problem.pk)).count() == 1


def test_a_problem_without_owner_is_an_ownership_gap(desk, raise_problem):
    lonely = raise_problem()
    raise_problem(owner=desk["dba"])
    found = next(g for g in gaps.providers() if g.kind == "problem_without_owner").collect()
    assert [g["record"]["id"] for g in found] == [lonely.pk]
    assert found[0]["fix_by"]["id"] == desk["groups"]["database"].manager_id


def test_an_edit_with_a_stale_version_changes_nothing(desk, raise_problem):
    agent = desk["people"]["agent"]
    problem = raise_problem()
    with pytest.raises(StaleVersion):
        ops.update_problem(agent, problem, version=problem.version + 1, title="Other")
    problem.refresh_from_db()
    assert problem.title == "Database connections run out at peak"


def test_an_edit_journals_before_and_after_services_included(desk, raise_problem):
    agent = desk["people"]["agent"]
    problem = raise_problem()
    ops.update_problem(
        agent,
        problem,
        version=problem.version,
        impact=1,
        services=[desk["services"]["retail_live"]],
    )
    entry = JournalEntry.objects.for_record(problem).order_by("-id").first()
    assert entry.changes["impact"] == [2, 1]
    assert entry.changes["priority"] == [3, 2]
    assert entry.changes["services"] == [[], ["Online Banking"]]


# --- known errors -------------------------------------------------------------------------------


def test_a_known_error_needs_analysis_a_root_cause_and_a_workaround(desk, raise_problem):
    agent = desk["people"]["agent"]
    problem = raise_problem(owner=agent)
    with pytest.raises(ValidationError) as refused:
        ops.update_problem(agent, problem, version=problem.version, known_error=True)
    assert set(refused.value.fields) == {"status", "rca.root_cause", "workaround"}
    bring_to(problem, Status.ROOT_CAUSE_ANALYSIS, agent)
    with pytest.raises(ValidationError) as refused:
        ops.update_problem(
            agent, problem, version=problem.version, known_error=True, workaround="Restart"
        )
    assert set(refused.value.fields) == {"rca.root_cause"}
    record_root_cause(problem, agent)
    problem.refresh_from_db()
    ops.update_problem(
        agent, problem, version=problem.version, known_error=True, workaround="Restart"
    )
    assert problem.known_error and problem.known_error_at is not None
    entry = JournalEntry.objects.for_record(problem).order_by("-id").first()
    assert entry.action == "known_error_published"
    assert entry.changes["known_error"] == [False, True]


def test_a_known_error_keeps_its_workaround_and_its_root_cause(desk, raise_problem):
    agent = desk["people"]["agent"]
    problem = publish(raise_problem(owner=agent), agent)
    with pytest.raises(ValidationError) as refused:
        ops.update_problem(agent, problem, version=problem.version, workaround="  ")
    assert refused.value.fields == {"workaround": ["required for a known error"]}
    with pytest.raises(ValidationError) as refused:
        record_root_cause(problem, agent, root_cause="")
    assert refused.value.fields == {"root_cause": ["required while the problem is a known error"]}
    ops.update_problem(agent, problem, version=problem.version, known_error=False)
    assert problem.known_error_at is None


# --- root cause analysis ------------------------------------------------------------------------


def test_the_rca_is_recorded_whole_versioned_and_journaled(desk, raise_problem):
    agent = desk["people"]["agent"]
    problem = raise_problem()
    version = problem.version
    rca = ops.record_rca(
        agent,
        problem,
        version=version,
        method="fishbone",
        causes={"technology": ["Pool too small"], "process": ["No capacity review"]},
        root_cause=ROOT_CAUSE,
        contributing_factors=["Month-end batch"],
        evidence=["https://grafana.example.org/d/db01"],
    )
    assert rca.causes == {"technology": ["Pool too small"], "process": ["No capacity review"]}
    problem.refresh_from_db()
    assert problem.version == version + 1
    assert problem.root_cause_at is not None
    entry = JournalEntry.objects.for_record(problem).order_by("-id").first()
    assert entry.action == "rca_recorded"
    assert entry.changes["root_cause"] == [None, ROOT_CAUSE]
    with pytest.raises(StaleVersion):
        ops.record_rca(agent, problem, version=version, method="five_whys")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"method": "guessing"}, "method"),
        ({"causes": {"weather": ["rain"]}}, "causes.weather"),
        ({"whys": ["Because", " "]}, "whys.1"),
        ({"evidence": ["javascript:alert(1)"]}, "evidence.0"),
        ({"evidence": ["ftp://files.example.org/x"]}, "evidence.0"),
    ],
)
def test_a_bad_rca_is_refused_naming_the_field(desk, raise_problem, fields, field):
    agent = desk["people"]["agent"]
    problem = raise_problem()
    with pytest.raises(ValidationError) as refused:
        ops.record_rca(agent, problem, version=problem.version, **{"method": "fishbone", **fields})
    assert list(refused.value.fields) == [field]
    assert not RootCauseAnalysis.objects.filter(problem=problem).exists()


# --- links and workarounds ----------------------------------------------------------------------


def test_linking_twice_links_once(desk, open_one, raise_problem):
    agent = desk["people"]["agent"]
    problem = raise_problem()
    incident = open_one()
    assert ops.link_incidents(agent, problem, [incident, incident]) == [incident]
    assert ops.link_incidents(agent, problem, [incident]) == []
    assert ProblemIncident.objects.filter(problem=problem).count() == 1


def test_applying_a_workaround_links_notes_journals_and_counts(desk, open_one, raise_problem):
    agent = desk["people"]["agent"]
    problem = publish(raise_problem(owner=agent), agent)
    incident = open_one(affected_ci=desk["cis"]["db01"])
    ops.apply_workaround(agent, incident, problem, visibility="internal")
    assert ProblemIncident.objects.get(problem=problem).incident == incident
    note = Comment.objects.get(incident=incident)
    assert note.visibility == "internal"
    assert "Restart the connection pooler on db01" in note.body
    assert problem.number in note.body
    assert WorkaroundUse.objects.filter(problem=problem, incident=incident).count() == 1
    entry = JournalEntry.objects.for_record(problem).order_by("-id").first()
    assert entry.action == "workaround_applied"
    assert entry.changes["incident"] == [None, incident.number]


def test_a_workaround_sent_to_a_dutch_caller_opens_in_dutch(desk, open_one, raise_problem):
    caller = desk["people"]["requester"]
    people_ops.update_user(None, caller, version=caller.version, language="nl")
    agent = desk["people"]["agent"]
    problem = publish(raise_problem(owner=agent), agent)
    incident = open_one()
    ops.apply_workaround(agent, incident, problem, visibility="public")
    reply = Comment.objects.get(incident=incident)
    assert reply.visibility == "public"
    assert reply.body.startswith(f"Tijdelijke oplossing (known error {problem.number}):")


def test_only_a_published_known_error_has_a_workaround_to_apply(desk, open_one, raise_problem):
    agent = desk["people"]["agent"]
    problem = raise_problem()
    with pytest.raises(ValidationError) as refused:
        ops.apply_workaround(agent, open_one(), problem)
    assert refused.value.fields == {"problem": ["not a published known error"]}


def test_a_workaround_applies_to_open_incidents_only(desk, open_one, raise_problem):
    agent = desk["people"]["agent"]
    problem = publish(raise_problem(owner=agent), agent)
    incident = open_one()
    incident_ops.transition(agent, incident, "cancelled", comment="Raised twice")
    with pytest.raises(Conflict):
        ops.apply_workaround(agent, incident, problem)
    assert not WorkaroundUse.objects.exists()


def test_a_workaround_checks_the_incident_version_it_was_read_at(desk, open_one, raise_problem):
    agent = desk["people"]["agent"]
    problem = publish(raise_problem(owner=agent), agent)
    incident = open_one()
    with pytest.raises(StaleVersion):
        ops.apply_workaround(agent, incident, problem, version=incident.version + 1)
    assert not Comment.objects.filter(incident=incident).exists()


# --- the fix lands: bulk resolution ---------------------------------------------------------------


def test_twenty_linked_incidents_resolve_in_bulk_each_caller_told_once(
    desk, make_user, make_org, open_one, raise_problem
):
    agent = desk["people"]["agent"]
    org = make_org("Branches")
    callers = [make_user(f"caller{n}", roles=[Role.REQUESTER], organization=org) for n in range(20)]
    for caller in callers[:5]:
        people_ops.update_user(None, caller, version=caller.version, language="nl")
    incidents = [open_one(caller=c, title=f"Branch {n} offline") for n, c in enumerate(callers)]
    for incident in incidents[:7]:
        incident_ops.transition(agent, incident, "in_progress")
    incident_ops.transition(agent, incidents[1], "on_hold", hold_reason="awaiting_vendor")
    problem = raise_problem(owner=agent, incidents=incidents)
    bring_to(problem, Status.RESOLVED, agent)
    before = OutboundEmail.objects.count()

    resolved = ops.resolve_incidents(agent, problem)

    assert sorted(i.number for i in resolved) == sorted(i.number for i in incidents)
    for incident in incidents:
        incident.refresh_from_db()
        assert incident.status == "resolved"
        assert incident.resolution_notes == f"{problem.number}: Raised the pool size to 200"
    for n, caller in enumerate(callers):
        mails = OutboundEmail.objects.filter(recipient=caller, pk__gt=0).order_by("pk")
        told = [m for m in mails if m.pk > before]
        assert len(told) == 1, caller.username
        number = incidents[n].number
        expected = f"{number} is opgelost" if n < 5 else f"{number} is resolved"
        assert told[0].subject.startswith(expected)
        assert Notification.objects.filter(recipient=caller).count() == 1
    entry = JournalEntry.objects.for_record(problem).order_by("-id").first()
    assert entry.action == "incidents_resolved"
    assert len(entry.changes["incidents"][1]) == 20
    assert ops.resolve_incidents(agent, problem) == []


def test_bulk_resolution_waits_for_the_fix(desk, open_one, raise_problem):
    agent = desk["people"]["agent"]
    problem = raise_problem(owner=agent, incidents=[open_one()])
    with pytest.raises(Conflict) as refused:
        ops.resolve_incidents(agent, problem)
    assert list(refused.value.fields) == ["status"]
    bring_to(problem, Status.ROOT_CAUSE_ANALYSIS, agent)
    ops.transition(agent, problem, Status.RESOLVED, no_fix_reason="Accepted risk")
    with pytest.raises(Conflict):
        ops.resolve_incidents(agent, problem)


def test_bulk_resolution_of_chosen_incidents_refuses_unlinked_ones(desk, open_one, raise_problem):
    agent = desk["people"]["agent"]
    linked, other = open_one(), open_one()
    problem = bring_to(raise_problem(owner=agent, incidents=[linked]), Status.RESOLVED, agent)
    with pytest.raises(ValidationError) as refused:
        ops.resolve_incidents(agent, problem, numbers=[linked.number, other.number])
    assert list(refused.value.fields) == ["numbers"]
    linked.refresh_from_db()
    assert linked.status == "new"
