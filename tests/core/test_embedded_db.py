"""The embedded database's writer lock: a transaction holds it from BEGIN to COMMIT/ROLLBACK,
other writers wait their turn for it (never past the database's timeout), and nothing is lost."""

from __future__ import annotations

import fcntl
import os
import threading

import pytest
from django.db import OperationalError, connection, transaction

from steward.core.models import Sequence
from tests.threads import run_in_threads

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="the writer lock belongs to the embedded database"
    ),
]


def lock_is_free() -> bool:
    """Whether another process could take the writer lock now (a fresh open file = a stranger)."""
    connection.ensure_connection()
    fd = os.open(connection.writer_lock.path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)
    return True


def test_a_transaction_holds_the_writer_lock_until_it_commits():
    assert lock_is_free()
    with transaction.atomic():
        Sequence.objects.create(prefix="LCK", last=1)
        assert not lock_is_free()
        with transaction.atomic():  # a savepoint does not take it twice
            Sequence.objects.filter(prefix="LCK").update(last=2)
        assert not lock_is_free()
    assert lock_is_free()
    assert Sequence.objects.get(prefix="LCK").last == 2


def test_a_rolled_back_transaction_releases_the_writer_lock():
    with pytest.raises(RuntimeError), transaction.atomic():
        Sequence.objects.create(prefix="RBK", last=1)
        raise RuntimeError("failed half-way")
    assert lock_is_free()
    assert not Sequence.objects.filter(prefix="RBK").exists()


def test_a_writer_waits_for_the_one_ahead_and_then_writes():
    inside, done = threading.Event(), threading.Event()
    order: list[str] = []

    def first():
        with transaction.atomic():
            Sequence.objects.create(prefix="FST", last=1)
            inside.set()
            done.wait(timeout=10)
            order.append("first commits")
        connection.close()

    thread = threading.Thread(target=first)
    thread.start()
    assert inside.wait(timeout=10)
    threading.Timer(0.3, done.set).start()
    with transaction.atomic():  # waits for the first writer's commit
        order.append("second begins")
        Sequence.objects.create(prefix="SND", last=1)
    thread.join()
    assert order == ["first commits", "second begins"]
    assert set(Sequence.objects.values_list("prefix", flat=True)) >= {"FST", "SND"}


def test_a_writer_that_waits_past_the_timeout_fails_as_sqlite_would_and_writes_nothing(
    monkeypatch,
):
    inside, done = threading.Event(), threading.Event()

    def holder():
        with transaction.atomic():
            Sequence.objects.create(prefix="HLD", last=1)
            inside.set()
            done.wait(timeout=10)
        connection.close()

    thread = threading.Thread(target=holder)
    thread.start()
    try:
        assert inside.wait(timeout=10)
        connection.ensure_connection()
        monkeypatch.setattr(connection.writer_lock, "timeout", 0.2)
        with (
            pytest.raises(OperationalError, match="database is locked"),
            transaction.atomic(),
        ):
            Sequence.objects.create(prefix="LATE", last=1)
    finally:
        done.set()
        thread.join()
    assert not Sequence.objects.filter(prefix="LATE").exists()
    assert lock_is_free()


def test_concurrent_read_modify_write_transactions_lose_no_update():
    Sequence.objects.create(prefix="CNT", last=0)

    def bump():
        for _ in range(25):
            with transaction.atomic():
                row = Sequence.objects.get(prefix="CNT")
                Sequence.objects.filter(pk=row.pk).update(last=row.last + 1)

    assert run_in_threads(bump, 8) == []
    assert Sequence.objects.get(prefix="CNT").last == 200
