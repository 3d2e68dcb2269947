"""Calendar operations: validation by field, holidays (manual and imported), journal, versions."""

from __future__ import annotations

import datetime as dt

import pytest

from steward.core.errors import PermissionDenied, StaleVersion, ValidationError
from steward.core.journal import history
from steward.slm import operations as ops
from steward.slm.models import DEFAULT_CALENDAR_NAME, Calendar, CalendarHoliday, HolidaySource
from steward.slm.validation import parse_hours
from tests.slm.helpers import AMS, local

pytestmark = pytest.mark.django_db
HOUR = 3600
SPLIT = {d: [["08:00", "12:00"], ["13:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}


def make(actor=None, **fields):
    fields = {"name": "Amsterdam office", "time_zone": "Europe/Amsterdam", "hours": SPLIT} | fields
    return ops.create_calendar(actor, **fields)


def test_the_default_calendar_counts_every_instant():
    default = Calendar.objects.default()
    assert default.name == DEFAULT_CALENDAR_NAME == "24×7"
    work = default.as_work_calendar()
    start = dt.datetime(2026, 3, 29, tzinfo=dt.UTC)
    assert work.add(start, 86400) == start + dt.timedelta(days=1)


def test_create_normalizes_hours_imports_holidays_and_journals(admin_user):
    cal = make(
        admin_user,
        hours={"tue": [["13:00", "17:00"], ["08:00", "12:00"]]},
        holidays=["2026-01-02"],
        holiday_country="nl",
        holiday_years=[2026],
    )
    assert cal.hours["tue"] == [["08:00", "12:00"], ["13:00", "17:00"]]
    assert cal.hours["mon"] == [] and list(cal.hours) == [
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
        "sat",
        "sun",
    ]
    assert cal.holiday_country == "NL"
    rows = {h.date: h for h in cal.holiday_rows.all()}
    assert rows[dt.date(2026, 1, 2)].source == HolidaySource.MANUAL
    assert rows[dt.date(2026, 4, 27)].source == HolidaySource.IMPORTED
    assert rows[dt.date(2026, 4, 27)].name == "King's Day"
    [entry] = history(cal)
    assert entry.action == "created" and entry.actor == admin_user
    assert entry.changes["holidays"] == [None, ["2026-01-02"]]
    assert "2026-04-27" in entry.changes["imported_holidays"][1]


def test_as_work_calendar_includes_every_holiday(admin_user):
    cal = make(admin_user, holidays=["2026-04-28"], holiday_country="NL", holiday_years=[2026])
    work = cal.as_work_calendar()
    friday = local(AMS, 2026, 4, 24, 15, 30)
    assert work.add(friday, 4 * HOUR) == local(AMS, 2026, 4, 29, 10, 30)


def test_a_manual_date_wins_over_an_imported_one(admin_user):
    cal = make(admin_user, holidays=["2026-04-27"], holiday_country="NL", holiday_years=[2026])
    row = cal.holiday_rows.get(date=dt.date(2026, 4, 27))
    assert row.source == HolidaySource.MANUAL
    ops.update_calendar(admin_user, cal, version=cal.version, holidays=[])
    row = cal.holiday_rows.get(date=dt.date(2026, 4, 27))
    assert row.source == HolidaySource.IMPORTED


def test_import_holidays_for_a_subdivision_replaces_the_imported_dates(admin_user):
    cal = make(admin_user, holiday_country="NL", holiday_years=[2026])
    ops.import_holidays(
        admin_user, cal, version=cal.version, country="US", subdivision="NY", years=[2026, 2027]
    )
    cal.refresh_from_db()
    assert (cal.holiday_country, cal.holiday_subdivision, cal.holiday_years) == (
        "US",
        "NY",
        [2026, 2027],
    )
    dates = set(cal.holiday_rows.values_list("date", flat=True))
    assert dt.date(2026, 4, 27) not in dates
    assert {dt.date(2026, 7, 3), dt.date(2027, 7, 5)} <= dates  # Independence Day observed
    assert history(cal).last().action == "updated"


def test_update_checks_the_version_and_writes_nothing_when_stale(admin_user):
    cal = make(admin_user)
    ops.update_calendar(admin_user, cal, version=1, name="Renamed")
    stale = Calendar.objects.get(pk=cal.pk)
    stale.version = 1
    with pytest.raises(StaleVersion):
        ops.update_calendar(admin_user, stale, version=1, name="Lost", holidays=["2026-05-05"])
    cal.refresh_from_db()
    assert (cal.name, cal.version) == ("Renamed", 2)
    assert not CalendarHoliday.objects.filter(calendar=cal).exists()
    assert [e.action for e in history(cal)] == ["created", "updated"]


def test_only_administrators_change_calendars(agent, requester):
    with pytest.raises(PermissionDenied):
        make(agent)
    with pytest.raises(PermissionDenied):
        make(requester)
    cal = make()
    with pytest.raises(PermissionDenied):
        ops.update_calendar(agent, cal, version=1, name="Mine")
    assert Calendar.objects.get(pk=cal.pk).name == "Amsterdam office"


@pytest.mark.parametrize(
    "hours,field,problem",
    [
        ({"mon": [["25:00", "26:00"]]}, "hours.mon[0]", "between 00:00 and 24:00"),
        ({"mon": [["09:00", "17:60"]]}, "hours.mon[0]", "between 00:00 and 24:00"),
        ({"mon": [["24:00", "24:00"]]}, "hours.mon[0]", "only as the end"),
        ({"mon": [["17:00", "09:00"]]}, "hours.mon[0]", "start must come first"),
        ({"mon": [["9:00", "17:00"]]}, "hours.mon[0]", "HH:MM"),
        ({"mon": [["09:00"]]}, "hours.mon[0]", "pair"),
        (
            {"mon": [["08:00", "12:00"], ["11:00", "17:00"]]},
            "hours.mon[1]",
            "overlaps hours.mon[0]",
        ),
        ({"funday": []}, "hours.funday", "unknown weekday"),
        ({"mon": "09:00-17:00"}, "hours.mon", "list"),
        ([], "hours", "object"),
        ({"sat": [], "sun": []}, "hours", "at least one working interval"),
    ],
)
def test_bad_hours_name_the_interval(hours, field, problem):
    with pytest.raises(ValidationError) as caught:
        parse_hours(hours)
    assert field in caught.value.fields
    assert problem in " ".join(caught.value.fields[field])


def test_touching_intervals_and_a_24_00_end_are_fine():
    hours = parse_hours({"sun": [["12:00", "24:00"], ["00:00", "12:00"]]})
    assert hours["sun"] == [["00:00", "12:00"], ["12:00", "24:00"]]


@pytest.mark.parametrize(
    "fields,field",
    [
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"holidays": ["2026-02-30"]}, "holidays[0]"),
        ({"holiday_country": "XX", "holiday_years": [2026]}, "holiday_country"),
        (
            {"holiday_country": "NL", "holiday_subdivision": "ZZ", "holiday_years": [2026]},
            "holiday_subdivision",
        ),
        ({"holiday_country": "NL"}, "holiday_years"),
        ({"holiday_years": [2026]}, "holiday_years"),
        ({"holiday_country": "NL", "holiday_years": [1066]}, "holiday_years"),
    ],
)
def test_bad_fields_are_named_and_nothing_is_written(admin_user, fields, field):
    before = Calendar.objects.count(), CalendarHoliday.objects.count()
    with pytest.raises(ValidationError) as caught:
        make(admin_user, **fields)
    assert field in caught.value.fields, caught.value.fields
    assert (Calendar.objects.count(), CalendarHoliday.objects.count()) == before


def test_names_are_unique(admin_user):
    make(admin_user)
    with pytest.raises(ValidationError) as caught:
        make(admin_user)
    assert "name" in caught.value.fields
