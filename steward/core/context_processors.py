from django.urls import reverse

from steward.core.registry import nav_entries


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_entries": []}
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
    return {"nav_entries": entries}
