from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from steward.core.registry import account_entries, nav_entries


def navigation(request):
    """The menu and the account menu, from what the practices that are on contribute; the
    sign-out address from the settings (the core names no higher app's URL)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_entries": [], "account_entries": []}
    path = request.path
    entries = []
    for e in nav_entries(user):
        url = reverse(e.url_name)
        entries.append(
            {
                "key": e.key,
                "label": e.label,
                "url": url,
                "current": path == url or (url != "/" and path.startswith(url)),
            }
        )
    account = [
        {"key": e.key, "label": e.label, "url": reverse(e.url_name)} for e in account_entries(user)
    ]
    return {
        "nav_entries": entries,
        "account_entries": account,
        "logout_url": resolve_url(settings.STEWARD_LOGOUT_URL),
    }
