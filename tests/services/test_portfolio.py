"""The service portfolio: owners sign up, supporting groups by line, dependencies, reviews."""

from __future__ import annotations

import datetime as dt

import pytest

from steward.core.models import JournalEntry
from steward.notifications.models import Notification
from steward.ownership import gaps
from steward.people import operations as people_ops
from steward.services import operations as ops
from steward.services.models import Service

pytestmark = pytest.mark.django_db


def kinds_for(service) -> set[str]:
    return {
        g["kind"]
        for g in gaps.collect()
        if g["record"]["type"] == "service" and g["record"]["id"] == service.pk
    }


def test_a_named_owner_must_accept_and_until_then_it_is_a_gap(world, api_as):
    service = ops.create_service(world["people"]["admin"], name="Intranet", owner=world["owner"])
    assert service.owner_accepted_at is None
    assert "service_ownership_not_accepted" in kinds_for(service)
    assert Notification.objects.filter(
        recipient=world["owner"], subject__startswith="Please accept ownership"
    ).exists()
    status, body = api_as(world["owner"]).post(f"services/{service.pk}/ownership/accept")
    assert status == 200 and body["owner_accepted_at"] and body["pending_owner"] is None
    assert "service_ownership_not_accepted" not in kinds_for(service)


def test_an_admin_creating_a_service_they_own_needs_no_acceptance(world):
    admin = world["people"]["admin"]
    service = ops.create_service(admin, name="Intranet", owner=admin)
    assert service.owner_accepted_at is not None


def test_a_change_of_owner_waits_for_the_new_owners_acceptance(world, api_as, make_user):
    service = world["services"]["retail_live"]
    successor = make_user("successor", roles=["agent", "service_owner"])
    admin = api_as(world["people"]["admin"])
    status, body = admin.patch(
        f"services/{service.pk}", {"version": service.version, "owner": successor.pk}
    )
    assert status == 200
    assert body["owner"]["username"] == "owner" and body["pending_owner"]["username"] == "successor"
    assert (
        api_as(world["people"]["agent"]).post(f"services/{service.pk}/ownership/accept")[0] == 403
    )
    status, body = api_as(successor).post(f"services/{service.pk}/ownership/accept")
    assert status == 200 and body["owner"]["username"] == "successor"
    entry = JournalEntry.objects.for_record(service).filter(action="ownership_accepted").last()
    assert entry.changes["owner"][0]["name"] == str(world["owner"])
    assert entry.changes["owner"][1]["name"] == str(successor)


def test_declining_needs_a_reason_and_keeps_the_current_owner(world, api_as, make_user):
    service = world["services"]["retail_live"]
    successor = make_user("successor", roles=["agent"])
    ops.propose_owner(world["people"]["admin"], service, successor)
    client = api_as(successor)
    status, body = client.post(f"services/{service.pk}/ownership/decline", {"reason": ""})
    assert status == 422 and "reason" in body["error"]["fields"]
    status, body = client.post(
        f"services/{service.pk}/ownership/decline", {"reason": "I do not run this service"}
    )
    assert status == 200 and body["owner"]["username"] == "owner" and body["pending_owner"] is None
    assert Notification.objects.filter(
        recipient=world["owner"], subject__contains="declined ownership"
    ).exists()


def test_supporting_groups_by_line_and_dependencies(world, api_as):
    admin = api_as(world["people"]["admin"])
    banking = world["services"]["retail_live"]
    treasury = world["services"]["corporate_live"]
    status, body = admin.put(
        f"services/{banking.pk}/support", {"line": "second", "groups": [world["group"].pk]}
    )
    assert status == 200 and body["support"]["second"] == [
        {"id": world["group"].pk, "name": "Network"}
    ]
    status, body = admin.put(f"services/{banking.pk}/dependencies", {"depends_on": [treasury.pk]})
    assert status == 200 and body["depends_on"] == [{"id": treasury.pk, "name": "Treasury"}]
    status, body = admin.put(f"services/{banking.pk}/dependencies", {"depends_on": [banking.pk]})
    assert status == 422 and "depends_on" in body["error"]["fields"]
    status, body = admin.put(f"services/{banking.pk}/support", {"line": "fourth", "groups": []})
    assert status == 422 and "line" in body["error"]["fields"]
    assert (
        api_as(world["people"]["agent"]).put(
            f"services/{banking.pk}/support", {"line": "first", "groups": []}
        )[0]
        == 403
    )


def test_a_past_review_date_is_a_gap(world, api_as):
    service = world["services"]["retail_live"]
    admin = api_as(world["people"]["admin"])
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    assert (
        admin.patch(
            f"services/{service.pk}", {"version": service.version, "review_date": yesterday}
        )[0]
        == 200
    )
    assert "service_review_overdue" in kinds_for(service)
    service.refresh_from_db()
    next_year = (dt.date.today() + dt.timedelta(days=365)).isoformat()
    admin.patch(f"services/{service.pk}", {"version": service.version, "review_date": next_year})
    assert "service_review_overdue" not in kinds_for(service)


def test_an_inactive_owner_cannot_be_proposed(world, make_user):
    gone = make_user("gone")
    people_ops.update_user(None, gone, version=gone.version, is_active=False)
    from steward.core.errors import ValidationError

    with pytest.raises(ValidationError):
        ops.propose_owner(world["people"]["admin"], Service.objects.first(), gone)


def test_the_proposed_owner_accepts_on_the_service_page(world, make_user):
    from django.test import Client

    service = world["services"]["retail_live"]
    successor = make_user("successor", roles=["agent"])
    ops.propose_owner(world["people"]["admin"], service, successor)
    client = Client(enforce_csrf_checks=False)
    client.force_login(successor)
    html = client.get(f"/services/{service.pk}/").content.decode()
    assert "Accept ownership" in html and "waiting to accept" in html
    assert client.get(f"/services/{service.pk}/ownership/accept/").status_code == 405
    client.post(f"/services/{service.pk}/ownership/accept/")
    service.refresh_from_db()
    assert service.owner == successor
    client.force_login(world["people"]["agent"])
    html = client.get(f"/services/{service.pk}/").content.decode()
    assert "Accept ownership" not in html and "Second line" not in html


def test_the_service_page_shows_support_lines_and_dependencies(world, client):
    banking, treasury = world["services"]["retail_live"], world["services"]["corporate_live"]
    ops.set_support(None, banking, "second", [world["group"]])
    ops.set_dependencies(None, banking, [treasury])
    client.force_login(world["people"]["agent"])
    html = client.get(f"/services/{banking.pk}/").content.decode()
    assert "Second line" in html and "Network" in html and "Depends on" in html


def test_a_service_owner_changes_their_own_service_and_no_other(world, api_as, make_user):
    service = world["services"]["retail_live"]
    owner = api_as(world["owner"])
    status, body = owner.patch(
        f"services/{service.pk}", {"version": service.version, "review_date": "2027-06-30"}
    )
    assert status == 200 and body["review_date"] == "2027-06-30"
    other = make_user("other-owner", roles=["agent", "service_owner"])
    status, body = api_as(other).patch(
        f"services/{service.pk}", {"version": body["version"], "criticality": 4}
    )
    assert status == 403
    assert Service.objects.get(pk=service.pk).criticality == 1


def test_the_lifecycle_goes_pipeline_live_retired_and_a_refused_move_names_the_allowed(
    world, api_as
):
    service = world["services"]["retail_pipeline"]
    admin = api_as(world["people"]["admin"])
    status, body = admin.patch(
        f"services/{service.pk}", {"version": service.version, "status": "live"}
    )
    assert status == 200 and body["status"] == "live"
    status, refused = admin.patch(
        f"services/{service.pk}", {"version": body["version"], "status": "pipeline"}
    )
    assert status == 409 and "status" in refused["error"]["fields"]
    assert "retired" in refused["error"]["message"]
    assert Service.objects.get(pk=service.pk).status == "live"
    status, body = admin.patch(
        f"services/{service.pk}", {"version": body["version"], "status": "retired"}
    )
    assert status == 200 and body["status"] == "retired"
