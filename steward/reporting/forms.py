"""The KPI page's filters (a period in whole UTC days, the dimensions, and the grouping) and
the dashboard forms."""

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


# --- dashboards ----------------------------------------------------------------------------------


class DashboardForm(forms.Form):
    """A dashboard's name and the group it is shared with (read-only for its members)."""

    name = forms.CharField(label=_("Name"), max_length=120)
    shared_with = forms.ModelChoiceField(
        label=_("Share with group"),
        required=False,
        queryset=SupportGroup.objects.none(),
        empty_label=_("Nobody (only you)"),
        help_text=_("Members and the manager of the group can read it; only you change it."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shared_with"].queryset = SupportGroup.objects.filter(is_active=True).order_by(
            "name"
        )


class WidgetForm(forms.Form):
    """A widget: what it draws (kind), which KPI, over which period, cut by which filters."""

    title = forms.CharField(
        label=_("Title"),
        max_length=120,
        required=False,
        help_text=_("Leave empty to use the KPI's name."),
    )
    kpi = forms.ChoiceField(label=_("KPI"))
    kind = forms.ChoiceField(
        label=_("Shown as"),
        help_text=_(
            "A time series is grouped by day, week or month; bars by a service, group, "
            "priority or organization; a table by either."
        ),
    )
    period = forms.ChoiceField(label=_("Period"))
    group_by = forms.ChoiceField(label=_("Group by"), required=False)
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
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        from steward.core.kpis import GROUPINGS, enabled_kpis
        from steward.reporting.models import Period, WidgetKind

        super().__init__(*args, **kwargs)
        self.fields["kpi"].choices = [(k.key, k.name) for k in enabled_kpis()]
        self.fields["kind"].choices = WidgetKind.choices
        self.fields["period"].choices = Period.choices
        self.fields["group_by"].choices = [
            ("", _("Nothing (figure, list of records)")),
            *[(key, GROUP_LABELS[key]) for key in GROUPINGS],
        ]
        self.fields["service"].queryset = Service.objects.order_by("name")
        self.fields["group"].queryset = SupportGroup.objects.order_by("name")
        self.fields["organization"].queryset = Organization.objects.order_by("name")

    def spec(self) -> dict:
        """The widget's fields as the operations take them."""
        data = self.cleaned_data
        spec = {name: data.get(name) for name in ("title", "kpi", "kind", "period", "group_by")}
        spec["priority"] = data.get("priority")
        for name in ("service", "group", "organization"):
            spec[name] = data[name].pk if data.get(name) is not None else None
        return spec

    @classmethod
    def initial_for(cls, widget) -> dict:
        return {
            "title": widget.title,
            "kpi": widget.kpi,
            "kind": widget.kind,
            "period": widget.period,
            "group_by": widget.group_by,
            "service": widget.service,
            "group": widget.group,
            "priority": widget.priority,
            "organization": widget.organization,
        }
