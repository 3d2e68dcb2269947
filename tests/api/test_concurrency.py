"""Optimistic concurrency: a stale version gets 409 and writes nothing."""

from __future__ import annotations

import pytest

from steward.core.models import JournalEntry

pytestmark = pytest.mark.django_db


def test_a_stale_version_gets_409_and_nothing_is_written(world, api_as):
    admin = api_as(world["people"]["admin"])
    service = world["services"]["retail_live"]
    status, first = admin.patch(f"services/{service.pk}", {"version": 1, "description": "first"})
    assert status == 200 and first["version"] == 2
    journal_before = JournalEntry.objects.count()

    status, body = admin.patch(f"services/{service.pk}", {"version": 1, "description": "second"})

    assert status == 409
    assert body["error"]["code"] == "stale_version"
    assert body["error"]["fields"] == {"version": ["stale: current version is 2"]}
    service.refresh_from_db()
    assert service.description == "first" and service.version == 2
    assert JournalEntry.objects.count() == journal_before


def test_version_is_required_on_every_patch(world, api_as):
    service = world["services"]["retail_live"]
    status, body = api_as(world["people"]["admin"]).patch(f"services/{service.pk}", {"name": "x"})
    assert status == 422
    assert body["error"]["fields"]["version"] == ["required"]


@pytest.mark.parametrize("resource", ["groups", "organizations", "users"])
def test_every_editable_resource_checks_its_version(world, api_as, resource):
    admin = api_as(world["people"]["admin"])
    target = {
        "groups": world["group"],
        "organizations": world["orgs"]["retail"],
        "users": world["people"]["neighbour"],
    }[resource]
    change = {
        "groups": {"description": "x"},
        "organizations": {"description": "x"},
        "users": {"job_title": "x"},
    }[resource]
    status, _ = admin.patch(f"{resource}/{target.pk}", {"version": target.version, **change})
    assert status == 200
    status, _ = admin.patch(f"{resource}/{target.pk}", {"version": target.version, **change})
    assert status == 409
