"""The portal's home and menu: the surveys waiting for the person (each linking to its answer
page, never another's), the Approvals entry only when something waits, the approvals page for
IT staff who are approvers, and a bounded number of queries however much is open."""

from __future__ import annotations

import pytest
from django.urls import reverse

from steward.incidents import operations as incident_ops
from steward.satisfaction import operations as satisfaction_ops
from steward.satisfaction import queries as satisfaction_queries

pytestmark = pytest.mark.django_db


def _resolve(agent, incident):
    incident_ops.transition(agent, incident, "in_progress")
    incident_ops.transition(
        agent, incident, "resolved", resolution_code="solved", resolution_notes="Fixed"
    )


def test_the_surveys_waiting_for_me_are_on_my_home_only(world, raise_for, client_for):
    people = world["people"]
    mine = raise_for(people["requester"], title="Mine")
    theirs = raise_for(people["outsider"], title="Theirs")
    _resolve(people["agent"], mine)
    _resolve(people["agent"], theirs)
    assert satisfaction_ops.offer_surveys() == 2
    [open_survey] = satisfaction_queries.open_surveys_with_tokens(people["requester"])
    html = client_for(people["requester"]).get(reverse("portal:home")).content.decode()
    assert "Surveys waiting for you" in html and mine.number in html
    assert open_survey.url in html
    assert theirs.number not in html
    [their_survey] = satisfaction_queries.open_surveys_with_tokens(people["outsider"])
    assert their_survey.url not in html
    assert 'href="/portal/#surveys"' in html  # the menu's Surveys entry


def test_no_survey_no_surveys_section(world, client_for):
    html = client_for(world["people"]["requester"]).get(reverse("portal:home")).content.decode()
    assert "Surveys waiting for you" not in html and "#surveys" not in html


def test_the_approvals_entry_shows_only_when_something_waits(world, catalog, order, client_for):
    manager = catalog["manager"]
    approvals_url = reverse("portal:approvals")
    assert approvals_url not in client_for(manager).get(reverse("portal:home")).content.decode()
    order(world["people"]["requester"], catalog["laptop"], {"model": "standard"})
    html = client_for(manager).get(reverse("portal:home")).content.decode()
    assert approvals_url in html and "Approvals waiting" in html
    # the requester who ordered it is not asked
    assert (
        approvals_url
        not in client_for(world["people"]["requester"]).get(reverse("portal:home")).content.decode()
    )


def test_the_approval_card_says_what_is_asked(world, catalog, order, client_for):
    order(world["people"]["requester"], catalog["laptop"], {"model": "power", "reason": "Video"})
    html = client_for(catalog["manager"]).get(reverse("portal:approvals")).content.decode()
    assert "Laptop" in html and "Power user" in html and "Video" in html and "Req" in html


def test_it_staff_approve_from_the_portal_too(world, catalog, client_for):
    from steward.approvals import queries as approval_queries
    from steward.fulfilment import operations as fulfilment_ops

    group = world["group"]  # the agent manages it: the fallback approver of a line-manager step
    people = world["people"]
    loner = people["neighbour"]  # no line manager: the fulfilment group's manager approves
    request = fulfilment_ops.order(
        loner, items=[{"catalog_item": catalog["laptop"], "answers": {"model": "standard"}}]
    )
    assert group.manager == people["agent"]
    step = approval_queries.awaiting(people["agent"]).get()
    client = client_for(people["agent"])
    assert step.subject_label in client.get(reverse("portal:approvals")).content.decode()
    response = client.post(reverse("portal:approval", args=[step.pk]), {"decision": "approved"})
    assert response.status_code == 302
    item = request.items.get()
    assert item.status in ("approved", "in_progress")


def test_my_page_runs_a_bounded_number_of_queries(
    world, catalog, order, raise_for, client_for, django_assert_max_num_queries
):
    requester = world["people"]["requester"]
    for n in range(8):
        raise_for(requester, title=f"Incident {n}")
        order(requester, catalog["mouse"])
    client = client_for(requester)
    client.get(reverse("portal:my"))  # warm the per-process caches
    with django_assert_max_num_queries(20):
        response = client.get(reverse("portal:my"))
    assert response.content.decode().count("portal-list__title") == 16
    with django_assert_max_num_queries(24):
        client.get(reverse("portal:home"))
