"""Core views: the health check."""

from __future__ import annotations

import logging

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from steward.core.queue import queue_status

log = logging.getLogger(__name__)


def database_status() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {"ok": True, "vendor": connection.vendor}
    except Exception as exc:  # any failure means "down"; the reason is reported
        log.warning("health check: database down: %s", exc)
        return {"ok": False, "vendor": connection.vendor, "error": str(exc)[:200]}


@never_cache
@require_GET
def healthz(request):
    """200 when the database and the queue answer, 503 (with the reason) when either does not."""
    db = database_status()
    queue = queue_status()
    ok = db["ok"] and queue["ok"]
    return JsonResponse(
        {"status": "ok" if ok else "unavailable", "database": db, "queue": queue},
        status=200 if ok else 503,
    )


@never_cache
@require_GET
def live(request):
    """Liveness: answers without touching the database or the queue (also the benchmarks'
    floor for the cost of HTTP and Django itself)."""
    return JsonResponse({"status": "ok"})
