"""Parent and child incidents: linking locks both rows and checks their status like every other
write of an incident; a PATCH of fields and parent is one operation (all or nothing)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from steward.core.errors import Conflict, ValidationError
from steward.core.models import JournalEntry
from steward.incidents import operations as ops
from steward.incidents.choices import Status
from steward.incidents.models import Incident

RESOLVED = {"resolution_code": "solved", "resolution_notes": "Reset the password"}
#: how to bring a new incident to a final state
TO_FINAL = {
    Status.CLOSED: [(Status.IN_PROGRESS, {}), (Status.RESOLVED, RESOLVED), (Status.CLOSED, {})],
    Status.CANCELLED: [(Status.CANCELLED, {})],
}


def finish(incident, status, actor=None):
    for step, context in TO_FINAL[status]:
        ops.transition(actor, incident, step, **context)
    incident.refresh_from_db()
    return incident


@pytest.mark.django_db
@pytest.mark.parametrize("status", list(TO_FINAL))
def test_linking_under_a_final_incident_is_refused_naming_the_parent(desk, open_one, status):
    parent, child = finish(open_one(title="Parent"), status), open_one(title="Child")
    with pytest.raises(ValidationError) as err:
        ops.link_parent(desk["people"]["agent"], child, parent, version=child.version)
    assert list(err.value.fields) == ["parent"]
    assert f"is {status}" in err.value.fields["parent"][0]
    child.refresh_from_db()
    assert child.parent_id is None and child.version == 1


@pytest.mark.django_db
@pytest.mark.parametrize("status", list(TO_FINAL))
def test_a_final_incident_cannot_be_linked_or_unlinked(desk, open_one, status):
    parent = open_one(title="Parent")
    child = open_one(title="Child")
    ops.link_parent(None, child, parent)
    finish(child, status)
    agent = desk["people"]["agent"]
    for target in (None, open_one(title="Another")):
        with pytest.raises(Conflict) as err:
            ops.link_parent(agent, child, target, version=child.version)
        assert list(err.value.fields) == ["status"]
    child.refresh_from_db()
    assert child.parent_id == parent.pk


@pytest.mark.django_db
@pytest.mark.parametrize("status", list(TO_FINAL))
def test_the_api_answers_422_for_a_final_parent_and_409_for_a_final_child(
    desk, open_one, api_as, status
):
    api = api_as(desk["people"]["agent"])
    final, other = finish(open_one(title="Final"), status), open_one(title="Open")
    code, body = api.patch(f"incidents/{other.number}", {"version": 1, "parent": final.number})
    assert code == 422 and list(body["error"]["fields"]) == ["parent"]
    code, body = api.patch(
        f"incidents/{final.number}", {"version": final.version, "parent": other.number}
    )
    assert code == 409 and list(body["error"]["fields"]) == ["status"]


@pytest.mark.django_db
def test_a_patch_of_fields_and_parent_is_all_or_nothing(desk, open_one, api_as):
    api = api_as(desk["people"]["agent"])
    closed, child = finish(open_one(title="Closed"), Status.CLOSED), open_one(title="Child")
    code, _ = api.patch(
        f"incidents/{child.number}", {"version": 1, "title": "Renamed", "parent": closed.number}
    )
    assert code == 422
    child.refresh_from_db()
    assert (child.title, child.version, child.parent_id) == ("Child", 1, None)
    assert not JournalEntry.objects.for_record(child).filter(action="updated").exists()


@pytest.mark.django_db
def test_change_incident_edits_fields_then_the_parent_under_one_version(desk, open_one):
    parent, child = open_one(title="Parent"), open_one(title="Child")
    ops.change_incident(desk["people"]["agent"], child, version=1, title="Child!", parent=parent)
    child.refresh_from_db()
    assert (child.title, child.parent_id, child.version) == ("Child!", parent.pk, 3)
    actions = list(JournalEntry.objects.for_record(child).values_list("action", flat=True))
    assert actions[-2:] == ["updated", "parent_set"]


def run_together(works):
    """Run each callable in its own thread, started together; what each returned or raised."""
    barrier = threading.Barrier(len(works))
    results: list[object] = [None] * len(works)

    def target(i):
        try:
            barrier.wait()
            results[i] = works[i]()
        except Exception as exc:  # returned to the test
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(len(works))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return results


def _link(child_pk, parent_pk):
    def work():
        child = Incident.objects.get(pk=child_pk)
        parent = Incident.objects.get(pk=parent_pk)
        return ops.link_parent(None, child, parent)

    return work


@pytest.mark.django_db(transaction=True)
def test_concurrent_links_cannot_make_two_levels(desk, open_one):
    a, p, q = open_one(title="A"), open_one(title="P"), open_one(title="Q")

    # A under P and P under Q at once: whichever runs second sees the other's link
    results = run_together([_link(a.pk, p.pk), _link(p.pk, q.pk)])

    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], ValidationError), results
    assert list(refused[0].fields) == ["parent"]
    linked = {i.pk: i.parent_id for i in Incident.objects.filter(pk__in=[a.pk, p.pk, q.pk])}
    assert linked in ({a.pk: p.pk, p.pk: None, q.pk: None}, {a.pk: None, p.pk: q.pk, q.pk: None})


@pytest.mark.django_db(transaction=True)
def test_concurrent_relinks_lose_no_update(desk, open_one):
    child = open_one(title="Child")
    parents = [open_one(title=f"Parent {i}") for i in range(4)]

    results = run_together([_link(child.pk, p.pk) for p in parents])

    assert not [r for r in results if isinstance(r, Exception)], results
    child.refresh_from_db()
    assert child.version == 1 + len(parents)
    entries = list(JournalEntry.objects.for_record(child).filter(action="parent_set"))
    assert len(entries) == len(parents)
    # each link saw the one before it: the journal's "before" is the previous "after"
    befores = [e.changes["parent"][0] for e in entries]
    afters = [e.changes["parent"][1] for e in entries]
    assert befores == [None, *afters[:-1]]
    assert afters[-1]["id"] == child.parent_id
