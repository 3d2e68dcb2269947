"""Running test code in several threads at once, each on its own database connection."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection


def run_in_threads(target: Callable[[], object], count: int, names=None) -> list[BaseException]:
    """Run ``target`` in ``count`` threads at once and wait for them; each thread's database
    connection is closed when it ends. ``names`` (as many as threads) names them, for a target
    that plays a different part in each. Returns what the threads raised."""
    errors: list[BaseException] = []

    def run():
        try:
            target()
        except BaseException as exc:  # returned to the test
            errors.append(exc)
        finally:
            connection.close()

    names = list(names) if names is not None else [None] * count
    threads = [threading.Thread(target=run, name=name) for name in names]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors
