"""Running test code in several threads at once, each on its own database connection."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection


def run_in_threads(target: Callable[[], object], count: int) -> list[BaseException]:
    """Run ``target`` in ``count`` threads at once and wait for them; each thread's database
    connection is closed when it ends. Returns what the threads raised."""
    errors: list[BaseException] = []

    def run():
        try:
            target()
        except BaseException as exc:  # returned to the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors
