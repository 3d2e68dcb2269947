"""The form renderer: Django's, with the everyday widgets written in Python.

Django renders every widget through templates — a select includes one template per option and
each of those includes the attribute template — which cost about 1.5 ms per select on the
incident queue's filter form. Text-like inputs, selects and text areas are built here instead,
byte for byte what Django's templates give (tests/ui/test_form_renderer.py compares the two for
every case), with every value escaped the same way. Every other widget goes through the
templates as before (Steward overrides none of Django's widget templates).
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape

_INPUTS = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "text",
        "email",
        "number",
        "password",
        "search",
        "url",
        "tel",
        "date",
        "datetime",
        "time",
        "hidden",
        "checkbox",
        "color",
    )
)
_SELECT = "django/forms/widgets/select.html"
_OPTION = "django/forms/widgets/select_option.html"
_TEXTAREA = "django/forms/widgets/textarea.html"


def _attrs(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html: False leaves the attribute out, True writes its name."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(parts)


def _input(widget: dict) -> str:
    value = widget["value"]
    value = "" if value is None else f' value="{conditional_escape(str(value))}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{value}{_attrs(widget["attrs"])}>'
    )


def _option(option: dict) -> str:
    return (
        f'<option value="{conditional_escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
        f"{conditional_escape(option['label'])}</option>\n"
    )


def _select(widget: dict) -> str:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            parts.append("\n  ")
            parts.append(_option(option))
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _textarea(widget: dict) -> str:
    value = widget["value"]
    return (
        f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{conditional_escape(value) if value else ''}</textarea>"
    )


class StewardFormRenderer(DjangoTemplates):
    """Django's renderer strips what a template renders; the builders give it stripped."""

    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        if widget is not None and widget.get("template_name") == template_name:
            if template_name in _INPUTS:
                return _input(widget)
            if template_name == _SELECT and _simple_options(widget):
                return _select(widget)
            if template_name == _TEXTAREA:
                return _textarea(widget)
        return super().render(template_name, context, request)


def _simple_options(widget: dict) -> bool:
    return all(o["template_name"] == _OPTION for _, group, _ in widget["optgroups"] for o in group)
