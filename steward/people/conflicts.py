"""What a person sees when their save lost a race: who changed the record while they were
editing, when, and what (read from the journal), instead of a bare 409.

An edit form carries ``version`` (the record's version when the page was read) and ``seen``
(the id of the record's newest journal entry at that moment). When the operation answers
``StaleVersion``, :func:`stale_edit` collects the entries written since ``seen``, shows them,
and moves the form on to the current version: a field the person left as they read it takes
the other person's new value (the journal says what it was before), a field they changed keeps
their input. Saving again is then a deliberate choice made after seeing the changes, and it
does not undo a colleague's change to a field the person never touched.
"""

from __future__ import annotations

from django.db import models

from steward.core import journal
from steward.core.models import JournalEntry

#: At most this many of the missed changes are shown (the record's history has them all).
SHOWN = 10


def last_seen(record: models.Model) -> int:
    """The id of the record's newest journal entry (0 if it has none): the ``seen`` mark."""
    entry = JournalEntry.objects.for_record(record).order_by("-id").values_list("id").first()
    return entry[0] if entry else 0


def changes_since(record: models.Model, seen: int | None) -> list[JournalEntry]:
    """The journal entries written about ``record`` after the entry ``seen``, oldest first
    (the newest one alone when ``seen`` is unknown)."""
    entries = journal.history(record)
    if seen:
        return list(entries.filter(id__gt=seen)[:SHOWN])
    newest = entries.order_by("-id").first()
    return [newest] if newest else []


def stale_edit(form, record: models.Model, current_version: int) -> dict:
    """The conflict to show beside ``form`` after a stale save of ``record``.

    Returns the template context ``{"entries": [...], "record": record}``; the form is made
    to carry the current version and ``seen`` mark, keeping the person's input.
    """
    seen = form.cleaned_data.get("seen") if hasattr(form, "cleaned_data") else None
    entries = changes_since(record, seen)
    data = form.data.copy()
    if seen:
        _take_untouched(form, data, entries)
    data["version"] = str(current_version)
    data["seen"] = str(last_seen(record))
    form.data = data
    return {"entries": entries, "record": record}


def _posted(data, name: str, before):
    """The person's input for ``name`` in the journal's terms, to compare with ``before``."""
    if isinstance(before, bool):
        return data.get(name, "") not in ("", "false", "False", "off")
    if isinstance(before, list):
        return sorted(data.getlist(name))
    return data.get(name, "")


def _as_input(data, name: str, value) -> None:
    if isinstance(value, bool):
        if value:
            data[name] = "on"
        else:
            data.pop(name, None)
    elif isinstance(value, list):
        data.setlist(name, [str(v) for v in value])
    elif isinstance(value, dict):
        data[name] = str(value.get("id", ""))
    else:
        data[name] = "" if value is None else str(value)


def _take_untouched(form, data, entries) -> None:
    """Fields the person left as they read them take the value the others gave them."""
    first_before, last_after = {}, {}
    for entry in entries:
        for name, (before, after) in (entry.changes or {}).items():
            first_before.setdefault(name, before)
            last_after[name] = after
    for name, before in first_before.items():
        if name not in form.fields or form.fields[name].widget.is_hidden:
            continue
        read = before.get("id", "") if isinstance(before, dict) else before
        read = sorted(read) if isinstance(read, list) else read
        if isinstance(read, (bool, list)):
            untouched = _posted(data, name, read) == read
        else:
            untouched = str(_posted(data, name, read)) == ("" if read is None else str(read))
        if untouched:
            _as_input(data, name, last_after[name])
