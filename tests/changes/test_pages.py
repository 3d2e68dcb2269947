"""The change pages per role: the list and its queues, raising a change (normal with the risk
questionnaire, standard from a template), editing with a version, a change's page (plans,
risk and what set it, impact preview, conflicts and the change manager's override,
approvals, lifecycle with the guards' reasons, review, caused incidents), the approvals
inbox, the CAB's agenda, the calendar and its iCalendar feed. Requesters find none of it."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import icalendar
import pytest
from django.utils import timezone

from steward.changes import lists
from steward.changes import operations as ops
from steward.changes.models import ChangeRequest
from steward.incidents import operations as incident_ops
from steward.people import operations as people_ops
from tests.changes.conftest import PLANS, bring_to, next_window

pytestmark = pytest.mark.django_db


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_a_requester_finds_no_change_page(desk, client_for, make_change):
    change = make_change()
    client = client_for(desk["people"]["requester"])
    for url in [
        "/changes/",
        "/changes/new/",
        "/changes/approvals/",
        "/changes/cab/",
        "/changes/calendar/",
        "/changes/calendar.ics",
        f"/changes/{change.number}/",
        f"/changes/{change.number}/edit/",
    ]:
        assert client.get(url).status_code == 404, url
    for action, data in [
        ("move", {"to": "assess", "version": change.version}),
        ("decide", {"decision": "approved"}),
        ("override", {"reason": "x", "version": change.version}),
        ("review", {"what_happened": "x"}),
        ("incidents", {"number": "INC1"}),
    ]:
        response = client.post(f"/changes/{change.number}/{action}/", data)
        assert response.status_code == 404, action
    change.refresh_from_db()
    assert change.status == "new"


def test_the_list_shows_queues_with_counts(desk, client_for, make_change):
    make_change(title="Owned change")
    make_change(title="Lonely change", owner=None, implementer=None)
    client = client_for(desk["people"]["agent"])
    body = page(client, "/changes/")
    assert "Owned change" in body and "Lonely change" in body
    assert "Without owner (1)" in body and "My changes (1)" in body
    body = page(client, "/changes/?queue=unowned")
    assert "Lonely change" in body and "Owned change" not in body
    body = page(client, "/changes/?queue=all&q=lonely")
    assert "Lonely change" in body and "Owned change" not in body


def test_lists_filter_by_planned_window_and_sort_by_start(desk, make_change):
    start, end = next_window()
    later = make_change(
        title="Later",
        planned_start=start + dt.timedelta(days=3),
        planned_end=end + dt.timedelta(days=3),
    )
    sooner = make_change(title="Sooner", planned_start=start, planned_end=end)
    make_change(title="Unplanned", planned_start=None)
    agent = desk["people"]["agent"]
    found = lists.filtered(
        agent,
        SimpleNamespace(
            planned_from=start, planned_to=end + dt.timedelta(days=4), sort="planned_start"
        ),
    )
    assert [c.title for c in found] == ["Sooner", "Later"]
    found = lists.filtered(agent, SimpleNamespace(planned_from=end, planned_to=None))
    assert [c.pk for c in found] == [later.pk]  # half-open: ending at `end` does not meet it
    assert sooner.pk not in [c.pk for c in found]


def test_awaiting_my_approval_is_the_change_managers_and_not_the_requesters(
    desk, client_for, make_change
):
    ops.set_authority(None, type="normal", risk="low", level="change_manager")
    change = bring_to(make_change(title="Needs the change manager"), "authorize", desk)
    cm, agent = desk["people"]["cm"], desk["people"]["agent"]
    assert lists.queue_counts(cm)["awaiting_me"] == 1
    assert lists.queue_counts(agent)["awaiting_me"] == 0
    body = page(client_for(cm), "/changes/approvals/")
    assert change.number in body and "Needs the change manager" in body
    assert change.number not in page(client_for(agent), "/changes/approvals/")


def test_raising_a_normal_change_with_the_questionnaire(desk, client_for):
    question = ops.create_question(
        None,
        text="Has it been done before?",
        weight=10,
        answers=[{"text": "Never", "value": 2}, {"text": "Often", "value": 0}],
    )
    never = question.answers.get(text="Never")
    client = client_for(desk["people"]["agent"])
    body = page(client, "/changes/new/")
    assert "Has it been done before?" in body and "Implementation plan" in body
    response = client.post(
        "/changes/new/",
        {
            "type": "normal",
            "title": "Move db01 to new storage",
            "owning_group": desk["groups"]["platform"].pk,
            "owner": desk["people"]["agent"].pk,
            "cis": "db01",
            "planned_start": "2027-03-02T22:00",
            "planned_end": "2027-03-03T01:00",
            "impact": "medium",
            f"risk_{question.pk}": never.pk,
            **PLANS,
        },
    )
    change = ChangeRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == change.get_absolute_url()
    assert change.risk == "high"  # 2 times 10 = 20: the default threshold of high
    assert [c.name for c in change.cis.all()] == ["db01"]
    body = page(client, change.get_absolute_url())
    assert "Has it been done before?" in body and "Never" in body


def test_an_unknown_ci_is_named_and_nothing_is_written(desk, client_for):
    response = client_for(desk["people"]["agent"]).post(
        "/changes/new/",
        {
            "type": "normal",
            "title": "Anything",
            "owning_group": desk["groups"]["platform"].pk,
            "cis": "nosuchbox",
            "impact": "medium",
        },
    )
    assert response.status_code == 422
    assert "No configuration item is called “nosuchbox”" in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_a_standard_change_from_a_template_takes_its_plans(desk, client_for):
    template = ops.create_template(
        None,
        name="Patch a web server",
        owning_group=desk["groups"]["platform"],
        implementation_plan="apt upgrade",
        backout_plan="apt rollback",
        test_plan="curl the health check",
        risk="low",
        tasks=["Drain web01", "Upgrade", "Undrain web01"],
    )
    client = client_for(desk["people"]["agent"])
    assert "Patch a web server" in page(client, "/changes/new/")
    body = page(client, f"/changes/new/?template={template.pk}")
    assert "apt upgrade" in body and 'name="implementation_plan"' not in body
    response = client.post(
        "/changes/new/",
        {
            "template": template.pk,
            "title": "Patch web01",
            "owning_group": desk["groups"]["platform"].pk,
            "cis": "web01",
        },
    )
    change = ChangeRequest.objects.get()
    assert response.status_code == 302
    assert change.type == "standard" and change.template == template
    assert change.implementation_plan == "apt upgrade"
    body = page(client, change.get_absolute_url())
    assert "<li>Drain web01</li><li>Upgrade</li><li>Undrain web01</li>" in body


def test_editing_with_a_stale_version_shows_who_changed_what(desk, client_for, make_change):
    change = make_change(title="Upgrade the JVM")
    client = client_for(desk["people"]["agent"])
    assert 'name="version"' in page(client, f"/changes/{change.number}/edit/")
    ops.update_change(desk["people"]["peer"], change, version=change.version, title="Renamed")
    response = client.post(
        f"/changes/{change.number}/edit/",
        {
            "title": "Mine",
            "owning_group": desk["groups"]["platform"].pk,
            "cis": "app01",
            "impact": "medium",
            "version": 1,
            **PLANS,
        },
    )
    assert response.status_code == 409
    change.refresh_from_db()
    assert change.title == "Renamed"


def test_the_change_page_shows_plans_impact_and_the_guards_reason(desk, client_for, make_change):
    change = make_change(backout_plan="", test_plan="")
    ops.move_change(desk["people"]["agent"], change, "assess")
    client = client_for(desk["people"]["agent"])
    body = page(client, change.get_absolute_url())
    assert "Impact preview" in body and desk["services"]["retail_live"].name in body
    assert "Before authorization the change needs" in body and "the backout plan" in body
    response = client.post(
        f"/changes/{change.number}/move/", {"to": "authorize", "version": change.version + 1}
    )
    assert response.status_code in (409, 422)
    change.refresh_from_db()
    assert change.status == "assess"


def test_the_change_manager_authorizes_and_the_owner_schedules(desk, client_for, make_change):
    ops.set_authority(None, type="normal", risk="low", level="change_manager")
    change = bring_to(make_change(), "authorize", desk)
    owner = client_for(desk["people"]["agent"])
    assert "Record my decision" not in page(owner, change.get_absolute_url())
    response = owner.post(f"/changes/{change.number}/decide/", {"decision": "approved"})
    assert response.status_code in (403, 409, 422)  # nobody approves their own change
    cm = client_for(desk["people"]["cm"])
    assert "Record my decision" in page(cm, change.get_absolute_url())
    response = cm.post(
        f"/changes/{change.number}/decide/", {"decision": "approved", "comment": "Fine"}
    )
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.authorized_at is not None
    response = owner.post(
        f"/changes/{change.number}/move/", {"to": "scheduled", "version": change.version}
    )
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.status == "scheduled"


def test_a_rejection_needs_a_reason_and_returns_the_change_to_assess(desk, client_for, make_change):
    ops.set_authority(None, type="normal", risk="low", level="change_manager")
    change = bring_to(make_change(), "authorize", desk)
    cm = client_for(desk["people"]["cm"])
    response = cm.post(f"/changes/{change.number}/decide/", {"decision": "rejected"})
    assert response.status_code == 422 and "Say why you reject it." in response.content.decode()
    cm.post(f"/changes/{change.number}/decide/", {"decision": "rejected", "comment": "No tests"})
    change.refresh_from_db()
    assert change.status == "assess" and "No tests" in change.rejection_reasons
    assert "No tests" in page(cm, change.get_absolute_url())


def test_a_conflict_is_shown_and_only_the_change_manager_overrides_it(
    desk, client_for, make_change
):
    start, end = next_window()
    other = make_change(title="Other work on app01", planned_start=start, planned_end=end)
    change = make_change(
        title="Mine", planned_start=start, planned_end=end, implementer=desk["people"]["peer"]
    )
    agent = client_for(desk["people"]["agent"])
    body = page(agent, change.get_absolute_url())
    assert "CI in another change" in body and other.number in body
    assert "Override the conflicts" not in body
    response = agent.post(
        f"/changes/{change.number}/override/", {"reason": "x", "version": change.version}
    )
    assert response.status_code in (403, 404, 422)
    cm = client_for(desk["people"]["cm"])
    assert "Override the conflicts" in page(cm, change.get_absolute_url())
    response = cm.post(
        f"/changes/{change.number}/override/",
        {"reason": "Both are tiny", "version": change.version},
    )
    assert response.status_code == 302
    body = page(cm, change.get_absolute_url())
    assert "Both are tiny" in body and "Overridden" in body


def test_the_review_and_a_caused_incident(desk, client_for, make_change, open_incident):
    change = bring_to(make_change(), "implement", desk)
    client = client_for(desk["people"]["agent"])
    response = client.post(
        f"/changes/{change.number}/review/",
        {
            "what_happened": "The JVM would not start",
            "cause": "Missing flag",
            "follow_ups": "Add the flag to the template @peer",
        },
    )
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.review.follow_ups[0]["owner"] == desk["people"]["peer"].pk
    incident = open_incident()
    client.post(f"/changes/{change.number}/incidents/", {"number": incident.number})
    body = page(client, change.get_absolute_url())
    assert "The JVM would not start" in body and incident.number in body


@pytest.fixture
def open_incident(desk):
    def make():
        return incident_ops.open_incident(
            desk["people"]["agent"],
            caller=desk["people"]["requester"],
            title="Banking is down",
            service=desk["services"]["retail_live"],
            owning_group=desk["groups"]["platform"],
            impact=2,
            urgency=2,
        )

    return make


def test_the_cab_agenda_lists_what_awaits_the_board(desk, client_for, make_change):
    board = ops.create_board(None, group=desk["groups"]["cab"], quorum=2, meets_on="Tuesdays")
    ops.set_authority(None, type="normal", risk="low", level="board", board=board)
    change = bring_to(make_change(title="Big one"), "authorize", desk)
    body = page(client_for(desk["people"]["cab1"]), "/changes/cab/")
    assert "Big one" in body and "Tuesdays" in body and "0 of 2 approvals so far" in body
    assert change.number in page(client_for(desk["people"]["cab1"]), "/changes/approvals/")


def test_the_calendar_shows_the_month_the_week_and_the_list(desk, client_for, make_change):
    start = timezone.now().replace(hour=10, minute=0, second=0, microsecond=0)
    change = make_change(
        title="Calendar work", planned_start=start, planned_end=start + dt.timedelta(hours=1)
    )
    make_change(
        title="On web01",
        cis=[desk["cis"]["web01"]],
        planned_start=start,
        planned_end=start + dt.timedelta(hours=1),
        implementer=desk["people"]["peer"],
    )
    client = client_for(desk["people"]["agent"])
    for view in ("month", "week", "list"):
        body = page(client, f"/changes/calendar/?view={view}&day={start.date().isoformat()}")
        assert change.number in body and "Calendar work" in body, view
    body = page(client, f"/changes/calendar/?view=list&ci=app01&day={start.date().isoformat()}")
    assert "Calendar work" in body and "On web01" not in body
    assert "cal__change--conflict" not in page(client, f"/changes/calendar/?day={start.date()}")
    make_change(
        title="Clash on app01",
        planned_start=start,
        planned_end=start + dt.timedelta(hours=1),
        implementer=desk["people"]["cab1"],
    )
    body = page(client, f"/changes/calendar/?day={start.date()}")
    assert body.count("cal__change--conflict") == 2  # both changes on app01 are marked


def test_the_feed_is_read_with_a_token_and_parsed_by_icalendar(desk, client, make_change):
    change = make_change(title="In the feed")
    agent = desk["people"]["agent"]
    _token, secret = people_ops.create_api_token(agent, agent, name="calendar", scope="read")
    response = client.get(f"/changes/calendar.ics?token={secret}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    summaries = [str(e["summary"]) for e in cal.walk("VEVENT")]
    assert f"{change.number} In the feed" in summaries
    assert client.get("/changes/calendar.ics?token=wrong").status_code == 404
    requester = desk["people"]["requester"]
    _token, secret = people_ops.create_api_token(
        requester, requester, name="calendar", scope="read"
    )
    assert client.get(f"/changes/calendar.ics?token={secret}").status_code == 404


def test_the_list_reads_in_a_constant_number_of_queries(
    desk, client_for, make_change, django_assert_max_num_queries
):
    for n in range(3):
        make_change(title=f"Change {n}")
    client = client_for(desk["people"]["agent"])
    with django_assert_max_num_queries(25) as few:
        client.get("/changes/?queue=all")
    for n in range(10):
        make_change(title=f"More {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/changes/?queue=all")


def test_the_awaiting_queue_agrees_with_who_may_approve(desk, make_change):
    from steward.changes.authorization import may_approve

    board = ops.create_board(None, group=desk["groups"]["cab"], quorum=2)
    ops.set_authority(None, type="normal", risk="moderate", level="board", board=board)
    ops.set_authority(None, type="normal", risk="high", level="change_manager")
    question = ops.create_question(
        None,
        text="How big is it?",
        weight=10,
        answers=[{"text": "Moderate", "value": 1}, {"text": "Large", "value": 2}],
    )
    changes = [bring_to(make_change(title="Peer"), "authorize", desk)]
    for text in ("Moderate", "Large"):
        answer = question.answers.get(text=text)
        changes.append(
            bring_to(make_change(title=text, answers={question.pk: answer.pk}), "authorize", desk)
        )
    assert [c.risk for c in changes] == ["low", "moderate", "high"]
    ops.decide(desk["people"]["cab1"], changes[1], decision="approved")
    for person in desk["people"].values():
        expected = {c.pk for c in changes if may_approve(person, c)}
        queue = lists.filtered(person, SimpleNamespace(queue="awaiting_me"))
        assert set(queue.values_list("pk", flat=True)) == expected, person.username


def test_the_change_page_inbox_and_calendar_read_in_bounded_queries(
    desk, client_for, make_change, django_assert_max_num_queries
):
    ops.set_authority(None, type="normal", risk="low", level="change_manager")
    changes = [bring_to(make_change(title=f"C{n}"), "authorize", desk) for n in range(3)]
    client = client_for(desk["people"]["cm"])
    day = changes[0].planned_start.date().isoformat()
    counts = {}
    for url in ("/changes/approvals/", f"/changes/calendar/?day={day}"):
        with django_assert_max_num_queries(40) as few:
            client.get(url)
        counts[url] = len(few.captured_queries)
    with django_assert_max_num_queries(60):
        client.get(changes[0].get_absolute_url())
    for n in range(5):
        bring_to(make_change(title=f"More {n}"), "authorize", desk)
    for url, count in counts.items():
        with django_assert_max_num_queries(count):
            client.get(url)


def test_a_scheduled_change_keeps_its_window_unless_sent_back(desk, client_for, make_change):
    change = bring_to(make_change(title="Planned work"), "scheduled", desk)
    client = client_for(desk["people"]["agent"])
    form = {
        "title": "Planned work, renamed",
        "owning_group": desk["groups"]["platform"].pk,
        "owner": desk["people"]["agent"].pk,
        "implementer": desk["people"]["impl"].pk,
        "cis": "app01",
        "planned_start": timezone.localtime(change.planned_start).strftime("%Y-%m-%dT%H:%M"),
        "planned_end": timezone.localtime(change.planned_end).strftime("%Y-%m-%dT%H:%M"),
        "impact": "medium",
        "version": change.version,
        **PLANS,
    }
    assert client.post(f"/changes/{change.number}/edit/", form).status_code == 302
    change.refresh_from_db()
    later = timezone.localtime(change.planned_start) + dt.timedelta(days=1)
    form |= {"version": change.version, "planned_start": later.strftime("%Y-%m-%dT%H:%M")}
    form["planned_end"] = (later + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(f"/changes/{change.number}/edit/", form)
    assert response.status_code == 409
    assert "move it back to Assess first" in response.content.decode()
    change.refresh_from_db()
    assert change.title == "Planned work, renamed" and change.status == "scheduled"
