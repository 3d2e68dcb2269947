"""Forms of the CMDB pages: the CI list's filters, a CI, a CI class, a relationship, the CSV
import. A CI is named by its name (and class where names repeat), never chosen from a list of
every CI: a CMDB holds far more than a list can show."""

from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from steward.people.models import SupportGroup
from steward.services.choices import CIStatus, Environment, RelationshipType
from steward.services.models import CIClass, ConfigurationItem

#: The largest CSV file the import page takes (the importer reads at most 5,000 rows).
MAX_CSV_BYTES = 5 * 1024 * 1024


def _classes():
    return CIClass.objects.order_by("name")


def _groups():
    return SupportGroup.objects.filter(is_active=True).order_by("name")


class CIFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100, widget=forms.SearchInput)
    ci_class = forms.ModelChoiceField(
        label=_("Class"), required=False, queryset=CIClass.objects.none(), empty_label=_("Any")
    )
    owner_group = forms.ModelChoiceField(
        label=_("Owner group"),
        required=False,
        queryset=SupportGroup.objects.none(),
        empty_label=_("Any"),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *CIStatus.choices]
    )
    environment = forms.ChoiceField(
        label=_("Environment"), required=False, choices=[("", _("Any")), *Environment.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ci_class"].queryset = _classes()
        self.fields["owner_group"].queryset = SupportGroup.objects.order_by("name")

    @property
    def filters(self) -> dict:
        """The valid filters, as ``lists.filter_cis`` takes them (invalid ones show errors)."""
        return {k: v for k, v in (self.cleaned_data if self.is_valid() else {}).items() if v}


class CIFieldsForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    status = forms.ChoiceField(label=_("Status"), choices=CIStatus.choices, initial="active")
    environment = forms.ChoiceField(
        label=_("Environment"), choices=Environment.choices, initial="production"
    )
    owner_group = forms.ModelChoiceField(
        label=_("Owner group"),
        required=False,
        queryset=SupportGroup.objects.none(),
        empty_label=_("— none —"),
        help_text=_("The support group that answers for this CI."),
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_group"].queryset = _groups()


class CIForm(CIFieldsForm):
    """A new CI: its class first (the attributes follow on its page, from the class's schema)."""

    ci_class = forms.ModelChoiceField(label=_("Class"), queryset=CIClass.objects.none())

    field_order = ["name", "ci_class"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ci_class"].queryset = _classes()


class CIEditForm(CIFieldsForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    seen = forms.IntegerField(widget=forms.HiddenInput, required=False)

    FIELDS = ("name", "status", "environment", "owner_group", "description")

    @property
    def changes(self) -> dict:
        return {k: self.cleaned_data[k] for k in self.FIELDS}


class SchemaField(forms.CharField):
    """A JSON Schema typed as JSON text."""

    widget = forms.Textarea(attrs={"rows": 14, "spellcheck": "false", "class": "code"})

    def to_python(self, value):
        text = (super().to_python(value) or "").strip()
        if not text:
            return {}
        try:
            return json.loads(text)
        except ValueError as exc:
            raise forms.ValidationError(
                _("Not valid JSON: %(error)s"), params={"error": exc}
            ) from exc

    def prepare_value(self, value):
        if isinstance(value, dict):
            return json.dumps(value, indent=2, ensure_ascii=False)
        return value


class CIClassForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    attribute_schema = SchemaField(
        label=_("Attribute schema"),
        required=False,
        help_text=_(
            'A JSON Schema object: {"type": "object", "properties": {"os": {"type": "string"}}, '
            '"required": ["os"]}. The CI page builds its attribute form from it.'
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    seen = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @property
    def changes(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("name", "description", "attribute_schema")}


class CINameField(forms.CharField):
    """A CI named by its name; the form's ``<name>_class`` narrows it when names repeat."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)
        self.widget.attrs.update(autocomplete="off", spellcheck="false")


def resolve_ci(form: forms.Form, field: str, queryset) -> ConfigurationItem | None:
    """The one CI of ``queryset`` that ``form``'s ``field`` (and ``<field>_class``) names, or
    None with the error beside the field."""
    name = form.cleaned_data.get(field)
    if not name:
        return None
    found = queryset.filter(name=name).select_related("ci_class")
    ci_class = form.cleaned_data.get(f"{field}_class")
    if ci_class is not None:
        found = found.filter(ci_class=ci_class)
    found = list(found[:10])
    if not found:
        form.add_error(field, _("No CI is named “%(name)s”.") % {"name": name})
        return None
    if len(found) > 1:
        form.add_error(
            field,
            _("%(count)s CIs are named “%(name)s”: choose the class too.")
            % {"count": len(found), "name": name},
        )
        return None
    return found[0]


class RelationshipForm(forms.Form):
    """``this CI <type> target``."""

    type = forms.ChoiceField(label=_("Relationship"), choices=RelationshipType.choices)
    target = CINameField(label=_("Other CI"), help_text=_("Its exact name."))
    target_class = forms.ModelChoiceField(
        label=_("Its class"),
        required=False,
        queryset=CIClass.objects.none(),
        empty_label=_("Any"),
        help_text=_("Only needed when CIs of several classes share the name."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_class"].queryset = _classes()


class CsvImportForm(forms.Form):
    KINDS = [("cis", _("Configuration items")), ("relationships", _("Relationships"))]

    kind = forms.ChoiceField(
        label=_("What the file holds"), choices=KINDS, widget=forms.RadioSelect, initial="cis"
    )
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, header first; at most 5,000 rows and 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB: split it."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(
                _("The file is not UTF-8 text (byte %(at)s)."), params={"at": exc.start}
            ) from exc
