"""Conflict detection over the CMDB and the change manager's override (issue 18).

The desk's CMDB: ``app01`` -depends on-> ``db01`` -runs on-> ``host01``; ``web01`` stands
alone. ``app01`` and ``db01`` deliver Online Banking. Every change of ``make_change`` is
implemented by ``impl`` unless told otherwise, so tests that look at one kind give the second
change another implementer."""

from __future__ import annotations

import datetime as dt

import pytest

from steward.changes import conflicts
from steward.changes import operations as ops
from steward.changes.choices import ConflictKind as Kind
from steward.changes.models import Conflict
from steward.changes.operations.conflicts import override_conflicts, recheck_conflicts
from steward.changes.operations.windows import create_window, update_window
from steward.core.errors import NotFound, PermissionDenied, ValidationError
from steward.core.models import JournalEntry
from steward.services.operations import cmdb
from tests.changes.conftest import bring_to

pytestmark = pytest.mark.django_db

UTC = dt.UTC
#: A Tuesday, far enough ahead to be a plan.
DAY = dt.datetime(2027, 6, 8, tzinfo=UTC)


def at(hour: float, days: int = 0) -> dt.datetime:
    return DAY + dt.timedelta(days=days, hours=hour)


def found(change, kind=None) -> list[tuple]:
    """What ``find`` says, as comparable tuples (kind, other change, CI, related CI, window,
    person), of one kind when given."""
    return [
        (c.kind, c.other_change_id, c.ci_id, c.related_ci_id, c.window_id, c.person_id)
        for c in conflicts.find(change)
        if kind is None or c.kind == kind
    ]


@pytest.fixture
def two(desk, make_change):
    """plan(start, end, **fields) -> a change on app01 over [start, end) (hours of DAY)."""

    def plan(start: float, end: float, **fields):
        return make_change(planned_start=at(start), planned_end=at(end), **fields)

    return plan


# --- CI in another change --------------------------------------------------------------------


def test_a_ci_in_an_overlapping_change_conflicts_both_ways(desk, two):
    app01 = desk["cis"]["app01"]
    first = two(1, 3)
    second = two(2, 4, implementer=desk["people"]["peer"])

    assert found(first, Kind.CI_BUSY) == [(Kind.CI_BUSY, second.pk, app01.pk, None, None, None)]
    assert found(second, Kind.CI_BUSY) == [(Kind.CI_BUSY, first.pk, app01.pk, None, None, None)]


def test_back_to_back_changes_do_not_conflict(desk, two):
    first = two(1, 3)
    second = two(3, 5)  # same CI, same implementer, starting as the first ends

    assert found(first) == []
    assert found(second) == []


def test_a_change_on_other_cis_does_not_conflict(desk, two):
    first = two(1, 3)
    two(2, 4, cis=[desk["cis"]["web01"]], implementer=desk["people"]["peer"])

    assert found(first) == []


def test_a_draft_in_new_counts_but_a_cancelled_or_closed_change_does_not(desk, two):
    closed = bring_to(two(1, 3), "closed", desk)
    cancelled = bring_to(two(1, 3, implementer=None), "cancelled", desk)
    draft = two(1, 3, implementer=desk["people"]["peer"])
    first = two(2, 4, implementer=None)

    others = {c[1] for c in found(first, Kind.CI_BUSY)}
    assert others == {draft.pk}
    assert closed.pk not in others and cancelled.pk not in others
    assert found(closed) == [] and found(cancelled) == []


def test_an_unplanned_change_has_no_conflicts(desk, two, make_change):
    two(1, 3)
    unplanned = make_change(planned_start=None)

    assert found(unplanned) == []


# --- a related CI in another scheduled change -----------------------------------------------


def test_a_parent_or_child_one_hop_away_in_a_scheduled_change_conflicts(desk, two):
    cis = desk["cis"]
    on_db = bring_to(two(1, 3, cis=[cis["db01"]], implementer=None), "scheduled", desk)
    on_app = two(2, 4)  # app01 depends on db01: its parent is one hop away
    on_host = two(2, 4, cis=[cis["host01"]], implementer=desk["people"]["peer"])  # db01's child

    assert found(on_app, Kind.RELATED_CI_BUSY) == [
        (Kind.RELATED_CI_BUSY, on_db.pk, cis["app01"].pk, cis["db01"].pk, None, None)
    ]
    assert found(on_host, Kind.RELATED_CI_BUSY) == [
        (Kind.RELATED_CI_BUSY, on_db.pk, cis["host01"].pk, cis["db01"].pk, None, None)
    ]


def test_a_grandparent_is_not_flagged(desk, two):
    cis = desk["cis"]
    bring_to(two(1, 3, cis=[cis["host01"]], implementer=None), "scheduled", desk)
    on_app = two(2, 4)  # app01 -> db01 -> host01: two hops

    assert found(on_app) == []


def test_a_related_ci_in_a_change_not_yet_scheduled_is_not_flagged(desk, two):
    cis = desk["cis"]
    two(1, 3, cis=[cis["db01"]], implementer=None)  # New
    on_app = two(2, 4)

    assert found(on_app) == []


def test_a_related_ci_in_a_scheduled_change_back_to_back_is_not_flagged(desk, two):
    cis = desk["cis"]
    bring_to(two(1, 3, cis=[cis["db01"]], implementer=None), "scheduled", desk)

    assert found(two(3, 5)) == []


# --- the implementer double-booked -----------------------------------------------------------


def test_the_implementer_in_two_changes_at_once_is_double_booked(desk, two):
    impl = desk["people"]["impl"]
    first = two(1, 3)
    second = two(2, 4, cis=[desk["cis"]["web01"]])

    assert found(first) == [(Kind.IMPLEMENTER_BUSY, second.pk, None, None, None, impl.pk)]
    assert found(second) == [(Kind.IMPLEMENTER_BUSY, first.pk, None, None, None, impl.pk)]


def test_different_implementers_or_none_are_not_double_booked(desk, two):
    first = two(1, 3, implementer=None)
    two(2, 4, cis=[desk["cis"]["web01"]], implementer=None)
    two(2, 4, cis=[desk["cis"]["host01"]], implementer=desk["people"]["peer"])

    assert found(first) == []


# --- maintenance windows and blackouts -------------------------------------------------------


def weekly(kind="maintenance", tz="UTC", **fields):
    fields.setdefault("name", f"{kind} window")
    return create_window(None, kind=kind, time_zone=tz, **fields)


def test_outside_the_cis_maintenance_window_conflicts_and_inside_does_not(desk, two):
    app01 = desk["cis"]["app01"]
    window = weekly(hours={"tue": [["01:00", "05:00"]]}, cis=[app01])

    inside = two(1, 5)
    across = two(4, 6, implementer=None)

    assert found(inside, Kind.OUTSIDE_WINDOW) == []
    assert found(across, Kind.OUTSIDE_WINDOW) == [
        (Kind.OUTSIDE_WINDOW, None, app01.pk, None, window.pk, None)
    ]


def test_a_ci_without_a_maintenance_window_may_change_any_time(desk, two):
    weekly(hours={"sun": [["01:00", "05:00"]]}, cis=[desk["cis"]["web01"]])

    assert found(two(13, 15)) == []


def test_windows_reach_a_ci_through_its_class_and_its_services(desk, two):
    app01, web01 = desk["cis"]["app01"], desk["cis"]["web01"]
    by_class = weekly(hours={"sun": [["01:00", "05:00"]]}, ci_classes=[desk["ci_class"]])
    by_service = weekly(
        hours={"sat": [["01:00", "05:00"]]}, services=[desk["services"]["retail_live"]]
    )

    on_web = two(13, 15, cis=[web01], implementer=None)
    on_app = two(20, 22, implementer=None)

    assert found(on_web) == [(Kind.OUTSIDE_WINDOW, None, web01.pk, None, by_class.pk, None)]
    # app01's windows (class and service) are taken together; the first one is named
    assert found(on_app, Kind.OUTSIDE_WINDOW) == [
        (Kind.OUTSIDE_WINDOW, None, app01.pk, None, by_class.pk, None)
    ]
    # and its parent db01 (a server too) is outside its window as well
    assert found(on_app, Kind.RELATED_OUTSIDE_WINDOW) == [
        (Kind.RELATED_OUTSIDE_WINDOW, None, app01.pk, desk["cis"]["db01"].pk, by_class.pk, None)
    ]
    assert by_service.pk > by_class.pk


def test_a_change_may_run_from_one_window_into_the_next(desk, two):
    app01 = desk["cis"]["app01"]
    weekly(name="Tuesday night", hours={"tue": [["22:00", "24:00"]]}, cis=[app01])
    weekly(name="Wednesday early", hours={"wed": [["00:00", "04:00"]]}, cis=[app01])

    assert found(two(23, 27), Kind.OUTSIDE_WINDOW) == []
    assert found(two(23, 29, implementer=None), Kind.OUTSIDE_WINDOW) != []


def test_a_weekly_window_keeps_its_wall_clock_hours_across_dst(desk, make_change):
    """Sunday 01:00-05:00 in Amsterdam is 00:00-03:00 UTC on 28 March 2027 (the clocks go
    forward at 02:00) and 23:00-04:00 UTC on 31 October 2027 (they go back at 03:00)."""
    app01 = desk["cis"]["app01"]
    window = weekly(tz="Europe/Amsterdam", hours={"sun": [["01:00", "05:00"]]}, cis=[app01])

    def change(start, end):
        return make_change(planned_start=start, planned_end=end, implementer=None)

    march = dt.datetime(2027, 3, 28, tzinfo=UTC)
    october = dt.datetime(2027, 10, 31, tzinfo=UTC)
    outside = [(Kind.OUTSIDE_WINDOW, None, app01.pk, None, window.pk, None)]

    def outside_of(start, hours):
        return found(change(start, start + dt.timedelta(hours=hours)), Kind.OUTSIDE_WINDOW)

    assert outside_of(march, 3) == []
    # a fixed winter offset would allow until 04:00 UTC; the day is an hour short
    assert outside_of(march, 4) == outside
    # the October night is an hour longer: 23:00 Saturday to 04:00 UTC
    assert outside_of(october - dt.timedelta(hours=1), 5) == []
    assert outside_of(october, 5) == outside


def test_inside_a_blackout_conflicts_and_touching_it_does_not(desk, two):
    app01 = desk["cis"]["app01"]
    freeze = create_window(
        None,
        kind="blackout",
        name="Quarter close",
        starts_at=at(4),
        ends_at=at(8),
        services=[desk["services"]["retail_live"]],
    )

    during = two(3, 5)
    assert found(during, Kind.IN_BLACKOUT) == [
        (Kind.IN_BLACKOUT, None, app01.pk, None, freeze.pk, None)
    ]
    # db01, one hop from app01, delivers the service too
    assert found(during, Kind.RELATED_IN_BLACKOUT) == [
        (Kind.RELATED_IN_BLACKOUT, None, app01.pk, desk["cis"]["db01"].pk, freeze.pk, None)
    ]
    assert found(two(1, 4, implementer=None), Kind.IN_BLACKOUT) == []
    assert found(two(8, 10, implementer=None), Kind.IN_BLACKOUT) == []


def test_a_weekly_blackout_conflicts_when_open(desk, two):
    app01 = desk["cis"]["app01"]
    nightly = weekly(kind="blackout", hours={"tue": [["09:00", "17:00"]]}, cis=[app01])

    assert found(two(16, 18), Kind.IN_BLACKOUT) == [
        (Kind.IN_BLACKOUT, None, app01.pk, None, nightly.pk, None)
    ]
    assert found(two(17, 20, implementer=None), Kind.IN_BLACKOUT) == []


def test_a_blackout_naming_nothing_freezes_every_change_and_an_inactive_one_none(desk, two):
    freeze = create_window(
        None, kind="blackout", name="Year-end freeze", starts_at=at(0), ends_at=at(24)
    )
    web_change = two(3, 5, cis=[desk["cis"]["web01"]])

    assert found(web_change) == [(Kind.IN_BLACKOUT, None, None, None, freeze.pk, None)]

    update_window(None, freeze, version=freeze.version, is_active=False)
    assert found(web_change) == []


def test_a_related_ci_outside_its_window_or_in_a_blackout_conflicts(desk, two):
    cis = desk["cis"]
    host_window = weekly(hours={"sun": [["01:00", "05:00"]]}, cis=[cis["host01"]])
    db_blackout = weekly(kind="blackout", hours={"tue": [["00:00", "24:00"]]}, cis=[cis["db01"]])

    on_db = two(10, 12, cis=[cis["db01"]], implementer=None)
    on_app = two(10, 12, implementer=desk["people"]["peer"])

    assert found(on_db) == [
        (Kind.IN_BLACKOUT, None, cis["db01"].pk, None, db_blackout.pk, None),
        (Kind.RELATED_OUTSIDE_WINDOW, None, cis["db01"].pk, cis["host01"].pk, host_window.pk, None),
    ]
    # app01's parent db01 is in a blackout; host01 is two hops away and not flagged
    assert found(on_app) == [
        (Kind.RELATED_IN_BLACKOUT, None, cis["app01"].pk, cis["db01"].pk, db_blackout.pk, None)
    ]


# --- stored, rechecked, overridden ----------------------------------------------------------


def stored(change) -> set[tuple]:
    return {(c.kind, c.other_change_id) for c in Conflict.objects.filter(change=change)}


def test_conflicts_are_rechecked_when_another_change_moves(desk, two):
    first = two(1, 3)
    second = two(2, 4, implementer=desk["people"]["peer"])
    recheck_conflicts(second)
    assert stored(first) == {(Kind.CI_BUSY, second.pk)}

    second.refresh_from_db()
    ops.update_change(
        desk["people"]["agent"],
        second,
        version=second.version,
        planned_start=at(5),
        planned_end=at(7),
    )

    assert stored(first) == set()
    assert stored(second) == set()


def test_a_cancelled_change_releases_the_others(desk, two):
    first = two(1, 3)
    second = two(2, 4, implementer=desk["people"]["peer"])
    recheck_conflicts(first)
    assert stored(second) == {(Kind.CI_BUSY, first.pk)}

    bring_to(first, "cancelled", desk)
    recheck_conflicts(first)

    assert stored(first) == set()
    assert stored(second) == set()


def test_recheck_keeps_a_standing_conflict_as_found(desk, two):
    first = two(1, 3)
    two(2, 4, implementer=desk["people"]["peer"])
    [row] = recheck_conflicts(first)

    again = recheck_conflicts(first)

    assert [c.pk for c in again] == [row.pk]
    assert Conflict.objects.get(pk=row.pk).found_at == row.found_at


def test_the_override_covers_the_conflicts_it_saw_and_a_new_one_blocks_again(desk, two):
    cm = desk["people"]["cm"]
    first = two(1, 3)
    second = two(2, 4, implementer=desk["people"]["peer"])
    recheck_conflicts(first)
    assert [c.other_change_id for c in conflicts.blocking(first)] == [second.pk]

    first = override_conflicts(cm, first, reason="The database team agreed to share the slot")

    assert conflicts.blocking(first) == []
    assert first.conflicts_overridden_by == cm
    assert first.conflicts_overridden == [f"ci_busy:{second.pk}:{desk['cis']['app01'].pk}:::"]
    entry = JournalEntry.objects.filter(
        record_id=str(first.pk), action="conflicts_overridden"
    ).get()
    assert entry.comment == "The database team agreed to share the slot"
    # the history says what was overridden in words, not the stored keys
    described = f"CI in another change: {second.number} · CI app01"
    assert entry.changes["conflicts_overridden"] == [[], [described]]

    third = two(2, 3, implementer=None)
    recheck_conflicts(third)
    first.refresh_from_db()

    assert [c.other_change_id for c in conflicts.blocking(first)] == [third.pk]


def test_only_the_change_manager_overrides_with_a_reason(desk, two):
    first = two(1, 3)
    two(2, 4, implementer=desk["people"]["peer"])
    recheck_conflicts(first)

    with pytest.raises(PermissionDenied):
        override_conflicts(desk["people"]["agent"], first, reason="Trust me")
    with pytest.raises(NotFound):
        override_conflicts(desk["people"]["requester"], first, reason="Trust me")
    with pytest.raises(ValidationError) as refused:
        override_conflicts(desk["people"]["cm"], first, reason="  ")
    assert "reason" in refused.value.fields
    first.refresh_from_db()
    assert first.conflicts_overridden == []


def test_scheduling_a_change_flags_the_overlapping_changes_on_related_cis(desk, two):
    cis = desk["cis"]
    on_app = two(2, 4)
    on_db = two(1, 3, cis=[cis["db01"]], implementer=None)
    assert stored(on_app) == set()

    bring_to(on_db, "scheduled", desk)

    assert stored(on_app) == {(Kind.RELATED_CI_BUSY, on_db.pk)}
    assert Conflict.objects.get(change=on_app).related_ci_id == cis["db01"].pk


# --- the CMDB moving under planned changes ------------------------------------------------------


def others_named(change, kind=None) -> list[int | None]:
    """The other changes named by ``change``'s stored conflicts (of ``kind``)."""
    rows = Conflict.objects.filter(change=change)
    if kind is not None:
        rows = rows.filter(kind=kind)
    return sorted(rows.values_list("other_change_id", flat=True))


def test_relating_two_busy_cis_stores_the_conflict_on_both_and_unrelating_removes_it(desk, two):
    cis = desk["cis"]
    on_web = bring_to(two(1, 3, cis=[cis["web01"]], implementer=None), "scheduled", desk)
    on_host = bring_to(
        two(2, 4, cis=[cis["host01"]], implementer=desk["people"]["peer"]), "scheduled", desk
    )
    assert others_named(on_web) == others_named(on_host) == []  # web01 and host01 are unrelated

    link = cmdb.create_relationship(None, source=cis["web01"], target=cis["host01"], type="runs_on")

    assert others_named(on_web, Kind.RELATED_CI_BUSY) == [on_host.pk]
    assert others_named(on_host, Kind.RELATED_CI_BUSY) == [on_web.pk]

    cmdb.delete_relationship(None, link)

    assert others_named(on_web) == others_named(on_host) == []


def test_linking_a_ci_to_a_frozen_service_stores_the_blackout(desk, two):
    web01 = desk["cis"]["web01"]
    freeze = create_window(
        None,
        kind="blackout",
        name="Quarter close",
        starts_at=at(0),
        ends_at=at(8),
        services=[desk["services"]["intranet"]],
    )
    change = two(3, 5, cis=[web01])
    assert not Conflict.objects.filter(change=change).exists()

    link = cmdb.link_service_ci(None, service=desk["services"]["intranet"], ci=web01)

    assert list(Conflict.objects.filter(change=change).values_list("kind", "window")) == [
        (Kind.IN_BLACKOUT, freeze.pk)
    ]

    cmdb.unlink_service_ci(None, link)

    assert not Conflict.objects.filter(change=change).exists()
