"""The suggestions beside the incident create form (a core ``FormPanel``): as the agent types
the title and description, or picks the service and CI, the page asks this view (GET, the
form's current values) for a fragment: the top matching articles, similar open and recent
incidents (possible duplicates), and the known errors whose workaround may apply."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.http import require_GET

from steward.incidents import lookups
from steward.knowledge import suggest

TEMPLATE = "knowledge/suggest_panel.html"
#: the typed text read (title and description; longer text adds nothing to a match)
MAX_TEXT = 2000
SHOWN = 5


def _id(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 19 else None


@login_required
@require_GET
def suggestions(request):
    """``?title=&description=&service=&affected_ci=`` → the suggestions fragment (empty
    for anyone but IT staff, and while nothing has been typed or picked)."""
    user = request.user
    if not user.is_it:
        return render(request, TEMPLATE, {})
    text = f"{request.GET.get('title', '')} {request.GET.get('description', '')}"[:MAX_TEXT]
    service_id = _id(request.GET.get("service", ""))
    ci_id = None
    if request.GET.get("affected_ci"):
        try:
            ci = lookups.resolve_ci(user, request.GET["affected_ci"][:300])
        except ValidationError:
            ci = None
        ci_id = ci.pk if ci is not None else None
    context = {"typed": bool(text.strip() or service_id or ci_id)}
    if context["typed"]:
        context.update(
            articles=suggest.suggest_articles(user, text, service_id=service_id, limit=SHOWN),
            incidents=suggest.similar_incidents(user, text, limit=SHOWN),
            known_errors=suggest.matching_known_errors(user, text, service_id, ci_id),
        )
    return render(request, TEMPLATE, context)
