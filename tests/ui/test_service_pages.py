"""The service list and detail pages, and the global search."""

from __future__ import annotations

import pytest
from django.urls import reverse

from steward.services import operations as service_ops


def names(response) -> list[str]:
    return [s.name for s in response.context["page_obj"]]


def test_agent_sees_every_service(client_for, agent, portfolio):
    response = client_for(agent).get(reverse("services:list"))
    assert names(response) == ["Mortgage Portal", "Online Banking", "Treasury Desk"]


def test_requester_sees_only_live_services_of_their_organization(client_for, requester, portfolio):
    client = client_for(requester)
    assert names(client.get(reverse("services:list"))) == ["Online Banking"]
    assert (
        client.get(reverse("services:detail", args=[portfolio["own_live"].pk])).status_code == 200
    )
    for hidden in ["own_pipeline", "other_live"]:
        url = reverse("services:detail", args=[portfolio[hidden].pk])
        assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "pipeline"}, ["Mortgage Portal"]),
        ({"criticality": "2"}, ["Treasury Desk"]),
        ({"q": "internet"}, ["Online Banking"]),
        ({"q": "treas", "status": "live"}, ["Treasury Desk"]),
        ({"sort": "-name"}, ["Treasury Desk", "Online Banking", "Mortgage Portal"]),
        ({"sort": "criticality"}, ["Online Banking", "Treasury Desk", "Mortgage Portal"]),
        ({"sort": "bogus"}, ["Mortgage Portal", "Online Banking", "Treasury Desk"]),
    ],
)
def test_service_list_filters_and_sorts(client_for, agent, portfolio, params, expected):
    assert names(client_for(agent).get(reverse("services:list"), params)) == expected


def test_service_list_filters_by_owner(client_for, agent, portfolio, make_service, make_user):
    other = make_user("otto", roles=["agent", "service_owner"])
    make_service("Payroll", owner=other)
    response = client_for(agent).get(reverse("services:list"), {"owner": other.pk})
    assert names(response) == ["Payroll"]


def test_sort_headers_toggle_and_announce_the_order(client_for, agent, portfolio):
    html = client_for(agent).get(reverse("services:list"), {"sort": "name"}).content.decode()
    assert (
        '<th scope="col" aria-sort="ascending"><a class="sort sort--ascending" href="?sort=-name">'
        in html
    )


def test_service_detail_shows_owner_criticality_customers_and_history(client_for, agent, portfolio):
    service = portfolio["own_live"]
    service_ops.update_service(None, service, version=service.version, criticality=2)
    html = client_for(agent).get(reverse("services:detail", args=[service.pk])).content.decode()
    for text in [
        "Olivia Owner",
        "2 – High",
        "Live",
        "Retail Banking",
        "Internet banking for retail customers.",
        "History",
        "1 – Critical",
    ]:
        assert text in html
    assert "badge--criticality-2" in html


def test_requester_sees_no_history_and_only_their_own_organization(
    client_for, requester, portfolio, make_org
):
    service = portfolio["own_live"]
    service.customers.add(make_org("Wealth"))
    response = client_for(requester).get(reverse("services:detail", args=[service.pk]))
    html = response.content.decode()
    assert "Retail Banking" in html
    assert "Wealth" not in html
    assert response.context["history"] is None


def test_search_finds_what_the_user_may_see(client_for, agent, requester, portfolio, group):
    agent_hits = client_for(agent).get(reverse("core:search"), {"q": "a"}).context
    assert agent_hits["too_short"]
    response = client_for(agent).get(reverse("core:search"), {"q": "desk"})
    kinds = {hit.kind: hit.title for s in response.context["sections"] for hit in s["hits"]}
    assert kinds == {"service": "Treasury Desk", "group": "Service Desk"}
    people = client_for(agent).get(reverse("core:search"), {"q": "olivia"}).context["sections"]
    assert [h.title for s in people for h in s["hits"]] == ["Olivia Owner"]


def test_requester_search_finds_only_own_live_services(client_for, requester, portfolio, group):
    client = client_for(requester)
    titles = [
        h.title
        for s in client.get(reverse("core:search"), {"q": "o"}).context["sections"]
        for h in s["hits"]
    ]
    assert titles == []  # too short
    for q, expected in [
        ("banking", ["Online Banking"]),
        ("portal", []),
        ("treasury", []),
        ("desk", []),
        ("olivia", []),
    ]:
        sections = client.get(reverse("core:search"), {"q": q}).context["sections"]
        assert [h.title for s in sections for h in s["hits"]] == expected, q
