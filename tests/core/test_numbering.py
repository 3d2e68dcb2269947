"""Record numbers: prefix + zero-padded sequence, unique and increasing under concurrency."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from steward.core.numbering import next_number, reserve


@pytest.mark.django_db
def test_numbers_are_prefixed_padded_and_increasing():
    assert next_number("INC") == "INC0000001"
    assert next_number("INC") == "INC0000002"
    assert next_number("CHG") == "CHG0000001"


@pytest.mark.django_db
def test_a_rolled_back_creation_gives_its_number_back():
    next_number("PRB")
    with pytest.raises(RuntimeError), transaction.atomic():
        next_number("PRB")
        raise RuntimeError("creation failed")
    assert next_number("PRB") == "PRB0000002"


@pytest.mark.django_db
def test_reserve_hands_out_a_block_for_bulk_loads():
    first = reserve("REQ", 100)
    assert first == 1
    assert next_number("REQ") == "REQ0000101"


@pytest.mark.django_db(transaction=True)
def test_20_concurrent_creations_get_20_distinct_increasing_numbers():
    results: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(20)

    def create():
        try:
            barrier.wait(timeout=10)
            with transaction.atomic():
                results.append(next_number("INC"))
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(results) == [f"INC{n:07d}" for n in range(1, 21)]
