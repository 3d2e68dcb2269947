"""Every list endpoint runs the same number of queries whatever the page size (no N+1)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from steward.people import operations as people_ops
from steward.services import operations as service_ops

pytestmark = pytest.mark.django_db


def grow(world, n: int, start: int) -> None:
    orgs = list(world["orgs"].values())
    for i in range(start, start + n):
        user = people_ops.create_user(
            None, username=f"bulk{i}", roles=["agent", "service_owner"], organization=orgs[i % 2]
        )
        people_ops.create_group(
            None, name=f"Group {i}", manager=user, members=[user, world["owner"]]
        )
        people_ops.create_organization(None, name=f"Org {i}", code=f"org{i}")
        service_ops.create_service(None, name=f"Service {i}", owner=user, customers=orgs)


def queries_for(client, path: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        status, body = client.get(path, limit=200)
    assert status == 200
    return len(ctx.captured_queries), len(body["items"])


@pytest.mark.parametrize("path", ["users", "groups", "organizations", "services"])
def test_list_endpoints_run_a_constant_number_of_queries(world, api_as, path):
    client = api_as(world["people"]["admin"], "read")
    client.get("me")  # the token's first use records last_used_at once
    grow(world, 3, 0)
    small_queries, small_rows = queries_for(client, path)
    grow(world, 25, 100)
    big_queries, big_rows = queries_for(client, path)
    assert big_rows >= small_rows + 25
    assert big_queries == small_queries, (
        f"{path}: {small_queries} queries for {small_rows} rows, {big_queries} for {big_rows}"
    )
