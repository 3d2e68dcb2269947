"""Major incidents: declaring (role and reason), stakeholder updates through the outbox, linked
children, and no closing before the post-incident review."""

from __future__ import annotations

import pytest

from steward.core.errors import PermissionDenied, ValidationError
from steward.incidents import operations as ops
from steward.notifications.models import Notification, OutboundEmail

pytestmark = pytest.mark.django_db

RESOLVE = {"resolution_code": "solved", "resolution_notes": "Failed over to site B"}


@pytest.fixture
def major(desk, open_one):
    manager = desk["dbmanager"]
    incident = open_one(title="Online banking down for everyone", impact=1, urgency=1)
    child = open_one(title="Cannot log in", caller=desk["people"]["neighbour"], parent=incident)
    ops.add_watcher(desk["people"]["agent"], incident, desk["dba"])
    ops.declare_major(manager, incident, reason="All retail customers affected", manager=manager)
    return incident, child


def test_only_group_managers_and_admins_declare_and_a_reason_is_needed(desk, open_one):
    incident = open_one()
    with pytest.raises(PermissionDenied):
        ops.declare_major(desk["people"]["agent"], incident, reason="x", manager=desk["dba"])
    with pytest.raises(ValidationError) as err:
        ops.declare_major(desk["dbmanager"], incident, reason=" ", manager=desk["dba"])
    assert list(err.value.fields) == ["reason"]
    with pytest.raises(ValidationError) as err:
        ops.declare_major(
            desk["dbmanager"], incident, reason="x", manager=desk["people"]["requester"]
        )
    assert list(err.value.fields) == ["manager"]


def test_stakeholder_updates_go_through_the_outbox(desk, major):
    incident, _child = major
    update = ops.post_stakeholder_update(
        desk["dbmanager"], incident, body="Failover in progress; next update at 14:00"
    )
    told = set(
        Notification.objects.filter(
            subject__startswith="Update on major", recipient__isnull=False
        ).values_list("recipient__username", flat=True)
    )
    # the service owner, the callers of the incident and its child, the watchers
    assert told == {"owner", "req", "neighbour", "dba"}
    # ... and the service desk, in app (one row for the group), by the default plan
    desk_row = Notification.objects.get(subject__startswith="Update on major", group__isnull=False)
    assert desk_row.group == desk["groups"]["desk"]
    assert update.recipients == 4 + 2
    assert OutboundEmail.objects.filter(subject__startswith="Update on major").count() == 4


def test_a_major_incident_closes_only_after_its_review(desk, major, api_as):
    incident, child = major
    manager = desk["dbmanager"]
    ops.transition(manager, incident, "in_progress")
    ops.transition(manager, incident, "resolved", **RESOLVE)
    child.refresh_from_db()
    assert child.status == "resolved"  # children follow the parent
    api = api_as(manager)

    status, data = api.post(f"incidents/{incident.number}/transitions", {"to": "closed"})
    assert status == 422 and "review" in data["error"]["fields"]["to"][0]

    status, data = api.post(
        f"incidents/{incident.number}/major/review",
        {
            "cause": "Expired certificate on the load balancer",
            "actions": [{"description": "Monitor certificate expiry", "owner": desk["dba"].pk}],
        },
    )
    assert status == 201, data
    assert data["review"]["actions"][0]["owner"]["username"] == "dba"
    assert data["children"] == [child.number]

    status, data = api.post(f"incidents/{incident.number}/transitions", {"to": "closed"})
    assert status == 200 and data["status"] == "closed" and data["is_major"] is True


def test_auto_close_skips_majors_without_a_review(desk, major):
    from datetime import timedelta

    from django.utils import timezone

    incident, child = major
    ops.transition(None, incident, "in_progress")
    ops.transition(None, incident, "resolved", **RESOLVE)
    closed = ops.close_resolved(timezone.now() + timedelta(days=1))
    incident.refresh_from_db()
    child.refresh_from_db()
    assert (closed, incident.status, child.status) == (1, "resolved", "closed")


def test_major_api_and_filters(desk, major, api_as):
    incident, _ = major
    agent = api_as(desk["people"]["agent"])
    status, data = agent.get(f"incidents/{incident.number}/major")
    assert status == 200 and data["manager"]["username"] == "dbmanager"
    status, data = agent.get("incidents", major=True)
    assert [i["number"] for i in data["items"]] == [incident.number]
    status, data = agent.post(f"incidents/{incident.number}/major/updates", {"body": "x"})
    assert status == 403
    status, data = api_as(desk["dbmanager"]).post(
        f"incidents/{incident.number}/major/updates", {"body": "Restored"}
    )
    assert status == 201 and data["updates"][0]["body"] == "Restored"
    status, _ = api_as(desk["people"]["requester"]).get(f"incidents/{incident.number}/major")
    assert status == 404
    status, data = api_as(desk["dbmanager"]).post(
        f"incidents/{incident.number}/major", {"reason": "again", "manager": desk["dba"].pk}
    )
    assert status == 409
