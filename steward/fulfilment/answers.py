"""The answers of a requested item in words, for whoever reads them (the staff's item page and
the requester's portal page alike): in the form's order, a choice by its label, a yes/no in
words, a person by name, a configuration item by name, a file by name with a link; answers to
questions the form no longer asks come last under their key.

Whoever may read the answers (the item's readers, and its approvers, who decide on them) reads
the names they give: a configuration item the reader may view or one of the item's service (the
orderer was offered exactly those), any person, the item's own files. A file is a link only for
a reader who may open it. Anything else reads as its id."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q
from django.utils.translation import gettext as _

from steward.fulfilment.choices import FieldType
from steward.fulfilment.models import RequestAttachment
from steward.people.models import User
from steward.services.models import ConfigurationItem


def in_words(item, reader, *, file_url: Callable | None = None) -> list[dict]:
    """``[{"label", "text", "link"}]`` for ``item``'s answers as ``reader`` may read them;
    ``file_url(attachment)`` gives a file's link (None: files are named, not linked)."""
    people = {
        u.pk: u.display_name for u in User.objects.filter(pk__in=referenced(item, FieldType.USER))
    }
    ci_ids = referenced(item, FieldType.CI)
    cis = {}
    if ci_ids:
        visible = ConfigurationItem.objects.for_user(reader, "view").filter(pk__in=ci_ids)
        of_service = ConfigurationItem.objects.filter(
            Q(pk__in=ci_ids), Q(service_links__service_id=item.catalog_item.service_id)
        )
        cis = dict(visible.values_list("pk", "name")) | dict(of_service.values_list("pk", "name"))
    file_ids = referenced(item, FieldType.ATTACHMENT)
    files = {}
    if file_ids:
        mine = RequestAttachment.objects.filter(item=item, pk__in=file_ids)
        linked = set(mine.for_user(reader, "view").values_list("pk", flat=True))
        files = {
            a.pk: (a.name, file_url(a) if file_url and a.pk in linked else None)
            for a in mine.only("pk", "name")
        }
    return rows(item, people=people, cis=cis, files=files)


def rows(item, *, people=None, cis=None, files=None) -> list[dict]:
    """The answers of ``item`` with the names given (``people``/``cis``: id → name, ``files``:
    id → (name, url))."""
    people = people or {}
    cis = cis or {}
    files = files or {}
    answers = dict(item.answers or {})
    shown = []
    for field in item.catalog_item.form or []:
        name = field.get("name")
        if name not in answers:
            continue
        shown.append(_row(field, answers.pop(name), people, cis, files))
    for name, value in answers.items():
        shown.append(_row({"name": name, "label": name, "type": ""}, value, people, cis, files))
    return shown


def referenced(item, kind) -> set[int]:
    """The ids the answers of ``item`` give to questions of type ``kind``."""
    ids = set()
    for field in item.catalog_item.form or []:
        if field.get("type") == kind and field.get("name") in (item.answers or {}):
            value = _as_int(item.answers[field["name"]])
            if value is not None:
                ids.add(value)
    return ids


def _row(field, value, people, cis, files) -> dict:
    kind = field.get("type")
    link = None
    if kind == FieldType.CHECKBOX:
        text = _("Yes") if value else _("No")
    elif kind == FieldType.CHOICE:
        text = _choice_label(field, value)
    elif kind == FieldType.MULTICHOICE:
        values = value if isinstance(value, list) else [value]
        text = ", ".join(_choice_label(field, v) for v in values)
    elif kind == FieldType.USER:
        text = people.get(_as_int(value), f"#{value}")
    elif kind == FieldType.CI:
        text = cis.get(_as_int(value), f"#{value}")
    elif kind == FieldType.ATTACHMENT:
        text, link = files.get(_as_int(value), (f"#{value}", None))
    elif isinstance(value, list):
        text = ", ".join(str(v) for v in value)
    else:
        text = "" if value is None else str(value)
    return {"label": field.get("label") or field.get("name"), "text": text, "link": link}


def _choice_label(field: dict, value) -> str:
    for choice in field.get("choices") or []:
        if str(choice.get("value")) == str(value):
            return str(choice.get("label") or value)
    return str(value)


def _as_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
