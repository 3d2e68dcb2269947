"""The service list and detail pages, and the global search."""

from __future__ import annotations

import pytest
from django.urls import reverse

from steward.core import journal
from steward.people import conflicts
from steward.services import operations as service_ops
from steward.services.forms import ServiceEditForm
from steward.services.models import Service, ServiceCI


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


# --- writing from the pages: administrators create, service owners edit their own ---------------


@pytest.fixture
def admin(make_user):
    from steward.people.choices import Role

    return make_user("ada", roles=[Role.ADMIN], last_name="Admin")


def test_an_administrator_records_a_service_and_its_owner_is_asked_to_accept(
    client_for, admin, owner, requester
):
    client = client_for(admin)
    assert client.get(reverse("services:list")).context["may_create"] is True
    response = client.post(
        reverse("services:create"),
        {
            "name": "Payroll",
            "owner": owner.pk,
            "kind": "business",
            "criticality": "2",
            "status": "pipeline",
            "review_date": "2027-01-31",
            "customers": [requester.organization.pk],
            "description": "Salaries.",
        },
    )
    service = Service.objects.get(name="Payroll")
    assert response.status_code == 302 and response["Location"] == service.get_absolute_url()
    assert (service.owner, service.criticality, service.status) == (owner, 2, "pipeline")
    assert list(service.customers.all()) == [requester.organization]
    assert service.owner_accepted_at is None
    html = client_for(owner).get(service.get_absolute_url()).content.decode()
    assert "Accept ownership" in html


def test_only_administrators_may_open_the_new_service_page(client_for, agent, owner, requester):
    assert client_for(agent).get(reverse("services:create")).status_code == 403
    assert client_for(owner).get(reverse("services:create")).status_code == 403
    assert client_for(requester).get(reverse("services:create")).status_code == 404
    assert client_for(agent).get(reverse("services:list")).context["may_create"] is False


def test_a_bad_new_service_is_named_beside_its_field_and_nothing_is_written(client_for, admin):
    response = client_for(admin).post(
        reverse("services:create"), {"name": "", "kind": "business", "criticality": "9"}
    )
    form = response.context["form"]
    assert set(form.errors) >= {"name", "owner", "criticality"}
    assert 'id="id_name_error"' in response.content.decode()
    assert not Service.objects.exists()


def edit_data(service, **changes) -> dict:
    data = ServiceEditForm.initial_for(service, conflicts.last_seen(service))
    data = {k: v for k, v in data.items() if v is not None}
    data.update(changes)
    return data


def test_the_owner_edits_customers_support_lines_dependencies_and_review_date(
    client_for, owner, portfolio, group, make_org
):
    service, treasury = portfolio["own_live"], portfolio["other_live"]
    wealth = make_org("Wealth")
    client = client_for(owner)
    page = client.get(reverse("services:edit", args=[service.pk]))
    assert page.status_code == 200
    response = client.post(
        reverse("services:edit", args=[service.pk]),
        edit_data(
            service,
            customers=[wealth.pk],
            support_first=[group.pk],
            depends_on=[treasury.pk],
            review_date="2027-03-01",
            criticality="2",
        ),
    )
    assert response.status_code == 302
    service.refresh_from_db()
    assert [o.name for o in service.customers.all()] == ["Wealth"]
    assert list(service.support.values_list("line", "group__name")) == [("first", "Service Desk")]
    assert list(service.dependencies.values_list("depends_on__name", flat=True)) == [
        "Treasury Desk"
    ]
    assert str(service.review_date) == "2027-03-01" and service.criticality == 2
    actions = set(journal.history(service).values_list("action", flat=True))
    assert {"updated", "support_set", "dependencies_set"} <= actions
    detail = client.get(service.get_absolute_url()).content.decode()
    assert "Treasury Desk" in detail and "Service Desk" in detail


def test_another_agent_may_not_edit_a_service_they_do_not_own(client_for, agent, portfolio):
    service = portfolio["own_live"]
    client = client_for(agent)
    assert client.get(reverse("services:edit", args=[service.pk])).status_code == 403
    response = client.post(reverse("services:edit", args=[service.pk]), edit_data(service))
    assert response.status_code == 403
    assert "Edit service" not in client.get(service.get_absolute_url()).content.decode()


def test_a_stale_edit_shows_who_changed_the_service_and_keeps_the_input(
    client_for, owner, admin, portfolio
):
    service = portfolio["own_live"]
    data = edit_data(service, name="Online Banking 2")
    service_ops.update_service(admin, service, version=service.version, criticality=3)
    response = client_for(owner).post(reverse("services:edit", args=[service.pk]), data)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Changed by Ada Admin" in html and "your changes were not saved" in html
    assert response.context["form"]["name"].value() == "Online Banking 2"
    service.refresh_from_db()
    assert service.name == "Online Banking" and service.criticality == 3


def test_an_empty_name_is_refused_beside_the_field(client_for, owner, portfolio):
    service = portfolio["own_live"]
    response = client_for(owner).post(
        reverse("services:edit", args=[service.pk]), edit_data(service, name="")
    )
    assert response.status_code == 422 and "name" in response.context["form"].errors
    service.refresh_from_db()
    assert service.name == "Online Banking"


def test_the_lifecycle_moves_pipeline_to_live_to_retired_and_no_further(
    client_for, owner, portfolio
):
    service = portfolio["own_pipeline"]
    client = client_for(owner)
    url = reverse("services:lifecycle", args=[service.pk])
    page = client.get(service.get_absolute_url())
    assert [state for state, _label in page.context["moves"]] == ["live", "retired"]
    assert client.post(url, {"version": service.version, "status": "live"}).status_code == 302
    service.refresh_from_db()
    assert service.status == "live"
    stale = client.post(url, {"version": service.version - 1, "status": "retired"})
    assert stale.status_code == 409 and "Someone changed the service" in stale.content.decode()
    assert client.post(url, {"version": service.version, "status": "retired"}).status_code == 302
    service.refresh_from_db()
    refused = client.post(url, {"version": service.version, "status": "live"})
    assert refused.status_code == 409
    assert "retired" in refused.context["lifecycle_error"]
    service.refresh_from_db()
    assert service.status == "retired"


def test_the_owner_proposes_a_successor_who_accepts_from_the_page(
    client_for, owner, portfolio, make_user
):
    from steward.people.choices import Role

    successor = make_user("sam", roles=[Role.AGENT], last_name="Successor")
    service = portfolio["own_live"]
    response = client_for(owner).post(
        reverse("services:propose_owner", args=[service.pk]),
        {"owner": successor.pk, "note": "You run it day to day."},
    )
    assert response.status_code == 302
    client = client_for(successor)
    page = client.get(service.get_absolute_url())
    assert "decide" in page.context["actions"]
    assert "Accept ownership" in page.content.decode()
    client.post(reverse("services:ownership_decision", args=[service.pk, "accept"]))
    service.refresh_from_db()
    assert service.owner == successor


def test_proposing_nobody_is_an_error_beside_the_field(client_for, owner, portfolio):
    service = portfolio["own_live"]
    response = client_for(owner).post(
        reverse("services:propose_owner", args=[service.pk]), {"owner": ""}
    )
    assert response.status_code == 422
    assert "owner" in response.context["propose_form"].errors


def test_the_owner_links_and_unlinks_a_ci_by_name(client_for, owner, agent, portfolio):
    service = portfolio["own_live"]
    server = service_ops.create_ci_class(None, name="Server")
    database = service_ops.create_ci_class(None, name="Database")
    ci = service_ops.create_ci(None, name="web-01", ci_class=server)
    service_ops.create_ci(None, name="shared", ci_class=server)
    service_ops.create_ci(None, name="shared", ci_class=database)
    client = client_for(owner)
    url = reverse("services:link_ci", args=[service.pk])
    assert client.post(url, {"ci": "web-01"}).status_code == 302
    link = ServiceCI.objects.get(service=service)
    assert link.ci == ci
    ambiguous = client.post(url, {"ci": "shared"})
    assert ambiguous.status_code == 422
    assert "choose the class" in ambiguous.context["link_form"].errors["ci"][0]
    assert client.post(url, {"ci": "shared", "ci_class": database.pk}).status_code == 302
    missing = client.post(url, {"ci": "nothing-here"})
    assert "No CI is named" in missing.context["link_form"].errors["ci"][0]
    assert client_for(agent).post(url, {"ci": "web-01"}).status_code == 403
    unlink = reverse("services:unlink_ci", args=[service.pk, link.pk])
    assert client.post(unlink).status_code == 302
    assert not ServiceCI.objects.filter(pk=link.pk).exists()
