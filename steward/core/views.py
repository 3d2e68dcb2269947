"""Core views: the health check."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.utils.module_loading import import_string
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


def _for_it_staff(request) -> bool:
    """Whether the caller is IT staff, signed in or with a bearer token: the API's own
    authenticators decide (reached through settings.STEWARD_API, as core may not import the
    apps above it). Whatever fails (a database that is down included) means no."""
    try:
        for authenticate in import_string(settings.STEWARD_API).auth:
            user = authenticate(request)
            if user:
                return bool(getattr(user, "is_it", False))
    except Exception:  # throttled, a refused token, the database down: the bare answer
        return False
    return False


@never_cache
@require_GET
def healthz(request):
    """200 ``{"status": "ok"}`` when the database and the queue answer, 503
    ``{"status": "unavailable"}`` when either does not. Only IT staff (signed in, or with a
    bearer token) also get the details: database vendor, queue backend and depth, the reason."""
    db = database_status()
    queue = queue_status()
    ok = db["ok"] and queue["ok"]
    body = {"status": "ok" if ok else "unavailable"}
    if _for_it_staff(request):
        body |= {"database": db, "queue": queue}
    return JsonResponse(body, status=200 if ok else 503)


@never_cache
@require_GET
def live(request):
    """Liveness: answers without touching the database or the queue (also the benchmarks'
    floor for the cost of HTTP and Django itself)."""
    return JsonResponse({"status": "ok"})
