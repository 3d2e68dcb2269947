"""What every service level page shares: IT staff only, the section's tabs."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

#: The section's pages, in the tab order: (URL name, label).
TABS = (
    ("slm:slas", _("SLAs")),
    ("slm:sign_off", _("Sign-off")),
    ("slm:olas", _("OLAs")),
    ("slm:calendars", _("Calendars")),
    ("slm:compliance", _("Compliance")),
)


def require_it(request) -> None:
    """Service level pages are for IT staff; anyone else gets the page-not-found answer."""
    if not request.user.is_it:
        raise Http404


def tabs(current: str) -> list[dict]:
    return [
        {"url": reverse(name), "label": label, "current": name == current} for name, label in TABS
    ]
