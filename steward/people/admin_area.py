"""The Administration area: who may enter it, and its sections (contributed by each practice
through its registration call, ``Practice(admin=[NavEntry(...)])``) for the tab bar that its
pages show (``people/admin/_tabs.html``)."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse

from steward.core.registry import admin_entries


def require_admin_page(user) -> None:
    """The Administration area does not exist for anyone but administrators (404)."""
    if not user.is_authenticated or not user.is_admin:
        raise Http404


def admin_context(request, current: str) -> dict:
    """The area's sections for its tab bar, ``current`` marked."""
    sections = [
        {"key": e.key, "label": e.label, "url": reverse(e.url_name), "current": e.key == current}
        for e in admin_entries(request.user)
    ]
    return {"admin_sections": sections}
