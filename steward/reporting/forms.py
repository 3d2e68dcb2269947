"""The KPI page's filters: a period in whole UTC days, the dimensions, and the grouping."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from steward.core.kpis import Kpi
from steward.people.models import Organization, SupportGroup
from steward.reporting import queries
from steward.services.models import Service

GROUP_LABELS = {
    "": _("Nothing"),
    "day": _("Day"),
    "week": _("Week"),
    "month": _("Month"),
    "service": _("Service"),
    "group": _("Group"),
    "priority": _("Priority"),
    "organization": _("Organization"),
}


class DateInput(forms.DateInput):
    input_type = "date"


class KpiFilterForm(forms.Form):
    """``from`` and ``to`` are days (``to`` included); the dimensions offered are the KPI's."""

    service = forms.ModelChoiceField(
        label=_("Service"), required=False, queryset=Service.objects.none(), empty_label=_("Any")
    )
    group = forms.ModelChoiceField(
        label=_("Group"), required=False, queryset=SupportGroup.objects.none(), empty_label=_("Any")
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any")), *[(str(p), f"P{p}") for p in range(1, 6)]],
    )
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        required=False,
        queryset=Organization.objects.none(),
        empty_label=_("Any"),
    )
    group_by = forms.ChoiceField(label=_("Group by"), required=False)

    def __init__(self, kpi: Kpi, data=None):
        super().__init__(data)
        # "from" is a Python keyword: the period's fields are added by name
        self.fields["from"] = forms.DateField(label=_("From"), required=False, widget=DateInput)
        self.fields["to"] = forms.DateField(
            label=_("To (included)"), required=False, widget=DateInput
        )
        self.order_fields(["from", "to"])
        self.kpi = kpi
        self.fields["service"].queryset = Service.objects.order_by("name")
        self.fields["group"].queryset = SupportGroup.objects.order_by("name")
        self.fields["organization"].queryset = Organization.objects.order_by("name")
        for name in ("service", "group", "priority", "organization"):
            if name not in kpi.dimensions:
                del self.fields[name]
        self.fields["group_by"].choices = [(key, GROUP_LABELS[key]) for key in ("", *kpi.groupings)]

    def period(self) -> tuple[dt.datetime, dt.datetime]:
        default_start, default_end = queries.default_period()
        data = self.cleaned_data
        start = (
            dt.datetime.combine(data["from"], dt.time(), tzinfo=dt.UTC)
            if data.get("from")
            else None
        )
        end = (
            dt.datetime.combine(data["to"] + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
            if data.get("to")
            else None
        )
        if start is None and end is None:
            return default_start, default_end
        if start is None:
            start = end - dt.timedelta(days=queries.DEFAULT_DAYS)
        if end is None:
            end = start + dt.timedelta(days=queries.DEFAULT_DAYS)
        return start, end

    def dimension_filters(self) -> dict:
        out = {}
        for name in ("service", "group", "organization"):
            value = self.cleaned_data.get(name)
            if value is not None:
                out[name] = value.pk
        if self.cleaned_data.get("priority"):
            out["priority"] = self.cleaned_data["priority"]
        return out
