"""Requests the live server is still handling, so a browser test's teardown can wait for them
before the database is emptied: a request that still holds a table when the flush truncates
it deadlocks on PostgreSQL. Installed first in the test settings' MIDDLEWARE, so it counts a
request until its transactions are over."""

from __future__ import annotations

import threading

_idle = threading.Condition()
_active = 0


class InFlightMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        global _active
        with _idle:
            _active += 1
        try:
            return self.get_response(request)
        finally:
            with _idle:
                _active -= 1
                _idle.notify_all()


def wait_until_idle(timeout: float = 10.0) -> bool:
    """Whether every request finished within ``timeout`` seconds."""
    with _idle:
        return _idle.wait_for(lambda: _active == 0, timeout)
