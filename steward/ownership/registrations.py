"""What the ownership app contributes to the start page (declared in apps.py)."""

from __future__ import annotations


def gaps_that_need_me(user, limit: int):
    from steward.ownership import gaps

    rows = gaps.collect_needing(user)
    return len(rows), [(g["record"]["name"], g["link"], g["problem"]) for g in rows[:limit]]
