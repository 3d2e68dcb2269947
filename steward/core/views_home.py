"""The start page: the panels each practice contributes (``core.registry.HomePanel``), those
the person may see, each with its count and first rows; the work waiting for the person (panels
marked ``waiting``) first, and only the ones where something waits."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from steward.core.pagination import count_label
from steward.core.registry import home_panels


@login_required
@require_GET
def home(request):
    panels, waiting = [], []
    for panel in home_panels():
        if panel.visible(request.user):
            count, rows = panel.rows(request.user, 8)
            entry = {"panel": panel, "count": count_label(count), "total": count, "rows": rows}
            (waiting if panel.waiting else panels).append(entry)
    context = {
        "panels": panels,
        # work waiting for the person comes first, and only what waits
        "waiting": [p for p in waiting if p["total"]],
        "asks_waiting": bool(waiting),
    }
    return render(request, "core/home.html", context)
