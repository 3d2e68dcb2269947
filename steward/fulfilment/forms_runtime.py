"""The order form of a catalog item, built at run time from its form definition (the portal
renders it; so can any page that orders).

:func:`form_for` gives a Django form with one field per question: text, long text, number,
date, choice (a list), several choices (check boxes), a person and a configuration item (lists
of those the person ordering may choose), a file, a check box. A question with ``visible_if``
carries its condition in a ``data-visible-if`` attribute, which
``fulfilment/static/fulfilment/visible_if.js`` reads to show and hide it while the person
answers (no inline script). Whatever the browser did, ``is_valid()`` runs the one server
validation (``form_schema.validate_answers``, the same as the API's): hidden questions are
dropped, required ones must be answered, and each problem is shown beside its question.
After ``is_valid()``, ``order_item(quantity=1)`` is the dict ``operations.order`` takes.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from django import forms

from steward.core.errors import ValidationError
from steward.fulfilment import form_schema
from steward.fulfilment.choices import FieldType
from steward.fulfilment.operations.ordering import OrderLookups
from steward.people.models import User
from steward.services.choices import CIStatus
from steward.services.models import ConfigurationItem

#: Stands for a file chosen in this form until the order stores it (never a row id).
PENDING_UPLOAD = 2**62


class _FormLookups(OrderLookups):
    def attachment_ok(self, attachment_id: int) -> bool:
        return attachment_id == PENDING_UPLOAD or super().attachment_ok(attachment_id)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


def people_for(user):
    """The people ``user`` may name in a person question: those they may see, active."""
    return (
        User.objects.for_user(user, "view")
        .filter(is_active=True)
        .order_by("first_name", "last_name", "username")
    )


def cis_for(catalog_item):
    """The configuration items a CI question offers: those of the item's service, in use."""
    return (
        ConfigurationItem.objects.filter(service_links__service=catalog_item.service_id)
        .exclude(status=CIStatus.RETIRED)
        .order_by("name", "id")
    )


def _field(definition: form_schema.CatalogFormField, catalog_item, user) -> forms.Field:
    t = definition.type
    # the browser's "required" only where the question is always asked: a hidden required
    # question must not block the form (the server checks what was visible)
    common = {
        "label": definition.label,
        "help_text": definition.help,
        "required": definition.required and definition.visible_if is None,
    }
    if t == FieldType.TEXT:
        return forms.CharField(max_length=definition.max_length or form_schema.TEXT_MAX, **common)
    if t == FieldType.TEXTAREA:
        return forms.CharField(
            max_length=definition.max_length or form_schema.TEXTAREA_MAX,
            widget=forms.Textarea(attrs={"rows": 4}),
            **common,
        )
    if t == FieldType.NUMBER:
        return forms.DecimalField(
            min_value=Decimal(str(definition.min)) if definition.min is not None else None,
            max_value=Decimal(str(definition.max)) if definition.max is not None else None,
            **common,
        )
    if t == FieldType.DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if t == FieldType.CHOICE:
        return forms.ChoiceField(
            choices=[("", "—"), *[(c.value, c.label) for c in definition.choices]], **common
        )
    if t == FieldType.MULTICHOICE:
        return forms.MultipleChoiceField(
            choices=[(c.value, c.label) for c in definition.choices],
            widget=forms.CheckboxSelectMultiple,
            **common,
        )
    if t == FieldType.USER:
        return PersonChoiceField(queryset=people_for(user), empty_label="—", **common)
    if t == FieldType.CI:
        return forms.ModelChoiceField(queryset=cis_for(catalog_item), empty_label="—", **common)
    if t == FieldType.ATTACHMENT:
        return forms.FileField(**common)
    if t == FieldType.CHECKBOX:
        return forms.BooleanField(**common)
    raise ValueError(t)  # pragma: no cover - FieldType is closed


def _answer(definition, value):
    """A cleaned form value as the JSON answer the server validation reads."""
    if value in (None, "", []):
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


class OrderForm(forms.Form):
    """The order form of one catalog item (built by :func:`form_for`)."""

    class Media:
        js = ["fulfilment/visible_if.js"]

    def __init__(self, catalog_item, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.catalog_item = catalog_item
        self.user = user
        self.definitions = form_schema.parse_form(catalog_item.form)
        self.answers: dict = {}
        self.uploads: dict = {}
        for d in self.definitions:
            field = _field(d, catalog_item, user)
            if d.visible_if is not None:
                condition = {"field": self.add_prefix(d.visible_if.field)}
                if d.visible_if.in_ is not None:
                    condition["in"] = d.visible_if.in_
                else:
                    condition["equals"] = d.visible_if.equals
                field.widget.attrs["data-visible-if"] = json.dumps(condition)
            self.fields[d.name] = field

    def clean(self):
        cleaned = super().clean()
        answers, uploads = {}, {}
        for d in self.definitions:
            if d.name in self.errors:
                # a value the field could not read (not a number, not a date): it stands
                continue
            value = cleaned.get(d.name)
            if d.type == FieldType.ATTACHMENT:
                if value:
                    uploads[d.name] = value
                    answers[d.name] = PENDING_UPLOAD
                continue
            answer = _answer(d, value)
            if answer is not None or d.type == FieldType.CHECKBOX:
                answers[d.name] = bool(answer) if d.type == FieldType.CHECKBOX else answer
        try:
            checked = form_schema.validate_answers(
                self.definitions, answers, _FormLookups(self.user, self.catalog_item)
            )
        except ValidationError as exc:
            for key, problems in exc.fields.items():
                name = key.removeprefix("answers.")
                if name in self.fields and name not in self.errors:
                    for problem in problems:
                        self.add_error(name, problem)
            if not self.errors:  # pragma: no cover - every problem names a question
                raise forms.ValidationError(exc.message) from exc
            return cleaned
        self.answers = {k: v for k, v in checked.items() if v != PENDING_UPLOAD}
        self.uploads = {k: v for k, v in uploads.items() if k in checked}
        return cleaned

    def order_item(self, quantity: int = 1) -> dict:
        """What ``operations.order(items=[...])`` takes for this form (after ``is_valid()``)."""
        if not hasattr(self, "cleaned_data"):
            raise ValueError("call is_valid() first")
        return {
            "catalog_item": self.catalog_item,
            "answers": dict(self.answers),
            "quantity": quantity,
            "files": dict(self.uploads),
        }


def form_for(catalog_item, user, data=None, files=None) -> OrderForm:
    """The order form of ``catalog_item`` for ``user``, bound to ``data``/``files`` when
    given."""
    if data is None:
        return OrderForm(catalog_item, user)
    return OrderForm(catalog_item, user, data=data, files=files)


__all__ = ["OrderForm", "form_for"]
