"""Forms that choose which calendar a support group or a service works: the one on a group's
page (its manager or an administrator) and the ones on a calendar's page (administrators).
The operation ``assign_calendar`` checks who may again."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from steward.people.models import SupportGroup
from steward.services.models import Service
from steward.slm.models import Calendar


def _calendar_label(calendar: Calendar) -> str:
    if calendar.is_default:
        return _("%(name)s (the default, 24×7)") % {"name": calendar.name}
    return f"{calendar.name} ({calendar.time_zone})"


class GroupCalendarForm(forms.Form):
    """The calendar a group works; the default calendar means "no calendar of its own"."""

    calendar = forms.ModelChoiceField(
        label=_("Works the calendar"), queryset=Calendar.objects.none(), empty_label=None
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["calendar"]
        field.queryset = Calendar.objects.for_user(user, "view").order_by("-is_default", "name")
        field.label_from_instance = _calendar_label

    def chosen(self) -> Calendar | None:
        """The calendar to assign; None for the default (the group's own link is removed)."""
        calendar = self.cleaned_data["calendar"]
        return None if calendar.is_default else calendar


class CalendarAssignForm(forms.Form):
    """Services and support groups to point to one calendar (all or none)."""

    services = forms.ModelMultipleChoiceField(
        label=_("Services"),
        queryset=Service.objects.none(),
        required=False,
        help_text=_("Hold Ctrl (⌘ on a Mac) to choose several."),
    )
    groups = forms.ModelMultipleChoiceField(
        label=_("Support groups"),
        queryset=SupportGroup.objects.none(),
        required=False,
        help_text=_("Hold Ctrl (⌘ on a Mac) to choose several."),
    )

    def __init__(self, user, calendar: Calendar, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"].queryset = (
            Service.objects.for_user(user, "view")
            .exclude(slm_calendar__calendar=calendar)
            .order_by("name")
        )
        self.fields["groups"].queryset = (
            SupportGroup.objects.for_user(user, "view")
            .filter(is_active=True)
            .exclude(slm_calendar__calendar=calendar)
            .order_by("name")
        )
        for name in ("services", "groups"):
            self.fields[name].widget.attrs["size"] = 6

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("services") and not data.get("groups"):
            raise forms.ValidationError(_("Choose at least one service or support group."))
        return data

    def targets(self) -> list:
        return [*self.cleaned_data["services"], *self.cleaned_data["groups"]]


class CalendarReleaseForm(forms.Form):
    """One service or group that stops working this calendar (back to the default)."""

    service = forms.ModelChoiceField(queryset=Service.objects.none(), required=False)
    group = forms.ModelChoiceField(queryset=SupportGroup.objects.none(), required=False)

    def __init__(self, user, calendar: Calendar, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.for_user(user, "view").filter(
            slm_calendar__calendar=calendar
        )
        self.fields["group"].queryset = SupportGroup.objects.for_user(user, "view").filter(
            slm_calendar__calendar=calendar
        )

    def clean(self):
        data = super().clean()
        if not self.errors and bool(data.get("service")) == bool(data.get("group")):
            raise forms.ValidationError(_("Choose one service or one support group."))
        return data

    def target(self):
        return self.cleaned_data["service"] or self.cleaned_data["group"]
