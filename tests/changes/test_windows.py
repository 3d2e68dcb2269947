"""Maintenance windows and blackout periods: the time arithmetic (``changes.windows``) and
keeping them (``operations.windows``): who may, what is checked, and that the changes a
window concerns are rechecked when it is created, moved or deleted."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from steward.changes import windows
from steward.changes.choices import ConflictKind as Kind
from steward.changes.models import ChangeWindow, Conflict
from steward.changes.operations.windows import create_window, delete_window, update_window
from steward.core.errors import NotFound, PermissionDenied, StaleVersion, ValidationError
from steward.core.models import JournalEntry

UTC = dt.UTC


def t(day: int, hour: int, month: int = 6) -> dt.datetime:
    return dt.datetime(2027, month, day, hour, tzinfo=UTC)


def weekly(hours, tz="UTC"):
    return SimpleNamespace(hours=hours, time_zone=tz, starts_at=None, ends_at=None)


def dated(start, end):
    return SimpleNamespace(hours=None, time_zone="UTC", starts_at=start, ends_at=end)


# --- the arithmetic (no database) ------------------------------------------------------------


def test_a_dated_window_is_open_half_open():
    window = dated(t(8, 2), t(8, 6))

    assert windows.touches(window, t(8, 5), t(8, 7))
    assert not windows.touches(window, t(8, 6), t(8, 7))  # starts as it closes
    assert not windows.touches(window, t(8, 0), t(8, 2))  # ends as it opens
    assert windows.covered([window], t(8, 2), t(8, 6))
    assert not windows.covered([window], t(8, 1), t(8, 6))


def test_weekly_windows_cover_together_but_not_across_a_gap():
    tuesday_night = weekly({"tue": [["22:00", "24:00"]]})
    wednesday_early = weekly({"wed": [["00:00", "04:00"]]})
    wednesday_late = weekly({"wed": [["05:00", "06:00"]]})

    assert windows.covered([tuesday_night, wednesday_early], t(8, 22), t(9, 4))
    assert not windows.covered([tuesday_night], t(8, 22), t(9, 4))
    assert not windows.covered([tuesday_night, wednesday_early, wednesday_late], t(8, 22), t(9, 6))


def test_a_weekly_window_follows_the_wall_clock_through_dst():
    sunday_night = weekly({"sun": [["01:00", "05:00"]]}, "Europe/Amsterdam")

    spring = windows.open_spans(sunday_night, t(27, 0, 3), t(29, 0, 3))
    autumn = windows.open_spans(sunday_night, t(30, 0, 10), t(1, 0, 11))

    assert spring == [(t(28, 0, 3), t(28, 3, 3))]  # three hours: the clocks skip 02:00-03:00
    assert autumn == [(t(30, 23, 10), t(31, 4, 10))]  # five hours: 02:00-03:00 twice


# --- keeping windows --------------------------------------------------------------------------


@pytest.mark.django_db
def test_admins_and_change_managers_keep_windows_and_others_may_not(desk):
    people = desk["people"]
    hours = {"sat": [["22:00", "24:00"]]}

    by_cm = create_window(people["cm"], kind="maintenance", name="Saturday", hours=hours)
    by_admin = create_window(people["admin"], kind="blackout", name="Freeze", hours=hours)

    assert {by_cm.kind, by_admin.kind} == {"maintenance", "blackout"}
    assert JournalEntry.objects.filter(record_id=str(by_cm.pk), action="window_created").exists()
    with pytest.raises(PermissionDenied):
        create_window(people["agent"], kind="maintenance", name="Mine", hours=hours)
    with pytest.raises(NotFound):
        create_window(people["requester"], kind="maintenance", name="Mine", hours=hours)
    with pytest.raises(PermissionDenied):
        delete_window(people["agent"], by_cm)
    assert ChangeWindow.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"hours": {"sat": [["22:00", "25:00"]]}}, "hours.sat"),
        ({"hours": {"someday": [["01:00", "02:00"]]}}, "hours.someday"),
        ({"hours": {"sat": [["22:00", "24:00"]]}, "time_zone": "Mars/Olympus"}, "time_zone"),
        ({"starts_at": t(8, 6), "ends_at": t(8, 2)}, "ends_at"),
        ({"starts_at": t(8, 2)}, "ends_at"),
        ({"starts_at": t(8, 2).replace(tzinfo=None), "ends_at": t(8, 6)}, "starts_at"),
        ({"hours": {"sat": [["22:00", "24:00"]]}, "starts_at": t(8, 2)}, "hours"),
        ({"hours": {"sat": [["22:00", "24:00"]]}, "name": "  "}, "name"),
        ({"hours": {"sat": [["22:00", "24:00"]]}, "kind": "holiday"}, "kind"),
    ],
)
def test_bad_windows_are_refused_naming_the_field(desk, fields, field):
    fields = {"kind": "maintenance", "name": "W", **fields}

    with pytest.raises(ValidationError) as refused:
        create_window(desk["people"]["cm"], **fields)

    assert any(name.startswith(field) for name in refused.value.fields), refused.value.fields
    assert ChangeWindow.objects.count() == 0


@pytest.mark.django_db
def test_a_weekly_window_without_hours_is_refused_as_a_window_not_a_calendar(desk):
    with pytest.raises(ValidationError) as refused:
        create_window(desk["people"]["cm"], kind="maintenance", name="W", hours={})

    assert refused.value.fields == {
        "hours": ["give at least one interval: a weekly window without hours never opens"]
    }


@pytest.mark.django_db
def test_a_window_rechecks_the_changes_it_concerns_when_created_moved_and_deleted(
    desk, make_change
):
    cm, app01 = desk["people"]["cm"], desk["cis"]["app01"]
    change = make_change(planned_start=t(8, 10), planned_end=t(8, 12))  # a Tuesday
    related = make_change(
        planned_start=t(8, 10), planned_end=t(8, 12), cis=[desk["cis"]["db01"]], implementer=None
    )

    def kinds(c):
        return sorted(Conflict.objects.filter(change=c).values_list("kind", flat=True))

    window = create_window(
        cm, kind="maintenance", name="Sunday", hours={"sun": [["01:00", "05:00"]]}, cis=[app01]
    )
    assert kinds(change) == [Kind.OUTSIDE_WINDOW]
    assert kinds(related) == [Kind.RELATED_OUTSIDE_WINDOW]

    window = update_window(cm, window, version=window.version, hours={"tue": [["08:00", "18:00"]]})
    assert kinds(change) == [] and kinds(related) == []

    window = update_window(
        cm, window, version=window.version, hours={"mon": [["08:00", "18:00"]]}, cis=[]
    )
    assert kinds(change) == []  # no longer names app01
    update_window(cm, window, version=window.version, cis=[app01])
    assert kinds(change) == [Kind.OUTSIDE_WINDOW]

    delete_window(cm, window)
    assert kinds(change) == [] and kinds(related) == []
    assert JournalEntry.objects.filter(record_id=str(window.pk), action="window_deleted").exists()


@pytest.mark.django_db
def test_a_stale_window_update_changes_nothing(desk):
    cm = desk["people"]["cm"]
    window = create_window(cm, kind="blackout", name="Freeze", starts_at=t(8, 0), ends_at=t(9, 0))
    update_window(cm, window, version=window.version, name="Year-end freeze")

    with pytest.raises(StaleVersion):
        update_window(cm, window, version=window.version, name="Other")

    window.refresh_from_db()
    assert window.name == "Year-end freeze"
