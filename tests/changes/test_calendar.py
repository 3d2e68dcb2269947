"""The change calendar's read side: which changes a period shows, its filters, the conflicts it
flags, and the iCalendar feed as a calendar client parses it."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest

from steward.changes import calendar
from steward.changes.operations.conflicts import override_conflicts, recheck_conflicts
from tests.changes.conftest import bring_to

pytestmark = pytest.mark.django_db

UTC = dt.UTC
MONTH = (dt.datetime(2027, 6, 1, tzinfo=UTC), dt.datetime(2027, 7, 1, tzinfo=UTC))


def at(day: int, hour: int, month: int = 6) -> dt.datetime:
    return dt.datetime(2027, month, day, hour, tzinfo=UTC)


def numbers(rows) -> list[str]:
    return [getattr(r, "change", r).number for r in rows]


def test_a_period_shows_the_changes_overlapping_it_half_open(desk, make_change):
    staff = desk["people"]["agent"]
    before = make_change(planned_start=at(31, 20, 5), planned_end=at(1, 0))  # ends as June begins
    straddling = make_change(planned_start=at(31, 22, 5), planned_end=at(1, 2), implementer=None)
    inside = make_change(planned_start=at(15, 1), planned_end=at(15, 3))
    after = make_change(planned_start=at(1, 0, 7), planned_end=at(1, 2, 7))  # starts as it ends
    cancelled = bring_to(
        make_change(planned_start=at(16, 1), planned_end=at(16, 3)), "cancelled", desk
    )
    make_change(planned_start=None)

    shown = numbers(calendar.changes(staff, *MONTH))

    assert shown == [straddling.number, inside.number]
    assert before.number not in shown and after.number not in shown
    assert cancelled.number not in shown


def test_the_calendar_filters_by_service_group_and_ci(desk, make_change):
    staff, cis = desk["people"]["agent"], desk["cis"]
    banking = desk["services"]["retail_live"]
    on_app = make_change(
        planned_start=at(2, 1), planned_end=at(2, 3), services=[banking], implementer=None
    )
    on_web = make_change(
        planned_start=at(3, 1),
        planned_end=at(3, 3),
        cis=[cis["web01"]],
        owning_group=desk["groups"]["network"],
        implementer=None,
    )

    assert numbers(calendar.changes(staff, *MONTH, service=banking)) == [on_app.number]
    assert numbers(calendar.changes(staff, *MONTH, ci=cis["web01"])) == [on_web.number]
    assert numbers(calendar.changes(staff, *MONTH, group=desk["groups"]["platform"])) == [
        on_app.number
    ]
    assert numbers(calendar.changes(staff, *MONTH, ci=cis["host01"])) == []


def test_requesters_see_an_empty_calendar(desk, make_change):
    make_change(planned_start=at(2, 1), planned_end=at(2, 3))
    requester = desk["people"]["requester"]

    assert list(calendar.changes(requester, *MONTH)) == []
    feed = icalendar.Calendar.from_ical(calendar.ics(requester, *MONTH))
    assert feed.walk("VEVENT") == []


def test_entries_flag_conflicts_and_what_the_override_covered(desk, make_change):
    staff = desk["people"]["agent"]
    first = make_change(planned_start=at(2, 1), planned_end=at(2, 3))
    second = make_change(planned_start=at(2, 2), planned_end=at(2, 4))  # app01 and impl twice
    quiet = make_change(planned_start=at(9, 1), planned_end=at(9, 3))
    recheck_conflicts(first)
    override_conflicts(desk["people"]["cm"], first, reason="Agreed with the DBAs")

    rows = {e.change.number: e for e in calendar.entries(staff, *MONTH)}

    assert (rows[first.number].conflicts, rows[first.number].blocking) == (2, 0)
    assert (rows[second.number].conflicts, rows[second.number].blocking) == (2, 2)
    assert rows[second.number].kinds == ["ci_busy", "implementer_busy"]
    assert (rows[quiet.number].conflicts, rows[quiet.number].blocking) == (0, 0)


def test_entries_take_the_same_queries_for_one_or_many_changes(
    desk, make_change, django_assert_max_num_queries
):
    staff = desk["people"]["agent"]
    staff.roles  # noqa: B018 - the roles are read once per request, not per row
    for day in range(2, 12):
        change = make_change(planned_start=at(day, 1), planned_end=at(day, 3))
        make_change(planned_start=at(day, 2), planned_end=at(day, 4), implementer=None)
        recheck_conflicts(change)

    with django_assert_max_num_queries(2):
        rows = calendar.entries(staff, *MONTH)

    assert len(rows) == 20
    assert all(e.conflicts == 1 for e in rows)


def test_the_ics_feed_parses_as_icalendar(desk, make_change):
    staff = desk["people"]["agent"]
    draft = make_change(title="Patch the JVM", planned_start=at(2, 1), planned_end=at(2, 3))
    scheduled = bring_to(
        make_change(
            title="Rotate certificates",
            cis=[desk["cis"]["web01"]],
            planned_start=at(3, 22),
            planned_end=at(4, 1),
            implementer=None,
        ),
        "scheduled",
        desk,
    )

    body = calendar.ics(staff, *MONTH, base_url="https://steward.example.org/")
    feed = icalendar.Calendar.from_ical(body)
    events = {str(e["summary"]): e for e in feed.walk("VEVENT")}

    assert str(feed["version"]) == "2.0"
    assert set(events) == {
        f"{draft.number} Patch the JVM",
        f"{scheduled.number} Rotate certificates",
    }
    event = events[f"{scheduled.number} Rotate certificates"]
    assert event.decoded("dtstart") == at(3, 22)
    assert event.decoded("dtend") == at(4, 1)
    assert str(event["status"]) == "CONFIRMED"
    assert str(event["uid"]) == f"change-{scheduled.pk}@steward"
    assert str(event["url"]) == "https://steward.example.org" + scheduled.get_absolute_url()
    assert str(events[f"{draft.number} Patch the JVM"]["status"]) == "TENTATIVE"
