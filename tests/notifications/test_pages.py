"""The bell in the top bar and the notifications page: the list, mark one read, mark all."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from steward.notifications import operations as ops
from steward.notifications import queries
from steward.notifications.models import Notification
from steward.people import operations as people_ops


@pytest.fixture
def team(make_user):
    alice, bob = make_user(), make_user()
    group = people_ops.create_group(None, name="Service desk", members=[alice, bob])
    return alice, bob, group


def _bell(html: str) -> str:
    return re.search(r'<a class="bell[^"]*" href="/notifications/" aria-label="([^"]*)"', html)[1]


def test_the_bell_shows_the_unread_count_on_every_page(team, client_for):
    alice, _, group = team
    client = client_for(alice)
    assert _bell(client.get("/").content.decode()) == "Notifications, none unread"
    ops.notify(None, group=group, subject="Disk full", body="")
    ops.notify(None, [alice], subject="Assigned to you", body="")
    html = client.get("/profile/").content.decode()
    assert _bell(html) == "Notifications, 2 unread"
    assert '<span class="bell__count" aria-hidden="true">2</span>' in html


def test_the_bell_counts_once_per_request(team, client_for):
    alice, _, group = team
    ops.notify(None, group=group, subject="Disk full", body="")
    client = client_for(alice)
    client.get("/notifications/")
    with CaptureQueriesContext(connection) as counted:
        html = client.get("/notifications/").content.decode()
    assert "1 unread" in html and _bell(html) == "Notifications, 1 unread"
    unread_q = '"notifications_notification"."read_at" IS NULL AND'
    sqls = [q["sql"] for q in counted.captured_queries]
    assert sum(unread_q in sql for sql in sqls) == 1  # the bell and the heading share it
    assert sum('FROM "people_supportgroup_members"' in sql for sql in sqls) == 1  # my groups
    assert len(sqls) <= 8  # + session, user, roles, practices, the page's count and rows


def test_the_page_lists_newest_first_with_links_and_unread_marked(team, client_for):
    alice, bob, group = team
    ops.notify(None, [alice], subject="Old one", body="", link="/incidents/INC0000001/")
    ops.notify(None, group=group, subject="New one", body="Printer", link="/incidents/INC2/")
    ops.mark_read(alice, Notification.objects.get(subject="Old one"))
    html = client_for(alice).get("/notifications/").content.decode()
    assert html.index("New one") < html.index("Old one")
    assert '<a href="/incidents/INC2/">New one</a>' in html
    assert '<a href="/incidents/INC0000001/">Old one</a>' in html
    assert html.count("notification--unread") == 1
    assert html.count(">Mark read<") == 1 and "Mark all read" in html
    unread_only = client_for(alice).get("/notifications/?show=unread").content.decode()
    assert "New one" in unread_only and "Old one" not in unread_only
    assert "Old one" not in client_for(bob).get("/notifications/").content.decode()


def test_mark_one_read_from_the_page_marks_it_for_me_only(team, client_for):
    alice, bob, group = team
    note = ops.notify(None, group=group, subject="Disk full", body="").notifications[0]
    response = client_for(alice).post("/notifications/read/", {"id": note.pk, "page": "2"})
    assert (response.status_code, response["Location"]) == (302, "/notifications/?page=2")
    assert queries.unread_count(alice) == 0 and queries.unread_count(bob) == 1


def test_mark_all_read_from_the_page(team, client_for):
    alice, bob, group = team
    ops.notify(None, group=group, subject="One", body="")
    ops.notify(None, [alice], subject="Two", body="")
    client = client_for(alice)
    response = client.post("/notifications/read/", {"all": "1", "show": "unread"}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain == [("/notifications/?show=unread", 302)]
    assert "2 notifications marked read." in html and "Nothing unread." in html
    assert _bell(html) == "Notifications, none unread"
    assert queries.unread_count(bob) == 1


def test_reading_the_page_changes_nothing_and_marking_needs_post_and_csrf(team):
    alice, _, group = team
    ops.notify(None, group=group, subject="One", body="")
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.get("/notifications/").status_code == 200
    assert client.get("/notifications/read/?all=1").status_code == 405
    assert client.post("/notifications/read/", {"all": "1"}).status_code == 403
    assert queries.unread_count(alice) == 1


def test_ids_of_others_and_junk_change_nothing(team, client_for, make_user):
    alice, _, _ = team
    theirs = ops.notify(None, [alice], subject="Alice's", body="").notifications[0]
    stranger = client_for(make_user())
    for value in (theirs.pk, "junk", "9" * 40):
        assert stranger.post("/notifications/read/", {"id": value}).status_code == 302
    assert queries.unread_count(alice) == 1


def test_signed_out_visitors_are_sent_to_sign_in(db):
    response = Client().get("/notifications/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
