"""What approvals contribute elsewhere (declared in apps.py): the menu entry, the start page's
"Awaiting my approval" and the journal's words."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steward.approvals import queries

JOURNAL_WORDS = {
    "approval_requested": gettext_lazy("Approval requested"),
    "approval_decided": gettext_lazy("Approval decided"),
    "approval_cancelled": gettext_lazy("Approval cancelled"),
    "approval_escalated": gettext_lazy("Approval escalated"),
    "approval_round": gettext_lazy("approval round"),
    "approval_steps": gettext_lazy("approval steps"),
    "approval_step": gettext_lazy("approval step"),
    "on_behalf_of": gettext_lazy("on behalf of"),
    "escalated_to": gettext_lazy("escalated to"),
    "delegate": gettext_lazy("delegate"),
    "starts_at": gettext_lazy("starts"),
    "ends_at": gettext_lazy("ends"),
}


def show_in_menu(user) -> bool:
    """IT staff always; anyone else while something awaits their decision (one query)."""
    if not user.is_authenticated:
        return False
    return user.is_it or queries.awaiting(user).exists()


def awaiting_me(user, limit: int):
    """The start page's panel: ``(count, [(label, url, meta)])``, oldest first. One query
    while the list fits the panel (the count only when it does not)."""
    rows = queries.awaiting(user)
    shown = list(rows[: limit + 1])
    count = len(shown) if len(shown) <= limit else rows.count()
    return count, [
        (r.subject_label, r.get_absolute_url(), _("Step: %(name)s") % {"name": r.name})
        for r in shown[:limit]
    ]
