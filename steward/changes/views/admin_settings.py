"""The practice's settings: the questionnaire's thresholds (a score from ``moderate_from`` is
moderate risk, from ``high_from`` high) and the standard templates' success watch."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from steward.changes import operations as ops
from steward.changes.forms_admin import SettingsForm
from steward.changes.risk import settings
from steward.changes.views.admin_common import area, attempt, history, keeper
from steward.people import conflicts

SECTION = "change_settings"


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def settings_page(request):
    user = keeper(request)
    row = settings()
    conflict, status = None, 200
    if request.method == "POST":
        form = SettingsForm(request.POST)
        status = 422
        if form.is_valid():
            version = form.cleaned_data.get("version") or 0
            values = form.values()
            ok, conflict, status = attempt(
                form, row, lambda: ops.update_settings(user, version=version, **values)
            )
            if ok:
                messages.success(request, _("The change settings have been saved."))
                return redirect("changes:admin_settings")
    else:
        initial = SettingsForm.initial_for(row) | {"seen": conflicts.last_seen(row)}
        form = SettingsForm(initial=initial)
    context = {
        "form": form,
        "conflict": conflict,
        "history": history(row),
        "row": row,
        **area(request, SECTION),
    }
    return render(request, "changes/admin/settings.html", context, status=status)
