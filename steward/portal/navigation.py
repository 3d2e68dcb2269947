"""The portal's own menu: Home, Report a problem, Request something, My requests and
incidents, Approvals (when something waits), Surveys (when one is open), Knowledge. Each entry
appears only while the practice behind it is on; the counts are the person's own."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from steward.core.practices import is_enabled
from steward.portal import sources


@dataclass(frozen=True)
class PortalLink:
    key: str
    label: str
    url: str
    current: bool = False
    count: int = 0


def portal_nav(user, current: str) -> list[PortalLink]:
    """The menu for ``user``, ``current`` (an entry's key) marked as the page they are on."""
    entries = [("home", _("Home"), reverse("portal:home"), 0)]
    entries.append(("report", _("Report a problem"), reverse("portal:report"), 0))
    if sources.catalog_on():
        entries.append(("catalog", _("Request something"), reverse("portal:catalog"), 0))
    entries.append(("my", _("My requests and incidents"), reverse("portal:my"), 0))
    waiting = sources.approvals_waiting(user)
    if waiting or current == "approvals":
        entries.append(("approvals", _("Approvals"), reverse("portal:approvals"), waiting))
    surveys = sources.open_survey_count(user)
    if surveys:
        entries.append(("surveys", _("Surveys"), reverse("portal:home") + "#surveys", surveys))
    if is_enabled("knowledge"):
        entries.append(("knowledge", _("Knowledge"), reverse("portal:knowledge"), 0))
    return [
        PortalLink(key, label, url, current=key == current, count=count)
        for key, label, url, count in entries
    ]
