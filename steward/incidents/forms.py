"""Forms of the incident pages: queue filters, raising an incident, and the quick actions."""

from __future__ import annotations

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from steward.incidents import lookups
from steward.incidents.choices import HoldReason, Level, Priority, ResolutionCode, Status


class IncidentFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100, widget=forms.SearchInput)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Open and on hold")), ("any", _("Any")), *Status.choices],
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any")), *Priority.choices],
    )


class IncidentCreateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=20_000, widget=forms.Textarea
    )
    service = forms.ModelChoiceField(
        label=_("Affected service"), required=False, queryset=None, empty_label=_("Not sure")
    )
    impact = forms.TypedChoiceField(
        label=_("Impact"), coerce=int, choices=Level.choices, initial=Level.MEDIUM
    )
    urgency = forms.TypedChoiceField(
        label=_("Urgency"), coerce=int, choices=Level.choices, initial=Level.MEDIUM
    )
    affected_ci = forms.CharField(
        label=_("Affected configuration item"),
        required=False,
        max_length=240,
        help_text=_("Type to search; choosing one proposes its service"),
    )
    caller = forms.CharField(
        label=_("Caller"),
        required=False,
        max_length=150,
        help_text=_("Username; type to search. Default: yourself"),
    )
    owning_group = forms.ModelChoiceField(
        label=_("Owning group"),
        required=False,
        queryset=None,
        empty_label=_("Route automatically"),
    )

    def __init__(self, *args, user, services, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["service"].queryset = services
        with_suggestions(self.fields["affected_ci"], "incidents:suggest_cis", "ci-options")
        if groups is None:
            del self.fields["caller"]
            del self.fields["owning_group"]
        else:
            with_suggestions(self.fields["caller"], "incidents:suggest_callers", "caller-options")
            self.fields["owning_group"].queryset = groups

    def clean_caller(self):
        return lookups.resolve_caller(self.cleaned_data["caller"])

    def clean_affected_ci(self):
        return lookups.resolve_ci(self.user, self.cleaned_data["affected_ci"])


def with_suggestions(field, url_name: str, list_id: str) -> None:
    """A text input that asks the server for suggestions as the user types (into a datalist)."""
    field.widget.attrs.update(
        {
            "list": list_id,
            "autocomplete": "off",
            "hx-get": reverse_lazy(url_name),
            "hx-trigger": "input changed delay:250ms",
            "hx-target": f"#{list_id}",
            "hx-sync": "this:replace",
        }
    )


#: The most minutes one note may record (a week); the operation checks it too.
MAX_MINUTES = 10_080


class CommentForm(forms.Form):
    """A work note or a reply. Every error is a sentence the page shows as it is."""

    body = forms.CharField(
        label=_("Note or reply"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Write a note first."),
            "max_length": _(
                "The note is %(show_value)d characters long; the limit is %(limit_value)d. "
                "Shorten it, or attach the text as a file."
            ),
        },
    )
    visibility = forms.ChoiceField(
        label=_("Visibility"),
        choices=[("internal", _("Work note (internal)")), ("public", _("Reply to the caller"))],
        error_messages={
            "required": _("Choose a work note or a reply to the caller."),
            "invalid_choice": _("Choose a work note or a reply to the caller."),
        },
    )
    time_spent = forms.IntegerField(
        label=_("Minutes spent"),
        min_value=0,
        max_value=MAX_MINUTES,
        initial=0,
        required=False,
        error_messages={
            "invalid": _("Minutes spent must be a whole number."),
            "min_value": _("Minutes spent cannot be negative."),
            "max_value": _("Minutes spent can be at most %(limit_value)s (a week) for one note."),
        },
    )


class HandoverForm(forms.Form):
    to_group = forms.ModelChoiceField(
        label=_("To group"),
        queryset=None,
        error_messages={
            "required": _("Choose the group to hand the incident over to."),
            "invalid_choice": _("That group cannot receive handovers: choose another one."),
        },
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        error_messages={
            "required": _("Say why the other group should take the incident."),
            "max_length": _("Keep the reason under %(limit_value)d characters."),
        },
    )
    note = forms.CharField(
        label=_("What was already tried"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_group"].queryset = groups


class ResolveForm(forms.Form):
    resolution_code = forms.ChoiceField(
        label=_("Resolution code"),
        choices=ResolutionCode.choices,
        error_messages={"required": _("Choose how the incident was resolved.")},
    )
    resolution_notes = forms.CharField(
        label=_("Resolution notes"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Write what was done to resolve it: the caller reads it."),
            "max_length": _("Keep the resolution notes under %(limit_value)d characters."),
        },
    )


class HoldForm(forms.Form):
    hold_reason = forms.ChoiceField(
        label=_("Hold reason"),
        choices=HoldReason.choices,
        error_messages={"required": _("Choose what the incident is waiting for.")},
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is rejected"),
        max_length=200,
        error_messages={
            "required": _("Say why you reject the handover: the sending group is told."),
            "max_length": _("Keep the reason under %(limit_value)d characters."),
        },
    )
