"""Navigation entries of the ownership app (see steward.core.registry)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from steward.core.registry import HomePanel, NavEntry, register_home_panel, register_nav

register_nav(
    NavEntry("processes", _("Processes"), "process_list", order=30, visible=lambda u: u.is_it)
)
register_nav(
    NavEntry(
        "ownership_gaps", _("Ownership gaps"), "ownership_gaps", order=31, visible=lambda u: u.is_it
    )
)


def gaps_that_need_me(user, limit: int):
    from steward.ownership import gaps

    rows = gaps.collect_needing(user)
    return len(rows), [(g["record"]["name"], g["link"], g["problem"]) for g in rows[:limit]]


register_home_panel(
    HomePanel(
        "ownership_needs_me",
        _("Ownership gaps that need me"),
        gaps_that_need_me,
        order=15,
        more_url="ownership_mine",
        empty=_("Nothing you own is missing an owner."),
        visible=lambda user: user.is_it,
    )
)
