"""The Practices page: administrators see what each practice does, its process owner and
what switching it on brings, and switch it with a button (a POST form; no script needed).
Others get a 404, as for a missing page. The switch is ``core.operations.set_practice_enabled``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from steward.core import operations as core_ops
from steward.core import practices
from steward.core.errors import DomainError
from steward.ownership import practice_switch


def _require_admin(user) -> None:
    if not user.is_admin:
        raise Http404


@login_required
@require_GET
def practice_list(request):
    _require_admin(request.user)
    rows = practice_switch.rows()
    context = {
        "switchable": [r for r in rows if r["switchable"]],
        "platform": [r for r in rows if not r["switchable"]],
    }
    return render(request, "ownership/practices.html", context)


@login_required
@require_POST
def practice_switch_view(request, key: str):
    _require_admin(request.user)
    practice = practices.get(key)
    if practice is None:
        raise Http404
    enabled = request.POST.get("enabled")
    if enabled not in ("on", "off"):
        messages.error(request, _("Choose on or off."))
        return redirect("practices:list")
    try:
        core_ops.set_practice_enabled(request.user, key, enabled == "on")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if enabled == "on":
            messages.success(request, _("%(name)s is switched on.") % {"name": practice.name})
        else:
            messages.success(
                request,
                _(
                    "%(name)s is switched off: its pages, menu entry and panels are hidden; "
                    "nothing was deleted."
                )
                % {"name": practice.name},
            )
    return redirect("practices:list")
