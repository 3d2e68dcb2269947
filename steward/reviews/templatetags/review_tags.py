"""Template helpers of the service review: a figure in its unit, kept on one line."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext

register = template.Library()

NBSP = "\u00a0"


@register.filter
def in_unit(value, unit: str) -> str:
    """``31.68 h``, ``55.56 %``, ``0.44``: the value in the reader's number format, its unit
    joined with a no-break space (a narrow column never puts the unit on a line of its own)."""
    if value is None:
        return "—"
    number = number_format(value)
    if unit == "percent":
        return f"{number}{NBSP}%"
    if unit == "hours":
        return gettext("%(value)s h").replace(" ", NBSP) % {"value": number}
    return number
