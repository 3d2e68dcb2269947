"""The background queue (Huey) as the rest of Steward sees it."""

from __future__ import annotations

import logging

from django.conf import settings
from huey.contrib.djhuey import HUEY

log = logging.getLogger(__name__)


def queue_status() -> dict:
    """Whether the queue's storage answers, and how many tasks wait in it."""
    backend = "redis" if settings.QUEUE_URL.startswith(("redis://", "rediss://")) else "sqlite"
    try:
        if backend == "redis":
            HUEY.storage.conn.ping()
        pending = HUEY.pending_count()
        return {"ok": True, "backend": backend, "pending": pending}
    except Exception as exc:  # any failure means "down"; the reason is reported
        log.warning("health check: queue down: %s", exc)
        return {"ok": False, "backend": backend, "error": str(exc)[:200]}
