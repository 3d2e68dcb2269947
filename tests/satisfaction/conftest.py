"""Fixtures of the satisfaction tests: ``sat`` builds on the shared ``world`` (two
organisations, one person per role, three services, the Network group managed by the agent)
and resolves incidents through the incidents operations."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from steward.core import clock
from steward.incidents import operations as incident_ops
from steward.people.choices import Role
from steward.satisfaction import operations as ops
from steward.satisfaction import tokens
from steward.satisfaction.models import Survey


@pytest.fixture
def sat(world, make_user):
    people = dict(world["people"])
    people["manager"] = people["agent"]  # the Network group's manager
    people["fixer"] = world["owner"]  # a member of Network (and the services' owner)
    people["staff"] = make_user("staff", roles=[Role.AGENT])  # IT, no group
    return {**world, "people": people}


@pytest.fixture
def resolved(sat):
    """resolved(caller=requester, title=..., group=Network, assignee=fixer) -> an incident
    raised for ``caller`` and resolved now (by the administrator)."""
    people = sat["people"]

    def make(caller=None, *, title="Printer jams on floor 3", group=None, assignee=None):
        caller = caller or people["requester"]
        admin = people["admin"]
        incident = incident_ops.open_incident(
            admin,
            title=title,
            caller=caller,
            impact=3,
            urgency=3,
            service=sat["services"]["retail_live"],
            owning_group=group or sat["group"],
        )
        if assignee is not False:
            incident = incident_ops.assign(admin, incident, assignee=assignee or people["fixer"])
        incident = incident_ops.transition(admin, incident, "in_progress")
        return incident_ops.transition(
            admin,
            incident,
            "resolved",
            resolution_code="solved",
            resolution_notes="Cleared the paper path.",
        )

    return make


@pytest.fixture
def offered(resolved):
    """offered(caller=requester, **incident) -> (survey, token): an incident resolved and its
    survey offered by the job."""

    def make(caller=None, **kwargs):
        incident = resolved(caller, **kwargs)
        ops.offer_surveys(timezone.now() + dt.timedelta(seconds=1))
        from steward.satisfaction.models import Survey

        survey = Survey.objects.get(record_type="incidents.incident", record_id=incident.pk)
        return survey, tokens.token_of(survey)

    return make


@pytest.fixture
def at():
    """at(moment) -> a context manager running the block on the simulated clock."""
    return clock.simulated


JAN = dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC)
FEB = dt.datetime(2026, 2, 10, 9, tzinfo=dt.UTC)
MAR = dt.datetime(2026, 3, 31, 23, 59, tzinfo=dt.UTC)

_ids = iter(range(1, 10_000))


@pytest.fixture
def hand_built(sat, make_user):
    """Ten surveys (the test data of the results; written directly, to know every figure):

    ===== ======= ======= ====== ===== ==========
    month service group   agent  score
    ===== ======= ======= ====== ===== ==========
    Jan   banking network fixer  5
    Jan   banking network fixer  4
    Jan   banking network fixer  2
    Jan   banking network —      —     (unanswered)
    Feb   banking network fixer  1
    Feb   treas.  other   other  5
    Feb   treas.  other   other  3
    Feb   treas.  other   other  —     (unanswered)
    Mar   —       other   other  4     (Mar 31 23:59 UTC)
    Apr   banking network fixer  1     (outside a Jan to Mar period)
    ===== ======= ======= ====== ===== ==========
    """
    from steward.people import operations as people_ops

    people = sat["people"]
    other_agent = make_user("other_agent")
    other = people_ops.create_group(None, name="Other", members=[other_agent])
    banking, treasury = sat["services"]["retail_live"], sat["services"]["corporate_live"]
    network, fixer = sat["group"], people["fixer"]

    def survey(sent, service, group, agent, score):
        record_id = next(_ids)
        Survey.objects.create(
            token_digest=tokens.digest(tokens.token("incidents.incident", record_id)),
            record_type="incidents.incident",
            record_id=record_id,
            record_label=f"INC{record_id:07d}",
            respondent=people["requester"],
            service=service,
            group=group,
            agent=agent,
            organization=people["requester"].organization,
            sent_at=sent,
            expires_at=sent + dt.timedelta(days=14),
            answered_at=sent + dt.timedelta(hours=2) if score else None,
            score=score,
        )

    for score in (5, 4, 2):
        survey(JAN, banking, network, fixer, score)
    survey(JAN, banking, network, None, None)
    survey(FEB, banking, network, fixer, 1)
    for score in (5, 3, None):
        survey(FEB, treasury, other, other_agent, score)
    survey(MAR, None, other, other_agent, 4)
    survey(dt.datetime(2026, 4, 1, tzinfo=dt.UTC), banking, network, fixer, 1)
    return {
        "banking": banking,
        "treasury": treasury,
        "network": network,
        "other": other,
        "fixer": fixer,
        "other_agent": other_agent,
    }


#: The first quarter of 2026: the hand-built set's period (April left out).
Q1 = (dt.datetime(2026, 1, 1, tzinfo=dt.UTC), dt.datetime(2026, 4, 1, tzinfo=dt.UTC))
