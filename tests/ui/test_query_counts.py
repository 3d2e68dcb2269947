"""List pages run a constant number of queries, however many rows they show."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from steward.people import operations as people_ops


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.fixture
def services(make_service, make_org):
    orgs = [make_org() for _ in range(3)]

    def make(n: int, start: int = 0):
        for i in range(start, start + n):
            make_service(f"Service {i:03}", customers=orgs[: i % 3 + 1], criticality=i % 4 + 1)

    return make


def test_service_list_queries_do_not_grow_with_rows(
    client_for, agent, services, django_assert_max_num_queries
):
    client = client_for(agent)
    services(5)
    few = count_queries(client, reverse("services:list"))
    services(25, start=5)
    with django_assert_max_num_queries(few):
        client.get(reverse("services:list"))
    with django_assert_max_num_queries(few + 1):  # + the owner filter's lookup
        client.get(reverse("services:list") + "?sort=-owner&criticality=2&status=live&q=Serv")


def test_group_list_and_detail_queries_do_not_grow_with_rows(
    client_for, agent, make_user, django_assert_max_num_queries
):
    client = client_for(agent)

    def groups(n, start=0):
        for i in range(start, start + n):
            members = [make_user(roles=["agent"]) for _ in range(2)]
            people_ops.create_group(None, name=f"Group {i:03}", manager=members[0], members=members)

    groups(5)
    few = count_queries(client, reverse("people:group_list"))
    groups(25, start=5)
    with django_assert_max_num_queries(few):
        client.get(reverse("people:group_list"))

    big = people_ops.create_group(None, name="Big", members=[make_user() for _ in range(5)])
    few = count_queries(client, reverse("people:group_detail", args=[big.pk]))
    people_ops.update_group(
        None,
        big,
        version=big.version,
        members=[*big.members.all(), *[make_user() for _ in range(25)]],
    )
    with django_assert_max_num_queries(few):
        client.get(reverse("people:group_detail", args=[big.pk]))


def test_search_and_detail_queries_are_bounded(
    client_for, agent, services, django_assert_max_num_queries
):
    client = client_for(agent)
    services(30)
    # a budget: one query per search provider (people, services, CIs, incidents, problems,
    # changes, requests...); it must not grow with the number of matches
    with django_assert_max_num_queries(16):
        client.get(reverse("core:search") + "?q=Service")
    from steward.services.models import Service

    service = Service.objects.first()
    # + the practice switches, read once per request, + the bell (the user's groups, the count)
    with django_assert_max_num_queries(12 + 1 + 2):
        client.get(reverse("services:detail", args=[service.pk]))
