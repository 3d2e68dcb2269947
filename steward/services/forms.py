"""Forms of the service pages: the list's filters."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from steward.services.choices import Criticality, Lifecycle

#: ?sort= keys and the columns they order by; a leading "-" reverses, ties go by name A to Z.
SORTS = {
    "name": ("name",),
    "criticality": ("criticality",),
    "status": ("status",),
    "owner": ("owner__last_name", "owner__first_name", "owner__username"),
    "updated": ("updated_at",),
}


def clean_sort(value: str | None) -> str:
    """The ?sort= value if it is a known order, else "name"."""
    return value if value and value.removeprefix("-") in SORTS else "name"


def ordering(sort: str) -> tuple[str, ...]:
    key = sort.removeprefix("-")
    fields = tuple(f"-{f}" for f in SORTS[key]) if sort.startswith("-") else SORTS[key]
    return fields if key == "name" else (*fields, "name")


class ServiceFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100, widget=forms.SearchInput)
    status = forms.ChoiceField(
        label=_("Lifecycle"), required=False, choices=[("", _("Any")), *Lifecycle.choices]
    )
    criticality = forms.TypedChoiceField(
        label=_("Criticality"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any")), *Criticality.choices],
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"), required=False, queryset=None, empty_label=_("Anyone")
    )

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = lambda u: u.display_name

    def apply(self, services):
        """Filter ``services`` by the valid filters (invalid ones are shown as errors)."""
        data = self.cleaned_data if self.is_valid() else {}
        if text := (data.get("q") or "").strip():
            services = services.filter(Q(name__icontains=text) | Q(description__icontains=text))
        if data.get("status"):
            services = services.filter(status=data["status"])
        if data.get("criticality"):
            services = services.filter(criticality=data["criticality"])
        if data.get("owner"):
            services = services.filter(owner=data["owner"])
        return services
