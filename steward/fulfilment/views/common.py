"""What the fulfilment staff pages share: who may open them (IT staff; anyone else finds
nothing), reading a record through ``for_user`` (404 when it is not visible), the answers of a
requested item in words, and running an operation for a form — a stale save shows who changed
what while the person edited, any other refusal goes beside the field it names."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from steward.core import journal
from steward.core.errors import DomainError, StaleVersion
from steward.fulfilment.choices import FieldType
from steward.people import conflicts
from steward.people.forms import add_domain_error

PAGE_SIZE = 50
HISTORY_LIMIT = 50


def staff(request):
    """IT staff only: anyone else is answered 404 (requesters use the portal)."""
    if not (request.user.is_authenticated and request.user.is_it):
        raise Http404
    return request.user


def one(queryset, **lookup):
    """The one row of ``queryset`` matching ``lookup``, or 404."""
    row = queryset.filter(**lookup).first()
    if row is None:
        raise Http404
    return row


def clean_number(number: str) -> str:
    return (number or "").upper()[:16]


def history(record):
    return journal.history(record).order_by("-id")[:HISTORY_LIMIT]


def attempt(form, record, write):
    """Run ``write()``; answer ``(ok, conflict, status)``: a stale version shows the changes
    made meanwhile (``record`` is the row being edited), any other refusal goes beside the
    field it names."""
    try:
        write()
    except StaleVersion as exc:
        if record is None or not hasattr(form, "cleaned_data"):
            form.add_error(None, exc.message)
            return False, None, 409
        record.refresh_from_db()
        return False, conflicts.stale_edit(form, record, exc.current), 409
    except DomainError as exc:
        add_domain_error(form, exc)
        return False, None, exc.status
    return True, None, 200


def _choice_label(field: dict, value) -> str:
    for choice in field.get("choices") or []:
        if str(choice.get("value")) == str(value):
            return str(choice.get("label") or value)
    return str(value)


def answer_rows(item, *, people=None, cis=None, files=None) -> list[dict]:
    """The answers of ``item`` in the order of its catalog item's form, each ``{"label",
    "text", "link"}``: choices by their labels, people and configuration items by name, files
    as links (``files``: attachment id → (name, url)); answers to questions the form no longer
    asks come last under their key."""
    people = people or {}
    cis = cis or {}
    files = files or {}
    answers = dict(item.answers or {})
    rows = []
    for field in item.catalog_item.form or []:
        name = field.get("name")
        if name not in answers:
            continue
        rows.append(_row(field, answers.pop(name), people, cis, files))
    for name, value in answers.items():
        rows.append(_row({"name": name, "label": name, "type": ""}, value, people, cis, files))
    return rows


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
        name, link = files.get(_as_int(value), (f"#{value}", None))
        text = name
    elif isinstance(value, list):
        text = ", ".join(str(v) for v in value)
    else:
        text = "" if value is None else str(value)
    return {"label": field.get("label") or field.get("name"), "text": text, "link": link}


def _as_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def referenced(item, kind) -> set[int]:
    """The ids the answers of ``item`` give to questions of type ``kind``."""
    ids = set()
    for field in item.catalog_item.form or []:
        if field.get("type") == kind and field.get("name") in (item.answers or {}):
            value = _as_int(item.answers[field["name"]])
            if value is not None:
                ids.add(value)
    return ids
