"""A hand-built February and March 2026 of knowledge work, written through the operations on
the simulated clock, for the measures, the KPIs and the metrics page (helper C's tests).

Groups: Front desk (agent, contributor, coach), Back office (candidate). Incidents are raised
by the agent for the neighbour (so that the requester's own incidents are only I6).

February: K5 written 1 Feb, validated 2 Feb, archived 15 Feb; K1 written 20 Feb by the
contributor (Online Banking, Network), validated 22 Feb; I0 raised 24 Feb, K1 linked 25 Feb
(reuse), resolved 25 Feb; K4 written 25 Feb 09:00 by the candidate (Online Banking); the
agent flags K1 27 Feb 21:00 (F4); the requester searches 28 Feb.

March (every time 2026-03, UTC):

====  =========  ======================================================================
when  who        what
====  =========  ======================================================================
1 09  contrib.   writes K3 (Online Banking); 15:00 the admin validates it (6 h)
2 03  contrib.   fixes F4 (27 Feb 21:00 -> 2 Mar 03:00 = 54 h)
2 09  admin      validates K4 (25 Feb 09:00 -> 2 Mar 09:00 = 120 h)
2 09  agent      raises I1 (Front desk, Online Banking), assigned to themselves
2 10  agent      links K1 to I1 (reuse: K1 is older)
2 15  admin      makes K3 public (1 Mar 09:00 -> 2 Mar 15:00 = 30 h)
3 09  agent      flags K1 (F1); resolves I1
3 10  coach      reviews K4: no defect (R1)
3 13  contrib.   fixes F1 (4 h)
4 09  agent      raises I2 (Back office, Treasury) for the candidate
4 09  admin      shows K4 to Retail's customers (25 Feb 09:00 -> 4 Mar 09:00 = 168 h)
4 12  candidate  writes K2 from I2 (Treasury, Database): a create link
5 09  candidate  resolves I2; the requester flags K3 (F2)
5 10  requester  searches (S1): their next incident is I6, 8 Mar 12:00 (> 24 h): success
6 09  agent      raises I3 (Front desk, Online Banking), assigned to themselves
6 12  admin      validates K2 (4 Mar 12:00 -> 6 Mar 12:00 = 48 h)
6 15  agent      resolves I3 (no article)
7 09  agent      raises I4 (Front desk, Online Banking) for the contributor
7 09  contrib.   dismisses F2 (48 h)
7 09  admin      reviews K2: complete, title, links wanting (3 + 2 + 1 = 6) (R2)
8 08  requester  views K3 (V1): followed by I6 at 12:00, no deflection
8 09  requester  searches (S2): followed by I6 at 12:00, no success
8 12  requester  raises I6 themselves (Online Banking)
9 10  outsider   searches (S3): success; the coach writes a work note on I4
10 09 outsider   views K3 (V2): deflected; the admin makes K1 public (20 Feb 09:00 ->
                 10 Mar 09:00 = 432 h); the contributor resolves I4 (no article)
12 09 agent      raises I5 (Front desk, Online Banking); 10:00 the contributor links K1
20 09 agent      flags K4 (F3, stays open); the requester views K4 (V3): deflected
21 09 coach      reviews K4: not unique (3) (R3)
====  =========  ======================================================================
"""

from __future__ import annotations

import datetime as dt

import pytest

from steward.core import clock
from steward.incidents import operations as incident_ops
from steward.incidents.operations.common import SERVICE_DESK
from steward.knowledge import operations as ops
from steward.knowledge.choices import (
    Audience,
    Confidence,
    FlagReason,
    FlagStatus,
    PortalEventKind,
    QualityCriterion,
)
from steward.people import operations as people_ops

UTC = dt.UTC
FEBRUARY = (dt.datetime(2026, 2, 1, tzinfo=UTC), dt.datetime(2026, 3, 1, tzinfo=UTC))
MARCH = (dt.datetime(2026, 3, 1, tzinfo=UTC), dt.datetime(2026, 4, 1, tzinfo=UTC))


def at(day: int, hour: int = 9, month: int = 3) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=UTC)


@pytest.fixture
def history(kb):
    """Build the two months above; returns the people, groups, articles and incidents."""
    people = kb["people"]
    admin, agent = people["admin"], people["agent"]
    contributor, candidate, coach = people["contributor"], people["candidate"], people["coach"]
    requester, outsider, neighbour = people["requester"], people["outsider"], people["neighbour"]
    banking, treasury = kb["services"]["retail_live"], kb["services"]["corporate_live"]
    network, database = kb["categories"]["network"], kb["categories"]["database"]
    front = people_ops.create_group(
        None, name="Front desk", manager=agent, members=[agent, contributor, coach]
    )
    back = people_ops.create_group(None, name="Back office", manager=candidate, members=[candidate])
    people_ops.create_group(None, name=SERVICE_DESK)  # where the requester's own incident goes

    def write(actor, title, **fields):
        fields.setdefault("services", [banking])
        return ops.create_article(
            actor,
            title=title,
            issue=f"{title}: what the caller saw",
            resolution="Restart",
            **fields,
        )

    def confidence(article, target):
        article.refresh_from_db()
        return ops.set_confidence(admin, article, target, version=article.version)

    def audience(article, target, organizations=()):
        article.refresh_from_db()
        return ops.set_audience(
            admin, article, target, version=article.version, organizations=organizations
        )

    def raise_incident(group, service, assignee=None, actor=agent, caller=neighbour):
        incident = incident_ops.open_incident(
            actor,
            title="Transfers fail",
            caller=caller,
            impact=2,
            urgency=2,
            service=service,
            owning_group=group if actor.is_it else None,
        )
        if assignee is not None:
            incident = incident_ops.assign(actor, incident, assignee)
        return incident

    def resolve(actor, incident):
        incident.refresh_from_db()
        incident_ops.transition(actor, incident, "in_progress")
        incident_ops.transition(
            actor, incident, "resolved", resolution_code="solved", resolution_notes="Done"
        )

    def portal(person, kind, article=None):
        return ops.record_portal_event(person, kind=kind, article=article, query="transfer")

    with clock.simulated(at(1, month=2)):
        k5 = write(contributor, "Old token reader")
        clock.set(at(2, month=2))
        confidence(k5, Confidence.VALIDATED)
        clock.set(at(15, month=2))
        confidence(k5, Confidence.ARCHIVED)
        clock.set(at(20, month=2))
        k1 = write(contributor, "Transfers time out", category=network)
        clock.set(at(22, month=2))
        confidence(k1, Confidence.VALIDATED)
        clock.set(at(24, month=2))
        i0 = raise_incident(front, banking, agent)
        clock.set(at(25, month=2))
        ops.link_article(agent, i0, k1)
        resolve(agent, i0)
        k4 = write(candidate, "Token expired", category=network)
        clock.set(at(27, 21, month=2))
        f4 = ops.flag_article(agent, k1, reason=FlagReason.OUTDATED)
        clock.set(at(28, 10, month=2))
        portal(requester, PortalEventKind.SEARCH)
        # March
        clock.set(at(1))
        k3 = write(contributor, "Reset the card reader")
        clock.set(at(1, 15))
        confidence(k3, Confidence.VALIDATED)
        clock.set(at(2, 3))
        ops.resolve_flag(contributor, f4, status=FlagStatus.FIXED)
        clock.set(at(2))
        confidence(k4, Confidence.VALIDATED)
        i1 = raise_incident(front, banking, agent)
        clock.set(at(2, 10))
        ops.link_article(agent, i1, k1)
        clock.set(at(2, 15))
        audience(k3, Audience.PUBLIC)
        clock.set(at(3))
        f1 = ops.flag_article(agent, k1, reason=FlagReason.WRONG)
        resolve(agent, i1)
        clock.set(at(3, 10))
        k4.refresh_from_db()
        ops.review_article(coach, k4, defects=[])
        clock.set(at(3, 13))
        ops.resolve_flag(contributor, f1, status=FlagStatus.FIXED)
        clock.set(at(4))
        i2 = raise_incident(back, treasury, candidate)
        audience(k4, Audience.CUSTOMERS, [kb["orgs"]["retail"]])
        clock.set(at(4, 12))
        k2 = write(candidate, "Treasury export", services=[treasury], category=database,
                   created_from=i2)  # fmt: skip
        clock.set(at(5))
        resolve(candidate, i2)
        f2 = ops.flag_article(requester, k3, reason=FlagReason.UNCLEAR)
        clock.set(at(5, 10))
        portal(requester, PortalEventKind.SEARCH)
        clock.set(at(6))
        i3 = raise_incident(front, banking, agent)
        clock.set(at(6, 12))
        confidence(k2, Confidence.VALIDATED)
        clock.set(at(6, 15))
        resolve(agent, i3)
        clock.set(at(7))
        i4 = raise_incident(front, banking, contributor)
        ops.resolve_flag(contributor, f2, status=FlagStatus.DISMISSED)
        k2.refresh_from_db()
        defects = [QualityCriterion.COMPLETE, QualityCriterion.TITLE, QualityCriterion.LINKS]
        ops.review_article(admin, k2, defects=defects)
        clock.set(at(8, 8))
        portal(requester, PortalEventKind.VIEW, k3)
        clock.set(at(8))
        portal(requester, PortalEventKind.SEARCH)
        clock.set(at(8, 12))
        i6 = raise_incident(None, banking, actor=requester, caller=requester)
        clock.set(at(9, 10))
        portal(outsider, PortalEventKind.SEARCH)
        incident_ops.add_comment(coach, i4, body="Tried the reset, no luck")
        clock.set(at(10))
        portal(outsider, PortalEventKind.VIEW, k3)
        audience(k1, Audience.PUBLIC)
        resolve(contributor, i4)
        clock.set(at(12))
        i5 = raise_incident(front, banking)
        clock.set(at(12, 10))
        ops.link_article(contributor, i5, k1)
        clock.set(at(20))
        ops.flag_article(agent, k4, reason=FlagReason.OUTDATED)
        portal(requester, PortalEventKind.VIEW, k4)
        clock.set(at(21))
        k4.refresh_from_db()
        ops.review_article(coach, k4, defects=[QualityCriterion.UNIQUE])
    return {
        **kb,
        "groups": {"front": front, "back": back},
        "articles": {"k1": k1, "k2": k2, "k3": k3, "k4": k4, "k5": k5},
        "incidents": {"i0": i0, "i1": i1, "i2": i2, "i3": i3, "i4": i4, "i5": i5, "i6": i6},
    }
