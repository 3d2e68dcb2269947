"""Opening, routing, priority, updates, assignment, comments and mentions."""

from __future__ import annotations

import pytest

from steward.core.errors import PermissionDenied, StaleVersion, ValidationError
from steward.core.models import JournalEntry
from steward.incidents import operations as ops
from steward.incidents.models import Incident, PriorityMatrix
from steward.notifications.models import Notification
from steward.people import operations as people_ops

pytestmark = pytest.mark.django_db


def test_the_default_matrix_is_the_itil_three_by_three():
    cells = {(c.impact, c.urgency): c.priority for c in PriorityMatrix.objects.all()}
    assert cells == {
        (1, 1): 1, (1, 2): 2, (1, 3): 3,
        (2, 1): 2, (2, 2): 3, (2, 3): 4,
        (3, 1): 3, (3, 2): 4, (3, 3): 5,
    }  # fmt: skip


def test_opening_numbers_routes_prioritises_and_journals(desk, open_one):
    incident = open_one(impact=1, urgency=2)

    assert incident.number.startswith("INC") and len(incident.number) == 10
    assert incident.priority == 2 and not incident.priority_overridden
    assert incident.status == "new" and incident.version == 1
    assert incident.owning_group == desk["groups"]["desk"]
    assert incident.organization == desk["orgs"]["retail"]
    entry = JournalEntry.objects.for_record(incident).get()
    assert entry.action == "created" and entry.changes["priority"] == [None, 2]
    # the owning group's members hear of it (through one notification to the group)
    assert Notification.objects.for_user(desk["desk2"]).count() == 1


def test_routing_prefers_the_given_group_then_the_service_first_line(desk, open_one):
    network, database = desk["groups"]["network"], desk["groups"]["database"]
    assert open_one(owning_group=database).owning_group == database
    ops.set_first_line_group(None, desk["services"]["retail_live"], network)
    assert open_one().owning_group == network
    assert open_one(service=None).owning_group == desk["groups"]["desk"]


def test_without_a_service_desk_group_a_group_is_required(world, make_user):
    with pytest.raises(ValidationError) as err:
        ops.open_incident(
            world["people"]["agent"],
            title="x",
            caller=world["people"]["requester"],
            impact=3,
            urgency=3,
        )
    assert list(err.value.fields) == ["owning_group"]


def test_admins_edit_the_matrix_as_data(desk, open_one):
    ops.set_priority_cell(desk["people"]["admin"], impact=3, urgency=3, priority=4)
    assert open_one(impact=3, urgency=3).priority == 4
    with pytest.raises(PermissionDenied):
        ops.set_priority_cell(desk["people"]["agent"], impact=3, urgency=3, priority=5)


def test_requesters_raise_incidents_only_for_themselves(desk, open_one):
    requester = desk["people"]["requester"]
    mine = open_one(actor=requester)
    assert mine.caller == requester
    with pytest.raises(PermissionDenied):
        open_one(actor=requester, caller=desk["people"]["neighbour"])
    with pytest.raises(PermissionDenied):
        open_one(actor=requester, owning_group=desk["groups"]["database"])


def test_overriding_priority_needs_a_reason_and_is_journaled(desk, open_one):
    agent = desk["people"]["agent"]
    incident = open_one(impact=3, urgency=3)
    with pytest.raises(ValidationError) as err:
        ops.update_incident(agent, incident, version=1, priority=1)
    assert list(err.value.fields) == ["priority_reason"]
    incident = Incident.objects.get(pk=incident.pk)
    assert (incident.priority, incident.version) == (5, 1)

    ops.update_incident(agent, incident, version=1, priority=1, priority_reason="CEO affected")

    incident.refresh_from_db()
    assert (incident.priority, incident.priority_overridden, incident.version) == (1, True, 2)
    entry = JournalEntry.objects.for_record(incident).last()
    assert entry.changes == {"priority": [5, 1]}
    assert entry.comment == "Priority overridden: CEO affected"
    # once overridden, a new impact keeps the override
    ops.update_incident(agent, incident, version=2, impact=2)
    incident.refresh_from_db()
    assert incident.priority == 1


def test_changing_impact_recomputes_priority(desk, open_one):
    incident = open_one(impact=3, urgency=3)
    ops.update_incident(desk["people"]["agent"], incident, version=1, impact=1, urgency=1)
    incident.refresh_from_db()
    assert incident.priority == 1


def test_a_stale_version_changes_nothing(desk, open_one):
    agent = desk["people"]["agent"]
    incident = open_one()
    ops.update_incident(agent, incident, version=1, title="First")
    entries = JournalEntry.objects.count()
    stale = Incident.objects.get(pk=incident.pk)
    with pytest.raises(StaleVersion):
        ops.update_incident(agent, stale, version=1, title="Second")
    incident.refresh_from_db()
    assert incident.title == "First" and JournalEntry.objects.count() == entries


def test_the_assignee_must_be_a_member_of_the_owning_group(desk, open_one):
    agent = desk["people"]["agent"]
    incident = open_one()
    with pytest.raises(ValidationError) as err:
        ops.assign(agent, incident, desk["dba"])
    assert list(err.value.fields) == ["assignee"]
    ops.assign(agent, incident, desk["desk2"])
    incident.refresh_from_db()
    assert incident.assignee == desk["desk2"]
    assert JournalEntry.objects.for_record(incident).last().action == "assigned"
    assert Notification.objects.filter(recipient=desk["desk2"], subject__contains="assigned")


def test_requesters_cannot_change_incidents(desk, open_one):
    incident = open_one()
    with pytest.raises(PermissionDenied):
        ops.update_incident(desk["people"]["requester"], incident, version=1, title="mine")


def test_work_notes_and_replies(desk, open_one):
    agent, caller = desk["people"]["agent"], desk["people"]["requester"]
    incident = open_one()
    note = ops.add_comment(agent, incident, body="Checked the logs", time_spent=15)
    reply = ops.add_comment(agent, incident, body="Please try again", visibility="public")

    assert (note.visibility, note.time_spent) == ("internal", 15)
    actions = list(JournalEntry.objects.for_record(incident).values_list("action", flat=True))
    assert actions == ["created", "work_note", "replied"]
    # the caller hears of the reply only
    assert list(Notification.objects.filter(recipient=caller).values_list("body", flat=True)) == [
        reply.body
    ]


def test_requesters_may_only_reply(desk, open_one):
    caller = desk["people"]["requester"]
    incident = open_one()
    with pytest.raises(PermissionDenied):
        ops.add_comment(caller, incident, body="secret", visibility="internal")
    with pytest.raises(PermissionDenied):
        ops.add_comment(caller, incident, body="x", visibility="public", time_spent=5)
    ops.add_comment(caller, incident, body="It still fails", visibility="public")


def test_mentions_notify_users_and_groups(desk, open_one):
    agent = desk["people"]["agent"]
    incident = open_one()
    ops.add_comment(agent, incident, body='@dba and @"Network", please look')

    told = set(
        Notification.objects.filter(subject__startswith="Work note").values_list(
            "recipient__username", flat=True
        )
    )
    # dba by name; Network's members (agent is the author, so left out)
    assert told == {"dba", "owner"}


def test_a_work_note_never_notifies_a_requester(desk, open_one):
    agent = desk["people"]["agent"]
    incident = open_one()
    ops.add_watcher(agent, incident, desk["people"]["requester"])
    ops.add_comment(agent, incident, body="@req internal finding")
    assert not Notification.objects.filter(
        recipient=desk["people"]["requester"], subject__startswith="Work note"
    ).exists()


def test_watchers_hear_of_replies_and_must_see_the_incident(desk, open_one):
    agent = desk["people"]["agent"]
    incident = open_one()
    ops.add_watcher(agent, incident, desk["dba"])
    with pytest.raises(ValidationError):
        ops.add_watcher(agent, incident, desk["people"]["outsider"])
    ops.add_comment(agent, incident, body="Fixed?", visibility="public")
    assert Notification.objects.filter(recipient=desk["dba"], subject__startswith="Reply")
    ops.remove_watcher(agent, incident, desk["dba"])
    assert not incident.watchers.exists()


def test_inactive_groups_and_people_are_refused(desk, open_one):
    database = desk["groups"]["database"]
    people_ops.update_group(None, database, version=database.version, is_active=False)
    with pytest.raises(ValidationError):
        open_one(owning_group=database)


def test_bulk_loads_number_prioritise_and_journal(desk, open_one):
    first = open_one()
    rows = [
        {
            "title": f"bulk {n}",
            "caller": desk["people"]["requester"],
            "owning_group": desk["groups"]["network"],
            "impact": 1 + n % 3,
            "urgency": 1,
        }
        for n in range(5)
    ]
    with pytest.raises(PermissionDenied):
        ops.bulk_open_incidents(desk["people"]["agent"], rows)
    made = ops.bulk_open_incidents(desk["people"]["admin"], rows)
    numbers = [i.number for i in made]
    start = int(first.number[3:])
    assert numbers == [f"INC{n:07d}" for n in range(start + 1, start + 6)]
    assert [i.priority for i in made] == [1, 2, 3, 1, 2]
    assert JournalEntry.objects.filter(action="created", comment="bulk load").count() == 5
    assert (
        ops.open_incident(
            None, title="next", caller=desk["people"]["requester"], impact=3, urgency=3
        ).number
        == f"INC{start + 6:07d}"
    )


def test_closed_and_cancelled_incidents_are_not_edited(desk, open_one):
    from steward.core.errors import Conflict

    agent = desk["people"]["agent"]
    incident = open_one()
    ops.transition(agent, incident, "cancelled")
    with pytest.raises(Conflict):
        ops.update_incident(agent, incident, version=incident.version, title="late")
    with pytest.raises(Conflict):
        ops.assign(agent, incident, desk["desk2"])


def test_a_mention_never_tells_someone_who_cannot_see_the_incident(desk, open_one):
    incident = open_one()
    ops.add_comment(
        desk["people"]["agent"], incident, body="@outsider @neighbour see this", visibility="public"
    )
    told = set(
        Notification.objects.filter(subject__startswith="Reply").values_list(
            "recipient__username", flat=True
        )
    )
    assert "outsider" not in told and "neighbour" in told
