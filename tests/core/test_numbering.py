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
