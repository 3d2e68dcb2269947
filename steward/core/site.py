"""The installation's own address, for links that leave the site (e-mail, webhooks)."""

from __future__ import annotations

from django.conf import settings


def absolute(path: str) -> str:
    """``path`` on the site's address (``STEWARD_SITE_URL``); a full URL or an empty path as
    it is."""
    if not path or path.startswith(("http://", "https://")):
        return path
    return (settings.STEWARD_SITE_URL or "").rstrip("/") + path
