"""Writing to the journal. Operations call :func:`record` once per change they make.

The journal is read by people in their own language, whoever wrote it:

- a comment the system writes (not a person's words) is a :class:`~steward.core.texts.Text`:
  ``record(..., comment=Text(gettext_noop("bulk load")))``. The entry keeps it (``comment_text``)
  and the timeline says it in the reader's language; ``comment`` keeps it in the installation's
  language for the API and exports. A person's own words (a reason, a note) stay a plain string.
- the names of actions and of changed fields (``ownership_accepted``, ``first line``) are said
  through :func:`describe`: each app gives its words once, with ``gettext_lazy``, in its
  ``AppConfig.ready`` (``journal.describe(created=_("Created"))``); a name nobody described is
  shown as it is spelled (``sla_started`` → "SLA started").
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models

from steward.core.models import JournalEntry
from steward.core.texts import Text, default_language, stored

#: what people call each action and changed field of the journal (lazy translations)
_WORDS: dict[str, Any] = {}
#: the labels of the coded values of changed fields that are not fields of the journaled record
#: itself (a problem's entry about its analysis: ``method`` → "5 whys"), per record type
_CHOICES: dict[tuple[str, str], dict] = {}


def describe(words: Mapping[str, Any] | None = None, /, **more: Any) -> None:
    """Give the words for actions and changed fields (``name → gettext_lazy(...)``)."""
    _WORDS.update(words or {}, **more)


def words_for(name: str) -> Any:
    """The described words for ``name`` (lazy: said in the active language), or None."""
    return _WORDS.get(name)


def describe_choices(record_type: str, **choices) -> None:
    """Give the labels of coded values in the entries about ``record_type`` (``app.model``),
    for changed fields that are not the record's own (``method=RcaMethod.choices``). A dict
    value's keys are said with them too (causes by category)."""
    _CHOICES.update({(record_type, name): dict(pairs) for name, pairs in choices.items()})


def choices_for(record_type: str, name: str) -> dict:
    return _CHOICES.get((record_type, name), {})


def _comment(comment: str | Text) -> tuple[str, dict | None]:
    if isinstance(comment, Text):
        return comment.render(default_language()), stored(comment)
    return str(comment), None


def _plain(value: Any) -> Any:
    """A JSON-friendly picture of a field value (model instances become their id and name)."""
    if isinstance(value, models.Model):
        return {"id": value.pk, "name": str(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, set | frozenset | tuple | list):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """Current values of ``fields`` on ``obj``, as the journal stores them."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{field: [before, after]}`` for the fields whose value changed."""
    return {
        key: [before.get(key), after.get(key)] for key in after if before.get(key) != after.get(key)
    }


def record(
    actor,
    obj: models.Model,
    action: str,
    changes: Mapping[str, list[Any]] | None = None,
    comment: str | Text = "",
) -> JournalEntry:
    """Append one journal entry about ``obj`` (``comment``: a person's words, or the system's
    as a :class:`Text`)."""
    comment, comment_text = _comment(comment)
    entry = JournalEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        record_type=obj._meta.label_lower,
        record_id=str(obj.pk),
        record_label=str(obj)[:200],
        action=action,
        changes={k: [_plain(v[0]), _plain(v[1])] for k, v in (changes or {}).items()},
        comment=comment,
        comment_text=comment_text,
    )
    for listener in listeners:
        listener(entry)
    return entry


#: Called with each entry just written, inside the writer's transaction: the webhooks
#: (``notifications``) turn entries into events this way, without core knowing them. A
#: listener writes only outbox rows, which commit or roll back with the entry.
listeners: list = []


def record_many(actor, objs: Iterable[models.Model], action: str, comment: str | Text = "") -> int:
    """Append one entry per object in one INSERT (bulk seeding and imports)."""
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    comment, comment_text = _comment(comment)
    entries = [
        JournalEntry(
            actor_id=actor_id,
            record_type=o._meta.label_lower,
            record_id=str(o.pk),
            record_label=str(o)[:200],
            action=action,
            comment=comment,
            comment_text=comment_text,
        )
        for o in objs
    ]
    JournalEntry.objects.bulk_create(entries, batch_size=2000)
    if listeners:
        for entry in entries:
            for listener in listeners:
                listener(entry)
    return len(entries)


def history(obj: models.Model):
    """The journal of one record, oldest first."""
    return JournalEntry.objects.for_record(obj).select_related("actor").order_by("id")
