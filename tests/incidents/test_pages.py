"""The incident pages: queues, raising, detail with timeline, and the quick actions."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from steward.incidents import operations as ops
from steward.incidents.list_views import PAGE_SIZE
from steward.incidents.models import Handover, Incident
from steward.people import operations as people_ops

pytestmark = pytest.mark.django_db


def v(incident) -> dict:
    """The version an incident page's forms carry (read now)."""
    return {"version": Incident.objects.get(pk=incident.pk).version}


def test_queue_my_groups_shows_pending_handovers(desk, open_one, client_for):
    incident = open_one(title="Queue <b>item</b>")
    ops.hand_over(
        desk["people"]["agent"], incident, to_group=desk["groups"]["database"], reason="x"
    )
    page = client_for(desk["people"]["agent"]).get("/incidents/")
    html = page.content.decode()
    assert page.status_code == 200
    assert incident.number in html and "handover pending" in html
    assert "Queue &lt;b&gt;item&lt;/b&gt;" in html and "<b>item</b>" not in html
    pending = client_for(desk["dba"]).get("/incidents/?queue=pending").content.decode()
    assert incident.number in pending
    mine = client_for(desk["dba"]).get("/incidents/?queue=my_groups").content.decode()
    assert incident.number not in mine


def test_queue_rows_show_markup_in_names_as_text(desk, open_one, client_for, make_user):
    from steward.people import operations as people_ops

    sneaky = make_user("sneaky", first_name="<img src=x onerror=alert(1)>", last_name="")
    group = people_ops.create_group(
        None, name="<script>alert(2)</script> Ops", members=[sneaky, desk["people"]["agent"]]
    )
    incident = open_one(title="Row", owning_group=group)
    ops.assign(desk["people"]["agent"], incident, sneaky)
    html = client_for(desk["people"]["agent"]).get("/incidents/?queue=my_groups").content.decode()
    assert incident.number in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt; Ops" in html and "<script>alert(2)" not in html


def test_the_queue_runs_a_constant_number_of_queries(
    desk, open_one, client_for, django_assert_max_num_queries
):
    client = client_for(desk["people"]["agent"])
    ops.hand_over(None, open_one(), to_group=desk["groups"]["database"], reason="x")
    client.get("/incidents/")
    with django_assert_max_num_queries(20) as few:
        client.get("/incidents/")
    for _ in range(15):
        incident = open_one()
        ops.hand_over(None, incident, to_group=desk["groups"]["database"], reason="x")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/incidents/")


def test_requesters_see_their_organization_and_no_internal_notes(desk, open_one, client_for):
    agent = desk["people"]["agent"]
    ours = open_one(title="Ours")
    theirs = open_one(title="Theirs", caller=desk["people"]["outsider"])
    ops.add_comment(agent, ours, body="SECRET internal note")
    ops.add_comment(agent, ours, body="Public reply text", visibility="public")
    client = client_for(desk["people"]["neighbour"])

    listing = client.get("/incidents/").content.decode()
    assert ours.number in listing and theirs.number not in listing
    detail = client.get(f"/incidents/{ours.number}/").content.decode()
    assert "Public reply text" in detail and "SECRET" not in detail
    assert client.get(f"/incidents/{theirs.number}/").status_code == 404
    assert client.get("/incidents/INC9999999/").status_code == 404
    search = client.get(reverse("core:search"), {"q": "Theirs"})
    assert search.status_code == 200 and theirs.number not in search.content.decode()
    search = client_for(agent).get(reverse("core:search"), {"q": "Theirs"})
    assert theirs.number in search.content.decode()


def test_raise_hand_over_accept_and_resolve_through_the_pages(desk, client_for):
    agent, dba = client_for(desk["people"]["agent"]), client_for(desk["dba"])
    response = agent.post(
        "/incidents/new/",
        {
            "title": "Database <script>alert(1)</script> slow",
            "impact": "2",
            "urgency": "1",
            "caller": desk["people"]["requester"].username,
        },
    )
    incident = Incident.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{incident.number}/")
    detail = agent.get(response["Location"]).content.decode()
    assert "&lt;script&gt;" in detail and "<script>alert(1)" not in detail

    base = f"/incidents/{incident.number}"
    agent.post(f"{base}/take/", v(incident))
    agent.post(f"{base}/transition/", {"to": "in_progress", **v(incident)})
    agent.post(
        f"{base}/handover/",
        {
            "to_group": desk["groups"]["database"].pk,
            "reason": "Slow queries",
            "note": "none",
            **v(incident),
        },
    )
    incident.refresh_from_db()
    assert incident.owning_group.name == "Service Desk"
    assert "Accept" in dba.get(f"{base}/").content.decode()

    dba.post(f"{base}/accept/", {"take": "1", **v(incident)})
    incident.refresh_from_db()
    assert (incident.owning_group.name, incident.assignee) == ("Database", desk["dba"])

    page = dba.post(
        f"{base}/transition/",
        {
            "to": "resolved",
            "resolution_code": "solved",
            "resolution_notes": "Added an index",
            **v(incident),
        },
        follow=True,
    )
    incident.refresh_from_db()
    assert incident.status == "resolved"
    assert "is now resolved" in page.content.decode()


def test_a_failed_action_shows_the_reason_and_changes_nothing(desk, open_one, client_for):
    incident = open_one()
    page = client_for(desk["people"]["agent"]).post(
        f"/incidents/{incident.number}/transition/", {"to": "closed", **v(incident)}, follow=True
    )
    assert "It cannot go from “New” to “Closed”" in page.content.decode()
    incident.refresh_from_db()
    assert incident.status == "new"


def test_reject_through_the_page(desk, open_one, client_for):
    incident = open_one()
    ops.hand_over(
        desk["people"]["agent"], incident, to_group=desk["groups"]["database"], reason="x"
    )
    client_for(desk["dba"]).post(
        f"/incidents/{incident.number}/reject/", {"reason": "Not DB", **v(incident)}
    )
    assert Handover.objects.get().status == "rejected"


def test_requesters_cannot_post_actions_on_others_incidents(desk, open_one, client_for):
    incident = open_one(caller=desk["people"]["outsider"])
    response = client_for(desk["people"]["requester"]).post(
        f"/incidents/{incident.number}/comment/", {"body": "hi", "visibility": "public"}
    )
    assert response.status_code == 404


def test_csv_export_follows_visibility_and_defuses_formulas(desk, open_one, client_for):
    ours = open_one(title='=HYPERLINK("http://evil")')
    theirs = open_one(title="Theirs", caller=desk["people"]["outsider"])
    response = client_for(desk["people"]["requester"]).get("/incidents/export.csv")
    body = b"".join(response.streaming_content).decode()
    assert response["Content-Disposition"] == 'attachment; filename="incidents.csv"'
    assert ours.number in body and theirs.number not in body
    assert "'=HYPERLINK" in body
    agent_csv = b"".join(
        client_for(desk["people"]["agent"]).get("/incidents/export.csv?queue=all").streaming_content
    ).decode()
    assert ours.number in agent_csv and theirs.number in agent_csv
    assert len(agent_csv.strip().splitlines()) == 3


def test_queue_counts_and_the_major_queue(desk, open_one, client_for):
    incident = open_one()
    open_one()
    ops.declare_major(desk["dbmanager"], incident, reason="big", manager=desk["dbmanager"])
    html = client_for(desk["people"]["agent"]).get("/incidents/").content.decode()
    assert "My groups (2)" in html and "Major incidents (1)" in html
    major = client_for(desk["people"]["agent"]).get("/incidents/?queue=major").content.decode()
    assert incident.number in major


def test_attach_and_download_through_the_pages(desk, open_one, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    incident = open_one()
    agent = client_for(desk["people"]["agent"])
    agent.post(
        f"/incidents/{incident.number}/attach/",
        {"file": SimpleUploadedFile("log.txt", b"error 42"), "visibility": "internal"},
    )
    attachment = incident.attachments.get()
    url = f"/incidents/{incident.number}/attachments/{attachment.pk}"
    assert url in agent.get(f"/incidents/{incident.number}/").content.decode()
    response = agent.get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    requester = client_for(desk["people"]["requester"])
    assert requester.get(url).status_code == 404
    assert "log.txt" not in requester.get(f"/incidents/{incident.number}/").content.decode()


def test_saved_views_per_user(desk, open_one, client_for, api_as):
    agent = client_for(desk["people"]["agent"])
    response = agent.post("/incidents/views/", {"name": "P1s", "query": "queue=all&priority=1"})
    assert response.status_code == 302 and response["Location"].endswith("priority=1")
    assert "P1s" in agent.get("/incidents/").content.decode()
    assert "P1s" not in client_for(desk["desk2"]).get("/incidents/").content.decode()

    api = api_as(desk["people"]["agent"])
    status, data = api.get("incident-views")
    assert status == 200 and [v["name"] for v in data["items"]] == ["P1s"]
    status, data = api.post("incident-views", {"name": "bad", "query": "owner=1"})
    assert status == 422 and list(data["error"]["fields"]) == ["query"]
    assert api.delete("incident-views/999999")[0] == 404
    view_id = api.get("incident-views")[1]["items"][0]["id"]
    assert api_as(desk["desk2"]).delete(f"incident-views/{view_id}")[0] == 404
    assert api.delete(f"incident-views/{view_id}")[0] == 204


def test_declare_update_and_review_a_major_incident_through_the_page(desk, open_one, client_for):
    incident = open_one()
    manager = client_for(desk["dbmanager"])
    base = f"/incidents/{incident.number}"
    assert (
        "Declare major" not in client_for(desk["people"]["agent"]).get(f"{base}/").content.decode()
    )
    manager.post(
        f"{base}/declare/",
        {"reason": "Everyone down", "manager": desk["dbmanager"].pk, **v(incident)},
    )
    manager.post(f"{base}/stakeholder-update/", {"body": "Working on it", **v(incident)})
    page = manager.post(
        f"{base}/review/",
        {"cause": "Bad deploy", "actions": "dba: Add a canary\n\n", **v(incident)},
        follow=True,
    ).content.decode()
    assert "Major incident" in page and "Working on it" in page
    assert "Bad deploy" in page and "Add a canary" in page
    assert (
        "Major incident"
        not in client_for(desk["people"]["requester"]).get(f"{base}/").content.decode()
    )


def test_the_list_sorts_by_column(desk, open_one, client_for):
    low = open_one(title="Low", impact=3, urgency=3)
    high = open_one(title="High", impact=1, urgency=1)
    client = client_for(desk["people"]["agent"])

    def order(sort):
        html = client.get("/incidents/", {"sort": sort}).content.decode()
        return html.index(low.number) < html.index(high.number)

    assert order("-priority") and not order("priority")
    assert order("number") and not order("-number")
    assert not order("nonsense")  # falls back to priority


@pytest.mark.parametrize("column", ["priority", "number", "status", "group", "updated"])
def test_a_descending_sort_is_the_exact_reverse_of_the_ascending_one(
    desk, open_one, client_for, column
):
    """Ties included (newest first ascending, oldest first descending): clicking a heading
    again reverses the list, and one index read backwards serves both directions."""
    incidents = [open_one(title=f"Same {n}", impact=2, urgency=2) for n in range(3)]
    incidents.append(open_one(title="Urgent", impact=1, urgency=1))
    client = client_for(desk["people"]["agent"])

    def numbers(sort):
        html = client.get("/incidents/", {"queue": "all", "sort": sort}).content.decode()
        return re.findall(r">(INC\d{7})</a>", html)

    ascending = numbers(column)
    assert sorted(ascending) == sorted(i.number for i in incidents)
    assert numbers(f"-{column}") == list(reversed(ascending))


def test_overdue_handovers_are_marked_in_the_queue(desk, open_one, client_for):
    from datetime import timedelta

    incident = open_one()
    handover = ops.hand_over(
        desk["people"]["agent"], incident, to_group=desk["groups"]["database"], reason="x"
    )
    client = client_for(desk["dba"])
    assert "past target" not in client.get("/incidents/?queue=pending").content.decode()
    Handover.objects.filter(pk=handover.pk).update(
        created_at=handover.created_at - timedelta(minutes=45)
    )
    assert "past target" in client.get("/incidents/?queue=pending").content.decode()


def test_the_handover_overview(desk, open_one, client_for):
    incident = open_one(title="Waiting one")
    ops.hand_over(
        desk["people"]["agent"], incident, to_group=desk["groups"]["database"], reason="DB"
    )
    html = client_for(desk["dba"]).get("/incidents/handovers/").content.decode()
    assert incident.number in html and "Waiting one" in html and "Database" in html
    other = client_for(desk["people"]["agent"]).get("/incidents/handovers/").content.decode()
    assert "Nothing is waiting for your groups." in other
    assert client_for(desk["people"]["requester"]).get("/incidents/handovers/").status_code == 404


def _tabs(client) -> str:
    html = client.get("/incidents/").content.decode()
    return html[html.index('id="id_queue"') : html.index("</select>", html.index('id="id_queue"'))]


def test_tab_counts_follow_membership_assignment_and_handovers(desk, open_one, client_for):
    """The counts statement is compiled once per user, groups and visibility: every change of
    those, and of the incidents, shows on the next page view."""
    dba, agent = desk["dba"], desk["people"]["agent"]
    database, network = desk["groups"]["database"], desk["groups"]["network"]
    open_one(owning_group=database)
    mine = open_one(owning_group=database)
    open_one(owning_group=network)
    client = client_for(dba)
    assert "My groups (2)" in _tabs(client) and "Unassigned (2)" in _tabs(client)
    assert "My work (0)" in _tabs(client)

    ops.assign(dba, mine, dba)
    assert "My work (1)" in _tabs(client) and "Unassigned (1)" in _tabs(client)

    people_ops.update_group(None, network, version=network.version, members=[dba])
    assert "My groups (3)" in _tabs(client) and "Unassigned (2)" in _tabs(client)

    away = open_one(owning_group=desk["groups"]["desk"])
    ops.hand_over(agent, away, to_group=database, reason="db", note="tried restart")
    assert "Handovers to my groups (1)" in _tabs(client)
    # another member of the same groups sees the same; the sender's group does not wait
    assert "Handovers to my groups (1)" in _tabs(client_for(desk["dba2"]))
    assert "Handovers to my groups (0)" in _tabs(client_for(agent))


def test_queue_pages_follow_the_data_from_empty_to_two_pages(desk, open_one, client_for):
    """Queue pages run statements compiled once per user, queue, filters, sort and slice: an
    empty page, a short one and a full one of the same queue each show what is there now."""
    client = client_for(desk["people"]["agent"])

    def numbers(**params) -> list[str]:
        html = client.get("/incidents/", params).content.decode()
        return re.findall(r">(INC\d{7})</a>", html)

    assert numbers() == []
    first = [open_one(title=f"first {n}") for n in range(2)]
    assert numbers() == [i.number for i in reversed(first)]
    more = [open_one(title=f"more {n}") for n in range(PAGE_SIZE)]
    everything = [i.number for i in reversed(first + more)]
    assert numbers() == everything[:PAGE_SIZE]
    assert numbers(page=2) == everything[PAGE_SIZE:]
    assert numbers(sort="number", page=2) == sorted(everything)[PAGE_SIZE:]
    assert "handover pending" not in client.get("/incidents/", {"page": 2}).content.decode()
    ops.hand_over(None, first[0], to_group=desk["groups"]["database"], reason="db", note="")
    assert "handover pending → Database" in client.get("/incidents/", {"page": 2}).content.decode()


def test_an_agent_in_no_group_sees_empty_queues_counted(desk, open_one, client_for, make_user):
    from steward.people.choices import Role

    open_one()
    loner = make_user("loner", roles=[Role.AGENT])
    html = _tabs(client_for(loner))
    assert "My groups (0)" in html and "Unassigned (0)" in html and "My work (0)" in html


def test_queue_tabs_stay_exact_past_the_count_limit_and_the_rest_stop_there(
    desk, open_one, client_for, settings
):
    """My groups, My work and Unassigned add up the queue tallies: exact however large, and
    their list pages through every row. A filtered list, and the small queues (handovers,
    major incidents), count up to STEWARD_LIST_COUNT_LIMIT and say "more than" past it."""
    settings.STEWARD_LIST_COUNT_LIMIT = 3
    agent, desk2 = desk["people"]["agent"], desk["desk2"]
    for n in range(4):
        open_one(title=f"printer {n}")
    for n in range(4):
        ops.assign(agent, open_one(title=f"printer mine {n}"), agent)
    client = client_for(agent)
    tabs = _tabs(client)
    assert "My groups (8)" in tabs and "Unassigned (4)" in tabs and "My work (4)" in tabs
    assert "1–8 of 8" in client.get("/incidents/").content.decode()
    start = client.get("/").content.decode()
    assert '<span class="count">8</span>' in start and '<span class="count">4</span>' in start
    # a filtered list counts up to the limit; one that fits is counted exactly
    assert "of more than 3" in client.get("/incidents/", {"q": "printer"}).content.decode()
    # four incidents handed over to the desk: that queue counts up to the limit
    for n in range(4):
        away = open_one(owning_group=desk["groups"]["database"], title=f"db {n}")
        ops.hand_over(desk["dba"], away, to_group=desk["groups"]["desk"], reason="r", note="")
    assert "Handovers to my groups (3+)" in _tabs(client_for(desk2))
    settings.STEWARD_LIST_COUNT_LIMIT = 10
    assert "Handovers to my groups (4)" in _tabs(client_for(desk2))
    assert "1–8 of 8" in client.get("/incidents/", {"q": "printer"}).content.decode()


def test_the_start_page_says_how_many_of_a_panel_it_shows(desk, open_one, client_for):
    for n in range(10):
        open_one(title=f"vpn {n}")
    html = client_for(desk["people"]["agent"]).get("/").content.decode()
    assert "8 of 10 shown" in html


def test_the_queue_shows_short_times_with_the_whole_time_on_hover(desk, open_one, client_for):
    """Updated: "14:05" today, the date before; the whole time is the element's title."""
    import datetime as dt

    from django.utils import timezone
    from django.utils.dates import MONTHS_3

    incident = open_one()
    html = client_for(desk["people"]["agent"]).get("/incidents/").content.decode()
    local = timezone.localtime(Incident.objects.get(pk=incident.pk).updated_at)
    clock, month = local.strftime("%H:%M"), str(MONTHS_3[local.month]).title()
    assert f'title="{local.day} {month} {local.year}, {clock}">{clock}</time>' in html
    old = local - dt.timedelta(days=400)
    Incident.objects.filter(pk=incident.pk).update(updated_at=old)
    html = client_for(desk["people"]["agent"]).get("/incidents/").content.decode()
    assert f">{old.day} {str(MONTHS_3[old.month]).title()} {old.year}</time>" in html


def test_view_all_of_a_start_page_panel_opens_that_queue(desk, client_for):
    html = client_for(desk["people"]["agent"]).get("/").content.decode()
    assert 'href="/incidents/?queue=mine">View all' in html
    assert 'href="/incidents/?queue=my_groups">View all' in html
