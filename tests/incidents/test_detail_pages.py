"""The incident page as people meet it: every write carries the version the page was read at
and a stale one is shown to the person; editing, assigning, watchers, parent and children;
messages that are sentences; a caller's reply reopening; cancelling with a reason."""

from __future__ import annotations

import re

import pytest

from steward.core.models import JournalEntry
from steward.incidents import operations as ops
from steward.incidents.models import Incident, Watcher
from steward.people.choices import Role

pytestmark = pytest.mark.django_db


def read(client, incident) -> tuple[str, dict]:
    """The incident page and the version/seen its forms carry."""
    html = client.get(f"/incidents/{incident.number}/").content.decode()
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    seen = re.search(r'name="seen" value="(\d+)"', html).group(1)
    return html, {"version": version, "seen": seen}


def post(client, incident, action, data, **kwargs):
    return client.post(f"/incidents/{incident.number}/{action}/", data, follow=True, **kwargs)


def text_of(response) -> str:
    return response.content.decode()


# --- the version every write carries ---------------------------------------------------------


def test_assign_to_me_on_a_page_read_earlier_does_not_take_it_from_a_colleague(
    desk, open_one, client_for
):
    incident = open_one()
    agent, desk2 = desk["people"]["agent"], desk["desk2"]
    _, stale = read(client_for(agent), incident)
    ops.assign(desk2, incident, desk2)  # the colleague takes it first

    page = post(client_for(agent), incident, "take", stale)

    incident.refresh_from_db()
    assert incident.assignee == desk2
    html = text_of(page)
    assert "was changed by Desk2 at" in html and "your change was not saved" in html
    # the page the person lands on lists what changed since they read it
    assert page.redirect_chain[-1][0].endswith(f"?since={stale['seen']}#changes")
    assert 'id="changes"' in html and "Changed by Desk2" in html


def test_a_form_without_the_version_changes_nothing(desk, open_one, client_for):
    incident = open_one()
    page = post(client_for(desk["people"]["agent"]), incident, "take", {})
    incident.refresh_from_db()
    assert incident.assignee is None
    assert "This page is out of date" in text_of(page)


def test_every_form_on_the_page_carries_the_version(desk, open_one, client_for):
    incident = open_one()
    html, _ = read(client_for(desk["people"]["agent"]), incident)
    forms = re.findall(r"<form method=\"post\".*?</form>", html, flags=re.S)
    assert len(forms) >= 8
    for form in forms:
        # the knowledge panel's forms write articles and their links, not the incident: the
        # incident's version does not guard them
        if "/logout/" in form or 'action="/knowledge/' in form:
            continue
        assert f'name="version" value="{incident.version}"' in form, form[:200]


def test_a_stale_status_change_is_refused_and_a_fresh_one_goes_through(desk, open_one, client_for):
    incident = open_one()
    client = client_for(desk["people"]["agent"])
    _, stale = read(client, incident)
    ops.update_incident(desk["desk2"], incident, version=incident.version, urgency=1)

    post(client, incident, "transition", {"to": "in_progress", **stale})
    incident.refresh_from_db()
    assert incident.status == "new"

    _, fresh = read(client, incident)
    post(client, incident, "transition", {"to": "in_progress", **fresh})
    incident.refresh_from_db()
    assert incident.status == "in_progress"


def test_a_note_is_saved_even_when_the_incident_moved_on_and_the_person_is_told(
    desk, open_one, client_for
):
    incident = open_one()
    client = client_for(desk["people"]["agent"])
    _, stale = read(client, incident)
    ops.assign(desk["desk2"], incident, desk["desk2"])

    page = post(
        client, incident, "comment", {"body": "Checked the logs", "visibility": "internal", **stale}
    )

    assert incident.comments.get().body == "Checked the logs"
    html = text_of(page)
    assert "Your note has been added." in html
    assert "Meanwhile Desk2 changed" in html


# --- editing ---------------------------------------------------------------------------------


def edit_form(client, incident) -> dict:
    html = client.get(f"/incidents/{incident.number}/edit/").content.decode()
    data = {}
    for name, value in re.findall(r'<input type="hidden" name="([\w-]+)" value="([^"]*)"', html):
        data[name] = value
    for name in ("title", "affected_ci"):
        match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html)
        data[name] = match.group(1) if match else ""
    data["description"] = incident.description
    for name in ("impact", "urgency", "category", "subcategory", "service"):
        data[name] = data.get(f"initial-{name}", "")
    return data


def test_editing_saves_only_what_the_person_changed(desk, open_one, client_for):
    incident = open_one(title="Printer jam")
    client = client_for(desk["people"]["agent"])
    data = edit_form(client, incident)
    data.update(urgency="1", description="Floor 3, the big one")

    page = client.post(f"/incidents/{incident.number}/edit/", data, follow=True)

    incident.refresh_from_db()
    assert (incident.urgency, incident.description, incident.title) == (
        1,
        "Floor 3, the big one",
        "Printer jam",
    )
    assert "Your changes to" in text_of(page)
    entry = JournalEntry.objects.for_record(incident).filter(action="updated").get()
    assert set(entry.changes) >= {"urgency", "description"} and "title" not in entry.changes


def test_a_stale_edit_shows_who_changed_what_and_keeps_both_changes(desk, open_one, client_for):
    incident = open_one(title="Printer jam")
    client = client_for(desk["people"]["agent"])
    data = edit_form(client, incident)
    # a colleague renames it while this person is editing the urgency
    ops.update_incident(
        desk["desk2"], incident, version=incident.version, title="Printers down on floor 3"
    )
    data.update(urgency="1")

    page = client.post(f"/incidents/{incident.number}/edit/", data)

    html = text_of(page)
    assert page.status_code == 200
    assert "Changed by Desk2 at" in html and "your changes were not saved yet" in html
    assert "See the changes" in html and "Printers down on floor 3" in html
    incident.refresh_from_db()
    assert incident.urgency == 2  # nothing was overwritten
    # the form keeps the person's urgency and shows the colleague's title
    assert re.search(r'name="title"[^>]*value="Printers down on floor 3"', html)
    assert re.search(r'<option value="1" selected>', html)

    again = {
        k: v for k, v in re.findall(r'<input type="hidden" name="([\w-]+)" value="([^"]*)"', html)
    }
    again.update(title="Printers down on floor 3", urgency="1", impact="2", description="")
    again.update({k: again.get(f"initial-{k}", "") for k in ("category", "subcategory", "service")})
    again["affected_ci"] = ""
    client.post(f"/incidents/{incident.number}/edit/", again)
    incident.refresh_from_db()
    assert (incident.title, incident.urgency) == ("Printers down on floor 3", 1)


def test_a_closed_incident_is_not_edited(desk, open_one, client_for):
    incident = open_one()
    agent = desk["people"]["agent"]
    ops.transition(agent, incident, "cancelled", comment="duplicate")
    response = client_for(agent).get(f"/incidents/{incident.number}/edit/")
    assert response.status_code == 302
    assert (
        client_for(desk["people"]["requester"])
        .get(f"/incidents/{incident.number}/edit/")
        .status_code
        == 404
    )


# --- assigning, watchers, parent and children ------------------------------------------------


def test_assign_to_any_member_of_the_owning_group(desk, open_one, client_for):
    incident = open_one()
    client = client_for(desk["people"]["agent"])
    html, state = read(client, incident)
    assert f'<option value="{desk["desk2"].pk}">' in html  # the group's members are offered

    page = post(client, incident, "assign", {"assignee": desk["desk2"].pk, **state})
    incident.refresh_from_db()
    assert incident.assignee == desk["desk2"]
    assert "is now assigned to Desk2" in text_of(page)

    _, state = read(client, incident)
    page = post(client, incident, "assign", {"assignee": desk["dba"].pk, **state})
    incident.refresh_from_db()
    assert incident.assignee == desk["desk2"]
    assert "Only members of the owning group can be assigned" in text_of(page)


def test_watchers_are_shown_added_and_removed(desk, open_one, client_for):
    incident = open_one()
    client = client_for(desk["people"]["agent"])
    _, state = read(client, incident)
    post(client, incident, "watch", {"user": desk["dba"].username, **state})
    post(client, incident, "watch", state)  # oneself
    html, state = read(client, incident)
    assert set(Watcher.objects.values_list("user__username", flat=True)) == {"dba", "agent"}
    assert "Dba" in html and "Stop watching" in html

    post(client, incident, "unwatch", {"user": desk["dba"].pk, **state})
    assert list(Watcher.objects.values_list("user__username", flat=True)) == ["agent"]

    page = post(client, incident, "watch", {"user": "nobody-here", **state})
    assert "No active user has the username" in text_of(page)
    page = post(client, incident, "watch", {"user": desk["people"]["outsider"].username, **state})
    assert "may not see this incident, so they cannot watch it" in text_of(page)


def test_parent_and_children_are_linked_and_listed(desk, open_one, client_for):
    parent, child = open_one(title="Core switch down"), open_one(title="No network on floor 2")
    client = client_for(desk["people"]["agent"])
    _, state = read(client, child)
    page = post(client, child, "link-parent", {"parent": parent.number.lower(), **state})
    child.refresh_from_db()
    assert child.parent == parent
    assert f"is now a child of {parent.number}" in text_of(page)

    html, _ = read(client, parent)
    assert child.number in html and "No network on floor 2" in html

    _, state = read(client, child)
    page = post(client, child, "link-parent", {"parent": child.number, **state})
    assert "cannot be its own parent" in text_of(page) or "one level deep" in text_of(page)
    post(client, child, "unlink-parent", state)
    child.refresh_from_db()
    assert child.parent is None
    page = post(client, child, "link-parent", {"parent": "INC9999999", **read(client, child)[1]})
    assert "There is no incident INC9999999." in text_of(page)


# --- messages --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"body": ""}, "Write a note first."),
        ({"body": "x" * 20_001}, "The note is 20001 characters long; the limit is 20000."),
        ({"body": "ok", "time_spent": "-30"}, "Minutes spent cannot be negative."),
        ({"body": "ok", "time_spent": "99999999999"}, "Minutes spent can be at most 10080"),
        ({"body": "ok", "time_spent": "lots"}, "Minutes spent must be a whole number."),
    ],
)
def test_each_wrong_note_says_what_is_wrong(desk, open_one, client_for, data, message):
    incident = open_one()
    client = client_for(desk["people"]["agent"])
    _, state = read(client, incident)
    page = post(client, incident, "comment", {"visibility": "internal", **data, **state})
    assert message in text_of(page)
    assert not incident.comments.exists()


def test_the_operation_refuses_too_many_minutes_with_the_limit(desk, open_one):
    from steward.core.errors import ValidationError

    incident = open_one()
    with pytest.raises(ValidationError) as refused:
        ops.add_comment(desk["people"]["agent"], incident, body="x", time_spent=99_999_999_999)
    assert refused.value.message == "Minutes spent can be at most 10080 (a week) for one note."
    assert refused.value.fields == {"time_spent": ["at most 10080 minutes"]}


def test_a_refused_move_is_a_sentence_with_the_states_people_know(desk, open_one, client_for):
    incident = open_one()
    agent = desk["people"]["agent"]
    ops.transition(agent, incident, "in_progress")
    ops.transition(
        agent, incident, "resolved", resolution_code="solved", resolution_notes="Rebooted"
    )
    client = client_for(agent)
    _, state = read(client, incident)
    page = post(
        client, incident, "transition", {"to": "on_hold", "hold_reason": "awaiting_caller", **state}
    )
    html = text_of(page)
    assert (
        "It cannot go from “Resolved” to “On hold”: from “Resolved” it can only go to "
        "“Closed” or “In progress”." in html.replace("&ldquo;", "“").replace("&rdquo;", "”")
    )
    assert "Cannot go from &#x27;resolved&#x27;" not in html


def test_an_empty_file_is_refused_with_a_sentence(desk, open_one, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    incident = open_one()
    client = client_for(desk["people"]["agent"])
    _, state = read(client, incident)
    page = client.post(
        f"/incidents/{incident.number}/attach/",
        {"file": SimpleUploadedFile("empty.txt", b""), **state},
        follow=True,
    )
    html = text_of(page)
    assert "The file is empty" in html or "The submitted file is empty" in html
    assert "file: is empty" not in html


# --- a caller's reply, and "Updated" ---------------------------------------------------------


def _resolved(desk, incident):
    agent = desk["people"]["agent"]
    ops.transition(agent, incident, "in_progress")
    ops.transition(agent, incident, "resolved", resolution_code="solved", resolution_notes="Reset")
    incident.refresh_from_db()
    return incident


def test_a_callers_reply_on_a_resolved_incident_reopens_it(desk, open_one, client_for):
    incident = _resolved(desk, open_one())
    client = client_for(desk["people"]["requester"])
    html, state = read(client, incident)
    assert "Replying tells the team it is not solved and opens it again" in html
    assert "Reply and reopen" in html

    page = post(
        client, incident, "comment", {"body": "Still broken", "visibility": "public", **state}
    )

    incident.refresh_from_db()
    assert (incident.status, incident.reopen_count) == ("in_progress", 1)
    assert "open again" in text_of(page)
    entry = JournalEntry.objects.for_record(incident).filter(action="reopened").get()
    assert entry.comment == "Reopened by the caller's reply."


def test_a_colleagues_reply_does_not_reopen(desk, open_one, client_for):
    incident = _resolved(desk, open_one())
    client = client_for(desk["people"]["neighbour"])
    html, state = read(client, incident)
    assert "Reply and reopen" not in html
    post(client, incident, "comment", {"body": "Thanks", "visibility": "public", **state})
    incident.refresh_from_db()
    assert incident.status == "resolved"


def test_updated_moves_on_notes_replies_and_files(desk, open_one):
    from django.core.files.uploadedfile import SimpleUploadedFile

    incident = open_one()
    agent = desk["people"]["agent"]
    Incident.objects.filter(pk=incident.pk).update(updated_at="2020-01-01T00:00:00Z")
    version = Incident.objects.get(pk=incident.pk).version
    ops.add_comment(agent, incident, body="note")
    after_note = Incident.objects.get(pk=incident.pk)
    assert after_note.updated_at.year > 2020
    assert after_note.version == version  # a note does not make open pages stale

    Incident.objects.filter(pk=incident.pk).update(updated_at="2020-01-01T00:00:00Z")
    ops.add_comment(desk["people"]["requester"], incident, body="reply", visibility="public")
    assert Incident.objects.get(pk=incident.pk).updated_at.year > 2020

    Incident.objects.filter(pk=incident.pk).update(updated_at="2020-01-01T00:00:00Z")
    ops.add_attachment(agent, incident, SimpleUploadedFile("a.txt", b"hello"))
    assert Incident.objects.get(pk=incident.pk).updated_at.year > 2020


# --- notes and replies look different --------------------------------------------------------


def test_work_notes_and_replies_are_labelled_not_only_coloured(desk, open_one, client_for):
    incident = open_one()
    agent = desk["people"]["agent"]
    ops.add_comment(agent, incident, body="internal detail")
    ops.add_comment(agent, incident, body="public answer", visibility="public")
    html, _ = read(client_for(agent), incident)
    assert "timeline__entry--note" in html and "timeline__entry--reply" in html
    assert "Work note · internal, not visible to the caller" in html
    assert "Reply · visible to the caller" in html


# --- cancelling ------------------------------------------------------------------------------


def test_cancel_asks_for_a_reason_and_only_the_owning_group_sees_it(
    desk, open_one, client_for, make_user
):
    incident = open_one()
    lonely_owner = make_user("lonely", roles=[Role.SERVICE_OWNER])
    html, state = read(client_for(lonely_owner), incident)
    assert "Cancel the incident" not in html and 'href="#cancel"' not in html
    post(
        client_for(lonely_owner),
        incident,
        "transition",
        {"to": "cancelled", "reason": "x", **state},
    )
    incident.refresh_from_db()
    assert incident.status == "new"

    member = client_for(desk["desk2"])
    html, state = read(member, incident)
    assert "Cancel the incident" in html and 'href="#cancel"' in html
    page = post(member, incident, "transition", {"to": "cancelled", **state})
    assert "Say why the incident is cancelled" in text_of(page)
    incident.refresh_from_db()
    assert incident.status == "new"

    post(member, incident, "transition", {"to": "cancelled", "reason": "Raised twice", **state})
    incident.refresh_from_db()
    assert incident.status == "cancelled"
    entry = JournalEntry.objects.for_record(incident).filter(action="status_changed").last()
    assert entry.comment == "Raised twice"


def test_the_operation_refuses_a_cancel_from_outside_the_group(desk, open_one, make_user):
    from steward.core.errors import PermissionDenied

    incident = open_one()
    with pytest.raises(PermissionDenied):
        ops.transition(make_user("lonely", roles=[Role.SERVICE_OWNER]), incident, "cancelled")
    ops.transition(desk["people"]["admin"], incident, "cancelled", comment="admin may")


def test_a_requesters_reply_on_an_unassigned_incident_reaches_the_owning_group(desk, open_one):
    from steward.notifications.models import Notification

    incident = open_one()
    Notification.objects.all().delete()
    ops.add_comment(desk["people"]["neighbour"], incident, body="Any news?", visibility="public")
    told = Notification.objects.filter(group=incident.owning_group)
    assert told.count() == 1 and "Reply on" in told.get().subject
