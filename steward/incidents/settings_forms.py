"""Forms of the incident settings pages (priority matrix, categories). They parse input only;
``incidents.operations.classification`` validates and writes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from steward.incidents.choices import Level, Priority
from steward.incidents.models import IncidentCategory
from steward.incidents.operations.classification import cell_field

STATUS_CHOICES = [("", _("Any status")), ("active", _("Active")), ("retired", _("Retired"))]


class MatrixForm(forms.Form):
    """One select per cell (``impact1_urgency2``) and, hidden, the priority it was read at
    (``read_impact1_urgency2``)."""

    seen = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, current: dict[tuple[int, int], int], **kwargs):
        super().__init__(*args, **kwargs)
        self.cells = []
        for impact in Level.values:
            for urgency in Level.values:
                name = cell_field(impact, urgency)
                self.fields[name] = forms.TypedChoiceField(
                    label=_("Priority for impact %(impact)s and urgency %(urgency)s")
                    % {"impact": Level(impact).label, "urgency": Level(urgency).label},
                    choices=Priority.choices,
                    coerce=int,
                    initial=current[(impact, urgency)],
                )
                self.fields[f"read_{name}"] = forms.IntegerField(
                    widget=forms.HiddenInput, initial=current[(impact, urgency)]
                )
                self.cells.append((impact, urgency, name))

    def rows(self):
        """The matrix as rows of bound fields: ``[(impact label, [(field, read field)...])]``."""
        by_impact = {}
        for impact, _urgency, name in self.cells:
            by_impact.setdefault(impact, []).append((self[name], self[f"read_{name}"]))
        return [(Level(i).label, cells) for i, cells in by_impact.items()]

    def values(self) -> tuple[dict, dict]:
        cells = {(i, u): self.cleaned_data[n] for i, u, n in self.cells}
        read = {(i, u): self.cleaned_data[f"read_{n}"] for i, u, n in self.cells}
        return cells, read


def top_level_categories():
    return IncidentCategory.objects.filter(parent=None, is_active=True).order_by("name")


class CategoryCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    parent = forms.ModelChoiceField(
        label=_("Under"),
        queryset=top_level_categories(),
        required=False,
        empty_label=_("— top level —"),
        help_text=_("Leave at the top level for a category; choose one for a subcategory."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = top_level_categories()


class CategoryEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        help_text=_(
            "A retired category cannot be chosen for new incidents; incidents filed under it "
            "keep it. Retiring a category retires its subcategories."
        ),
    )
    read_name = forms.CharField(widget=forms.HiddenInput, max_length=80)
    read_active = forms.BooleanField(widget=forms.HiddenInput, required=False)
    seen = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CategoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100, widget=forms.SearchInput)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)

    def value(self, name: str):
        return self.cleaned_data.get(name) if self.is_valid() else None
