"""What the ownership app contributes to the start page (declared in apps.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy


def gaps_that_need_me(user, limit: int):
    from steward.ownership import gaps

    rows = gaps.collect_needing(user)
    return len(rows), [(g["record"]["name"], g["link"], g["problem"]) for g in rows[:limit]]


#: What people call the ownership app's journal actions and fields (``journal.describe``).
JOURNAL_WORDS = {
    "activity_added": gettext_lazy("Activity added"),
    "raci_set": gettext_lazy("RACI matrix set"),
    "managers": gettext_lazy("Managers"),
}
