"""Record numbers: prefix + zero-padded counter, unique and increasing under concurrency."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from steward.core.models import Sequence
from steward.core.numbering import next_number, next_values
from tests.threads import run_in_threads


def value(number: str) -> int:
    return int(number[3:])


@pytest.mark.django_db
def test_numbers_are_prefixed_padded_and_increasing():
    first = next_number("INC")
    assert first.startswith("INC") and len(first) == 10
    assert next_number("INC") == f"INC{value(first) + 1:07d}"
    assert next_number("CHG").startswith("CHG")


@pytest.mark.django_db
def test_a_prefix_must_be_capitals():
    with pytest.raises(ValueError, match="prefix"):
        next_number("inc; DROP TABLE x")


@pytest.mark.django_db
def test_a_rolled_back_creation_never_makes_a_number_repeat():
    before = value(next_number("PRB"))
    with pytest.raises(RuntimeError), transaction.atomic():
        lost = value(next_number("PRB"))
        raise RuntimeError("creation failed")
    after = value(next_number("PRB"))
    if connection.vendor == "postgresql":
        # a sequence never waits for, nor gives back to, another transaction: a gap
        assert lost == before + 1 and after == before + 2
    else:
        # SQLite's counter row belongs to the transaction: the number comes back
        assert after == lost == before + 1


@pytest.mark.django_db
def test_numbers_continue_after_the_counter_row_of_moved_data():
    Sequence.objects.create(prefix="OLD", last=41)
    assert next_number("OLD") == "OLD0000042"


@pytest.mark.django_db
def test_bulk_loads_take_a_block_of_numbers():
    block = next_values("REQ", 100)
    assert block == list(range(block[0], block[0] + 100))
    assert value(next_number("REQ")) == block[-1] + 1


@pytest.mark.django_db(transaction=True)
def test_20_concurrent_creations_get_20_distinct_numbers():
    results: list[str] = []
    barrier = threading.Barrier(20)

    def create():
        barrier.wait(timeout=10)
        with transaction.atomic():
            results.append(next_number("CON"))  # the first use of the prefix, at once

    errors = run_in_threads(create, 20)
    assert not errors
    numbers = sorted(value(n) for n in results)
    assert numbers == list(range(numbers[0], numbers[0] + 20))


@pytest.mark.django_db(transaction=True)
def test_a_first_use_that_waited_for_another_first_use_gets_its_number():
    """Two first uses of a prefix at once: the second waits while the first holds its new
    counter uncommitted, then continues from it (under load in CI it once saw no counter)."""
    holder_has_number = threading.Event()
    release = threading.Event()
    numbers: list[str] = []

    def first():
        with transaction.atomic():
            numbers.append(next_number("RAC"))
            holder_has_number.set()
            release.wait(timeout=20)

    def second():
        holder_has_number.wait(timeout=20)
        with transaction.atomic():
            numbers.append(next_number("RAC"))

    def releaser():
        holder_has_number.wait(timeout=20)
        if connection.vendor == "postgresql":
            _wait_until_a_session_waits_for_a_lock()
        release.set()

    calls = iter([first, second, releaser])
    errors = run_in_threads(lambda: next(calls)(), 3)
    assert not errors
    assert sorted(value(n) for n in numbers) == [1, 2]


def _wait_until_a_session_waits_for_a_lock(timeout: float = 20.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("the second creation never waited for the first")


@pytest.mark.django_db(transaction=True)
def test_a_first_use_that_found_no_counter_while_another_made_one_gets_its_number(monkeypatch):
    """PostgreSQL: the second first use looks, finds no sequence, and by the time it creates
    one the first has committed its own: it continues from that sequence (a stale catalog
    cache once made it give up under load)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite counts in a table row, created by an upsert: there is no sequence")
    from steward.core import numbering

    second_looked, first_committed = threading.Event(), threading.Event()
    create = numbering._create_sequence
    numbers: list[str] = []

    def create_once_the_first_committed(cursor, prefix, name):
        if threading.current_thread().name == "second":
            second_looked.set()
            first_committed.wait(timeout=20)
        create(cursor, prefix, name)

    monkeypatch.setattr(numbering, "_create_sequence", create_once_the_first_committed)

    def first():
        second_looked.wait(timeout=20)
        with transaction.atomic():
            numbers.append(next_number("RAD"))
        first_committed.set()

    def second():
        with transaction.atomic():
            numbers.append(next_number("RAD"))

    threads = {"first": first, "second": second}
    errors = run_in_threads(lambda: threads[threading.current_thread().name](), 2, names=threads)
    assert not errors
    assert sorted(value(n) for n in numbers) == [1, 2]
