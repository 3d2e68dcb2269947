"""The queue page as an agent works it: the major-incident badge, the SLA due column (read in
the page's own statement, sortable), the selection boxes of bulk actions, and a requester's
list without any of them."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from steward.incidents import operations as ops
from steward.incidents import queries
from steward.incidents.lists import clean_sort, order_for
from steward.slm import operations as slm
from steward.slm.models import SlaClock

pytestmark = pytest.mark.django_db
HOUR = 3600


@pytest.fixture
def slas(desk):
    admin = desk["people"]["admin"]
    slm.create_definition(
        admin, name="P3", priority="P3", response_seconds=HOUR, resolution_seconds=8 * HOUR
    )
    slm.create_definition(
        admin, name="P1", priority="P1", response_seconds=600, resolution_seconds=2 * HOUR
    )
    return desk


def _rows(html: str) -> list[str]:
    """The queue's rows, each as its HTML."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr>.*?</tr>", body, re.S)


def _numbers(html: str) -> list[str]:
    return re.findall(r">(INC\d+)</a></td>", html)


def test_major_incidents_carry_a_badge_in_the_queues(desk, open_one, client_for):
    agent, admin = desk["people"]["agent"], desk["people"]["admin"]
    major, ordinary = open_one(title="Everything is down"), open_one(title="One printer")
    ops.declare_major(admin, major, reason="all branches", manager=admin)
    html = client_for(agent).get("/incidents/?queue=all").content.decode()
    by_number = {_numbers(row)[0]: row for row in _rows(html)}
    assert "Major incident" in by_number[major.number]
    assert "Major incident" not in by_number[ordinary.number]


def test_the_sla_column_shows_the_due_time_and_the_time_left(slas, open_one, client_for):
    agent = slas["people"]["agent"]
    p1 = open_one(title="Urgent one", impact=1, urgency=1)
    p3 = open_one(title="Ordinary one")  # impact and urgency medium: P3
    no_sla = open_one(title="Low one", impact=3, urgency=3)  # P5: no definition covers it
    html = client_for(agent).get("/incidents/?queue=all").content.decode()
    rows = {_numbers(row)[0]: row for row in _rows(html)}
    assert re.search(r"1 h 5\d min left", rows[p1.number])  # a 2-hour target, round the clock
    assert re.search(r"7 h 5\d min left", rows[p3.number])
    due = SlaClock.objects.get(record_id=str(p1.pk), metric="resolution").due_at
    local = timezone.localtime(due)
    assert f'datetime="{local.isoformat()}"' in rows[p1.number]
    assert 'class="cell-sla"><span class="muted">—</span>' in rows[no_sla.number]


def test_a_paused_clock_shows_its_working_time_left_and_a_breach_says_so(
    slas, open_one, client_for
):
    agent = slas["people"]["agent"]
    held = open_one(title="Waiting for the caller")
    ops.transition(agent, held, "in_progress")
    ops.transition(agent, held, "on_hold", hold_reason="awaiting_caller")
    late = open_one(title="Late one", impact=1, urgency=1)
    # the clock ran out an hour ago (as the periodic job would find it)
    SlaClock.objects.filter(record_id=str(late.pk), metric="resolution").update(
        due_at=timezone.now() - timedelta(hours=1), state="breached"
    )
    html = client_for(agent).get("/incidents/?queue=all").content.decode()
    rows = {_numbers(row)[0]: row for row in _rows(html)}
    # 8 working hours minus the moment it ran (under a second, or a few on a busy machine)
    left = re.search(r"(7 h 5\d|8 h 0) min left", rows[held.number])
    assert "Paused" in rows[held.number] and left
    assert "Breached" in rows[late.number] and "overdue by 1 h" in rows[late.number]


def test_the_queue_sorts_by_sla_due_soonest_first_and_without_a_clock_last(
    slas, open_one, client_for
):
    p3 = open_one(title="Ordinary one")
    none = open_one(title="No SLA", impact=3, urgency=3)
    p1 = open_one(title="Urgent one", impact=1, urgency=1)
    client = client_for(slas["people"]["agent"])
    html = client.get("/incidents/?queue=all&sort=due").content.decode()
    assert _numbers(html) == [p1.number, p3.number, none.number]
    assert 'aria-sort="ascending"' in html
    html = client.get("/incidents/?queue=all&sort=-due").content.decode()
    assert _numbers(html) == [p3.number, p1.number, none.number]


def test_the_export_follows_the_sla_sort(slas, open_one, client_for):
    p3 = open_one(title="Ordinary one")
    p1 = open_one(title="Urgent one", impact=1, urgency=1)
    response = client_for(slas["people"]["agent"]).get("/incidents/export.csv?queue=all&sort=due")
    text = b"".join(response.streaming_content).decode()
    assert text.index(p1.number) < text.index(p3.number)


def test_an_unknown_sort_falls_back_and_due_orders_by_an_expression():
    assert clean_sort("due") == "due" and clean_sort("-due") == "-due"
    assert clean_sort("sla_due") == "priority"
    assert [str(o) for o in order_for("number")] == ["id"]
    first = order_for("due")[0]
    assert first.nulls_last and not first.descending
    assert order_for("-due")[0].descending and order_for("-due")[1] == "id"


def test_staff_rows_carry_a_selection_box_with_the_version_read(desk, open_one, client_for):
    incident = open_one()
    ops.assign(desk["people"]["agent"], incident, desk["people"]["agent"])
    incident.refresh_from_db()
    html = client_for(desk["people"]["agent"]).get("/incidents/?queue=all").content.decode()
    assert f'value="{incident.pk}:{incident.version}"' in html
    assert 'form="bulk-form"' in html and 'id="bulk-form"' in html
    assert f'aria-label="Select {incident.number}"' in html


def test_a_requester_sees_no_selection_no_sla_column_and_no_major_badge(slas, open_one, client_for):
    admin = slas["people"]["admin"]
    incident = open_one(impact=1, urgency=1)
    ops.declare_major(admin, incident, reason="all branches", manager=admin)
    html = client_for(slas["people"]["requester"]).get("/incidents/").content.decode()
    assert incident.number in html
    for staff_only in ('name="pick"', "bulk-form", "SLA due", "Major incident", "cell-sla"):
        assert staff_only not in html, staff_only


def test_the_queue_page_reads_the_new_columns_in_its_own_statement(
    slas, open_one, client_for, django_assert_max_num_queries
):
    """Major badge and SLA due add no query per row: the same count for 1 row and for 16, with
    the SLA sort too."""
    agent, admin = slas["people"]["agent"], slas["people"]["admin"]
    client = client_for(agent)
    first = open_one(impact=1, urgency=1)
    ops.declare_major(admin, first, reason="x", manager=admin)
    for url in ("/incidents/?queue=all", "/incidents/?queue=all&sort=due"):
        client.get(url)
        with django_assert_max_num_queries(30) as few:
            client.get(url)
        baseline = len(few.captured_queries)
        for i in range(15):
            incident = open_one(title=f"More {i}", impact=1 + i % 3, urgency=1 + i % 3)
            if i % 4 == 0:
                ops.declare_major(admin, incident, reason="x", manager=admin)
        with django_assert_max_num_queries(baseline):
            client.get(url)


def test_driver_values_become_times_as_the_orm_gives_them():
    from datetime import UTC, datetime

    assert queries.stamp("2026-12-04 10:00:00") == datetime(2026, 12, 4, 10, tzinfo=UTC)
    assert queries.stamp(None) is None
    aware = datetime(2026, 12, 4, 10, tzinfo=UTC)
    assert queries.stamp(aware) is aware
