"""The CI attribute form, generated from the CI class's JSON Schema.

Each property of the schema becomes a field: a string a text box (a list to choose from when it
has an ``enum``), an integer or number a number box with the schema's bounds, a boolean a
yes/no choice, an array or object a JSON text box. ``title`` and ``description`` give the label
and help. Required properties come first (in the schema's ``required`` order), then the others
by name. The form checks what a browser can check; the operation validates the attributes
against the schema again, and its problems (``attributes.<name>``) are shown beside the field
they name (:meth:`AttributeForm.add_problems`). A class whose schema declares no properties gets
one JSON text box for all its attributes.
"""

from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext_lazy as _

PREFIX = "attr_"
#: The one field of a class without declared properties: every attribute, as a JSON object.
ALL = "attributes_json"


class JSONTextField(forms.CharField):
    """JSON typed in a text box: an array, an object, or (``whole=True``) the attributes object."""

    def __init__(self, *, kind: str | None = None, **kwargs):
        self.kind = kind
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        text = (super().to_python(value) or "").strip()
        if not text:
            return None
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise forms.ValidationError(
                _("Not valid JSON: %(error)s"), params={"error": exc}
            ) from exc
        expected = {"array": list, "object": dict}.get(self.kind or "")
        if expected and not isinstance(data, expected):
            raise forms.ValidationError(_("Must be a JSON %(kind)s."), params={"kind": self.kind})
        return data

    def prepare_value(self, value):
        if value is None or isinstance(value, str):
            return value
        return json.dumps(value, ensure_ascii=False)


class AttributeForm(forms.Form):
    """Base of the generated forms; ``properties`` is the schema's properties in order."""

    properties: dict = {}

    @classmethod
    def initial_from(cls, attributes: dict) -> dict:
        if not cls.properties:
            return {ALL: attributes or None}
        initial = {}
        for name, spec in cls.properties.items():
            if name not in (attributes or {}):
                continue
            value = attributes[name]
            if isinstance(value, bool):
                value = "true" if value else "false"
            elif "enum" in spec:
                value = json.dumps(value)
            initial[PREFIX + name] = value
        return initial

    def attributes(self, current: dict | None = None) -> dict:
        """The attributes the form holds (empty fields left out), keeping the ones of
        ``current`` that the schema does not declare."""
        if not self.properties:
            return self.cleaned_data.get(ALL) or {}
        kept = {k: v for k, v in (current or {}).items() if k not in self.properties}
        for name in self.properties:
            value = self.cleaned_data.get(PREFIX + name)
            if value is not None and value != "":
                kept[name] = value
        return kept

    def add_problems(self, problems: dict[str, list[str]]) -> bool:
        """Put the operation's ``attributes.<name>`` problems beside their fields; True if any
        was placed."""
        placed = False
        for key, messages in problems.items():
            if not key.startswith("attributes"):
                continue
            name = key.removeprefix("attributes").removeprefix(".").split(".")[0]
            field = PREFIX + name if name and PREFIX + name in self.fields else None
            if field is None and ALL in self.fields:
                field = ALL
            for message in messages:
                self.add_error(field, message)
            placed = True
        return placed


def _label(name: str, spec: dict) -> str:
    return spec.get("title") or name.replace("_", " ").capitalize()


def _field(name: str, spec: dict, required: bool) -> forms.Field:
    common = {
        "label": _label(name, spec),
        "required": required,
        "help_text": spec.get("description", ""),
    }
    kind = spec.get("type")
    if "enum" in spec:
        values = {json.dumps(v): v for v in spec["enum"]}
        choices = [("", "—"), *((key, str(v)) for key, v in values.items())]
        return forms.TypedChoiceField(
            choices=choices, coerce=lambda key: values[key], empty_value=None, **common
        )
    if kind == "integer":
        return forms.IntegerField(
            min_value=spec.get("minimum"), max_value=spec.get("maximum"), **common
        )
    if kind == "number":
        return forms.FloatField(
            min_value=spec.get("minimum"), max_value=spec.get("maximum"), **common
        )
    if kind == "boolean":
        choices = [("", "—"), ("true", _("Yes")), ("false", _("No"))]
        return forms.TypedChoiceField(
            choices=choices, coerce=lambda v: v == "true", empty_value=None, **common
        )
    if kind in {"array", "object"}:
        return JSONTextField(kind=kind, **common)
    field = forms.CharField(
        max_length=spec.get("maxLength"), min_length=spec.get("minLength"), **common
    )
    if spec.get("format") == "date":
        field.widget.input_type = "date"
    return field


def attribute_form_class(schema: dict | None) -> type[AttributeForm]:
    """A form class for the attributes that ``schema`` (a JSON Schema object) declares."""
    schema = schema or {}
    required_list = [n for n in schema.get("required") or [] if isinstance(n, str)]
    required = set(required_list)
    # PostgreSQL's jsonb keeps no key order: the required properties come first, in the order
    # the schema lists them, then the others by name — the same form on either database.
    declared = schema.get("properties") or {}
    names = [n for n in required_list if n in declared]
    names += sorted(n for n in declared if n not in required)
    properties = {name: declared[name] for name in names}
    fields: dict = {"properties": properties}
    if properties:
        for name, spec in properties.items():
            fields[PREFIX + name] = _field(name, spec or {}, name in required)
    else:
        fields[ALL] = JSONTextField(
            kind="object",
            label=_("Attributes (JSON)"),
            required=False,
            help_text=_("This class declares no attributes: any JSON object is accepted."),
        )
    return type("CIAttributeForm", (AttributeForm,), fields)
