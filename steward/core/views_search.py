"""The global search page: asks every registered provider (see core.registry) for its hits.

Each provider reads through ``.for_user``, so a user only finds what they may see.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from steward.core.registry import search_providers

MIN_LENGTH = 2
HITS_PER_PROVIDER = 10


@login_required
@require_GET
def search(request):
    text = request.GET.get("q", "").strip()[:100]
    sections = []
    if len(text) >= MIN_LENGTH:
        for provider in search_providers():
            hits = provider.search(request.user, text, HITS_PER_PROVIDER)
            if hits:
                sections.append({"provider": provider, "hits": hits})
    context = {
        "search_text": text,
        "too_short": 0 < len(text) < MIN_LENGTH,
        "sections": sections,
        "hit_count": sum(len(s["hits"]) for s in sections),
        "limit": HITS_PER_PROVIDER,
    }
    return render(request, "core/search.html", context)
