"""Template helpers of the UI shell: pagination links, journal values, sortable headers."""

from __future__ import annotations

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def page_range(page_obj):
    """Page numbers around the current one, with ``…`` for the gaps (Paginator.ELLIPSIS)."""
    return page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)


@register.filter
def journal_value(value) -> str:
    """One side of a journal change ({field: [before, after]}) as a short text for people."""
    if value is None or value == "":
        return "—"
    if isinstance(value, dict):
        return str(value.get("name", value.get("id", "")))
    if isinstance(value, list):
        return ", ".join(journal_value(v) for v in value) or "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def _choice(choices: dict, value) -> str:
    if choices and isinstance(value, str | int):
        value = choices.get(value, value)
    return journal_value(value)


@register.filter
def journal_changes(entry, record) -> list[tuple[str, str, str]]:
    """``(field label, before, after)`` of one journal entry, with choice values as labels."""
    rows = []
    for name, pair in entry.changes.items():
        before, after = ([*pair, None, None] if isinstance(pair, list) else [None, pair])[:2]
        label, choices = field_label(name), {}
        try:
            field = record._meta.get_field(name)
        except (AttributeError, FieldDoesNotExist):
            field = None
        if field is not None and hasattr(field, "verbose_name"):
            label = capfirst(field.verbose_name)
            choices = dict(field.flatchoices or ())
        rows.append((label, _choice(choices, before), _choice(choices, after)))
    return rows


@register.filter
def field_label(name: str) -> str:
    """``time_zone`` → ``Time zone``."""
    return str(name).replace("_", " ").capitalize()


@register.inclusion_tag("core/includes/sort_header.html", takes_context=True)
def sort_header(context, key: str, label: str):
    """A column header that sorts the list by ``key`` (again: the other way round)."""
    current = context.get("sort", "")
    ascending = current == key
    descending = current == f"-{key}"
    return {
        "request": context["request"],
        "label": label,
        "target": f"-{key}" if ascending else key,
        "aria_sort": "ascending" if ascending else "descending" if descending else "",
    }
