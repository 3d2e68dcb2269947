"""The register's forms: filters, an item (new and edit, prefilled from the KPI page), the
lifecycle moves, comments and actions."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from steward.core.kpis import enabled_kpis
from steward.improvement.choices import Outcome, Status
from steward.people.models import Organization, SupportGroup, User
from steward.services.models import Service


class DateInput(forms.DateInput):
    input_type = "date"


def _people():
    return User.objects.filter(is_active=True).order_by("first_name", "last_name", "username")


def _person_label(user) -> str:
    return user.display_name


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return _person_label(obj)


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100, widget=forms.SearchInput)
    view = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("open", _("Open items")), ("mine", _("Mine")), ("all", _("All items"))],
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *Status.choices]
    )
    owner = PersonChoice(
        label=_("Owner"), required=False, queryset=User.objects.none(), empty_label=_("Anyone")
    )
    service = forms.ModelChoiceField(
        label=_("Service"), required=False, queryset=Service.objects.none(), empty_label=_("Any")
    )
    kpi = forms.ChoiceField(label=_("KPI"), required=False)

    def __init__(self, data, *, user, owners):
        super().__init__(data)
        self.fields["owner"].queryset = owners
        self.fields["service"].queryset = Service.objects.for_user(user, "view").order_by("name")
        self.fields["kpi"].choices = [("", _("Any")), *[(k.key, k.name) for k in enabled_kpis()]]

    def filters(self) -> dict:
        if not self.is_valid():
            return {"view": "open"}
        data = self.cleaned_data
        return {
            "q": data.get("q"),
            "view": data.get("view") or "open",
            "status": data.get("status"),
            "owner": data.get("owner"),
            "service": data.get("service"),
            "kpi": data.get("kpi"),
        }


class ItemForm(forms.Form):
    """An item's fields. The KPI's filters are the KPI page's (service, group, priority,
    organization); the baseline period is in whole UTC days, ``to`` included."""

    title = forms.CharField(label=_("Title"), max_length=200)
    problem = forms.CharField(
        label=_("Problem statement"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=20_000,
        help_text=_("What goes wrong, for whom, and how you know."),
    )
    service = forms.ModelChoiceField(
        label=_("Service"), required=False, queryset=Service.objects.none(), empty_label=_("None")
    )
    owner = PersonChoice(
        label=_("Owner"),
        required=False,
        queryset=User.objects.none(),
        empty_label=_("Nobody yet"),
        help_text=_("One person, accountable for the result."),
    )
    public = forms.BooleanField(
        label=_("Shared with everyone"),
        required=False,
        help_text=_("Requesters see it, comment on it and vote for it."),
    )
    kpi = forms.ChoiceField(
        label=_("KPI it aims to move"),
        required=False,
        help_text=_("Its baseline is captured from this KPI when the item is approved."),
    )
    kpi_service = forms.ModelChoiceField(
        label=_("KPI for service"),
        required=False,
        queryset=Service.objects.none(),
        empty_label=_("Any"),
    )
    kpi_group = forms.ModelChoiceField(
        label=_("KPI for group"),
        required=False,
        queryset=SupportGroup.objects.none(),
        empty_label=_("Any"),
    )
    kpi_priority = forms.TypedChoiceField(
        label=_("KPI for priority"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any")), *[(str(p), f"P{p}") for p in range(1, 6)]],
    )
    kpi_organization = forms.ModelChoiceField(
        label=_("KPI for organization"),
        required=False,
        queryset=Organization.objects.none(),
        empty_label=_("Any"),
    )
    baseline_from = forms.DateField(
        label=_("Baseline from"),
        required=False,
        widget=DateInput,
        help_text=_("Leave both empty for the 90 days before approval."),
    )
    baseline_to = forms.DateField(
        label=_("Baseline to (included)"), required=False, widget=DateInput
    )
    target = forms.FloatField(label=_("Target"), required=False, min_value=-1e12, max_value=1e12)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DateInput)
    source = forms.CharField(label=_("Raised from"), required=False, max_length=40)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    seen = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, data=None, *, user, initial=None, item=None):
        super().__init__(data, initial=initial)
        self.item = item
        self.fields["service"].queryset = Service.objects.for_user(user, "view").order_by("name")
        self.fields["kpi"].choices = [
            ("", _("None")),
            *[(k.key, k.name) for k in enabled_kpis()],
        ]
        if user.is_it:
            self.fields["owner"].queryset = _people()
            self.fields["kpi_service"].queryset = Service.objects.order_by("name")
            self.fields["kpi_group"].queryset = SupportGroup.objects.order_by("name")
            self.fields["kpi_organization"].queryset = Organization.objects.order_by("name")
        else:
            for name in ("owner", "public", "kpi_group", "kpi_organization"):
                del self.fields[name]
            self.fields["kpi_service"].queryset = self.fields["service"].queryset
        if item is not None and item.baseline_captured_at is not None:
            for name in self.measure_fields():
                self.fields[name].disabled = True
            self.fields["kpi"].help_text = _("Fixed: the baseline was captured with it.")

    def measure_fields(self) -> list[str]:
        names = ["kpi", "kpi_service", "kpi_group", "kpi_priority", "kpi_organization"]
        return [n for n in (*names, "baseline_from", "baseline_to") if n in self.fields]

    def values(self) -> dict:
        """The operation's keyword arguments."""
        data = self.cleaned_data
        filters = {}
        for name in ("service", "group", "organization"):
            value = data.get(f"kpi_{name}")
            if value is not None:
                filters[name] = value.pk
        if data.get("kpi_priority"):
            filters["priority"] = data["kpi_priority"]
        start = data.get("baseline_from")
        end = data.get("baseline_to")
        out = {
            "title": data["title"],
            "problem": data["problem"],
            "service": data.get("service"),
            "source": data.get("source") or "",
            "target": data.get("target"),
            "due_date": data.get("due_date"),
        }
        if not (self.item is not None and self.item.baseline_captured_at is not None):
            out |= {
                "kpi_key": data.get("kpi") or "",
                "kpi_filters": filters,
                "baseline_from": dt.datetime.combine(start, dt.time(), tzinfo=dt.UTC)
                if start
                else None,
                "baseline_to": dt.datetime.combine(
                    end + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC
                )
                if end
                else None,
            }
        if "owner" in self.fields:
            out["owner"] = data.get("owner")
            out["public"] = bool(data.get("public"))
        return out


def initial_from_item(item) -> dict:
    filters = item.kpi_filters or {}
    return {
        "title": item.title,
        "problem": item.problem,
        "service": item.service_id,
        "owner": item.owner_id,
        "public": item.public,
        "kpi": item.kpi_key,
        "kpi_service": filters.get("service"),
        "kpi_group": filters.get("group"),
        "kpi_priority": filters.get("priority"),
        "kpi_organization": filters.get("organization"),
        "baseline_from": item.baseline_from.astimezone(dt.UTC).date()
        if item.baseline_from
        else None,
        "baseline_to": (item.baseline_to - dt.timedelta(days=1)).astimezone(dt.UTC).date()
        if item.baseline_to
        else None,
        "target": item.target,
        "due_date": item.due_date,
        "source": item.source,
        "version": item.version,
    }


def _day(text: str):
    try:
        return dt.date.fromisoformat((text or "")[:10])
    except ValueError:
        return None


def _pk(text: str):
    return int(text) if (text or "").isdigit() and len(text) < 18 else None


def initial_from_query(query) -> dict:
    """What the KPI page's "Improve this" link (``?kpi=&from=&to=&service=&group=&priority=
    &organization=``) and a major incident's "Raise an improvement" link (``?source=&title=``)
    prefill. Unknown or malformed values are left out: the form then shows its own checks."""
    initial = {}
    if (key := query.get("kpi", "")) and any(k.key == key for k in enabled_kpis()):
        initial["kpi"] = key
    for name in ("service", "group", "organization"):
        if (pk := _pk(query.get(name, ""))) is not None:
            initial[f"kpi_{name}"] = pk
    if query.get("priority", "") in {"1", "2", "3", "4", "5"}:
        initial["kpi_priority"] = int(query["priority"])
    if "kpi_service" in initial:
        initial["service"] = initial["kpi_service"]
    start, end = _day(query.get("from", "")), _day(query.get("to", ""))
    if start and end and start <= end:
        initial["baseline_from"], initial["baseline_to"] = start, end
    if source := query.get("source", "")[:40]:
        initial["source"] = source
    if title := query.get("title", "")[:200]:
        initial["title"] = title
    return initial


class MoveForm(forms.Form):
    to = forms.ChoiceField(choices=Status.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False, choices=[("", "—"), *Outcome.choices]
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=200)
    owner = PersonChoice(
        label=_("Owner"), required=False, queryset=User.objects.none(), empty_label=_("Nobody yet")
    )
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _people()
