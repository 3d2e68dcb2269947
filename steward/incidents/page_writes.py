"""How the incident page writes: every form on it carries the ``version`` of the incident the
page was read at and ``seen``, the last journal entry the page showed.

A write that changes the incident (edit, assign, take, a status, a handover, the parent,
declaring it major) is refused when the incident moved on since: the person is told who
changed it and when, and the page they land on lists what changed (``?since=<seen>``). A write
that only adds (a note, a reply, a file, a watcher, a stakeholder update) is never lost for
that: it is saved, and the person is told that the incident changed meanwhile.
"""

from __future__ import annotations

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from steward.core.errors import DomainError
from steward.incidents import queries
from steward.incidents.models import Incident


class PageOutOfDate(DomainError):
    """A form without the version it was read at (an old page, a hand-made request)."""

    status = 409
    code = "stale_version"

    def __init__(self):
        super().__init__(
            _("This page is out of date and your change was not saved: reload it and try again."),
            {"version": [_("missing")]},
        )


def posted_number(post, name: str) -> int | None:
    """A whole number posted in ``name``, or None."""
    try:
        value = int(post.get(name, ""))
    except (TypeError, ValueError):
        return None
    return value if 0 <= value < 2**31 else None


def posted_version(post) -> int:
    version = posted_number(post, "version")
    if version is None:
        raise PageOutOfDate()
    return version


def last_entry_id(incident: Incident) -> int:
    """The journal entry a page shows last (what ``seen`` carries)."""
    from steward.core.models import JournalEntry

    return (
        JournalEntry.objects.for_record(incident).order_by("-id").values_list("id", flat=True)
    ).first() or 0


def changes_since(incident: Incident, user, seen: int | None) -> list:
    """The journal entries ``user`` may read that were written after entry ``seen``."""
    if seen is None:
        return []
    return list(queries.timeline(incident, user).filter(id__gt=seen)[:50])


def _who_and_when(entries) -> dict:
    others = [e for e in entries if e.actor_id] or list(entries)
    last = others[-1]
    at = timezone.localtime(last.at)
    when = formats.time_format(at, "H:i")
    if at.date() != timezone.localdate():
        when = formats.date_format(at, "j M Y") + ", " + when
    name = last.actor.display_name if last.actor_id else _("the system")
    return {"name": name, "when": when}


def conflict_message(incident: Incident, user, seen: int | None) -> str:
    """What a person is told when their change was refused because the incident moved on."""
    entries = changes_since(incident, user, seen)
    if not entries:
        return _(
            "%(number)s was changed by someone else while you had it open, so your change was "
            "not saved. The page now shows it as it is: look it over and try again."
        ) % {"number": incident.number}
    return _(
        "%(number)s was changed by %(name)s at %(when)s while you had it open, so your change "
        "was not saved. The page now shows it as it is, with what changed at the top: look it "
        "over and try again."
    ) % {"number": incident.number, **_who_and_when(entries)}


def meanwhile_message(incident: Incident, user, seen: int | None) -> str:
    """Added to the success message of an additive write when the incident moved on."""
    entries = [e for e in changes_since(incident, user, seen) if e.actor_id != user.pk]
    if not entries:
        return ""
    return _(
        "Meanwhile %(name)s changed %(number)s at %(when)s: what changed is shown at the top."
    ) % {"number": incident.number, **_who_and_when(entries)}
