"""Forms of the incident page beyond the quick actions: editing the record, assigning within the
owning group, watchers, the parent link and cancelling. Every error is a sentence the page
shows as it is."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from steward.incidents import lookups
from steward.incidents.choices import Level
from steward.incidents.forms import with_suggestions
from steward.incidents.models import Incident, IncidentCategory

#: The fields a person edits on the page (operations.change_incident takes them).
EDITED = ("title", "description", "impact", "urgency", "category", "subcategory", "service")


class IncidentEditForm(forms.Form):
    """The incident's own fields. Each field keeps the value it was read with in a hidden
    ``initial-…`` input, so only what the person changed is saved (``changed_data``) and a
    colleague's change to another field is never written back."""

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={
            "required": _("Give the incident a title."),
            "max_length": _("Keep the title under %(limit_value)d characters."),
        },
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "max_length": _(
                "The description is %(show_value)d characters long; the limit is %(limit_value)d."
            )
        },
    )
    impact = forms.TypedChoiceField(label=_("Impact"), coerce=int, choices=Level.choices)
    urgency = forms.TypedChoiceField(label=_("Urgency"), coerce=int, choices=Level.choices)
    category = forms.ModelChoiceField(
        label=_("Category"), required=False, queryset=None, empty_label=_("None")
    )
    subcategory = forms.ModelChoiceField(
        label=_("Subcategory"), required=False, queryset=None, empty_label=_("None")
    )
    service = forms.ModelChoiceField(
        label=_("Affected service"), required=False, queryset=None, empty_label=_("Not sure")
    )
    affected_ci = forms.CharField(
        label=_("Affected configuration item"),
        required=False,
        max_length=240,
        help_text=_("Type to search; empty for none"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    seen = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        categories = IncidentCategory.objects.filter(is_active=True).select_related("parent")
        self.fields["category"].queryset = categories.filter(parent=None).order_by("name")
        self.fields["subcategory"].queryset = categories.exclude(parent=None).order_by(
            "parent__name", "name"
        )
        self.fields["service"].queryset = services
        with_suggestions(self.fields["affected_ci"], "incidents:suggest_cis", "ci-options")
        for name in (*EDITED, "affected_ci"):
            self.fields[name].show_hidden_initial = True

    def clean_affected_ci(self):
        return lookups.resolve_ci(self.user, self.cleaned_data["affected_ci"])

    def changes(self) -> dict:
        """The fields the person changed, as operations.change_incident takes them."""
        return {name: self.cleaned_data[name] for name in self.changed_data if name in FIELDS}

    @staticmethod
    def values_of(incident: Incident) -> dict:
        """The form's values for ``incident`` as it is now."""
        ci = incident.affected_ci
        return {
            "title": incident.title,
            "description": incident.description,
            "impact": incident.impact,
            "urgency": incident.urgency,
            "category": incident.category_id,
            "subcategory": incident.subcategory_id,
            "service": incident.service_id,
            "affected_ci": lookups.ci_label(ci) if ci is not None else "",
            "version": incident.version,
        }


FIELDS = (*EDITED, "affected_ci")


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Assignee"),
        required=False,
        queryset=None,
        empty_label=_("Nobody (unassigned)"),
        error_messages={
            "invalid_choice": _(
                "Only members of the owning group can be assigned: hand the incident over to "
                "give it to someone else."
            )
        },
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = members


class WatcherForm(forms.Form):
    user = forms.CharField(
        label=_("Add a watcher"),
        max_length=150,
        help_text=_("Username; type to search"),
        error_messages={"required": _("Type the username of the person to add.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        with_suggestions(self.fields["user"], "incidents:suggest_callers", "watcher-options")

    def clean_user(self):
        return lookups.resolve_caller(self.cleaned_data["user"])


class ParentForm(forms.Form):
    parent = forms.CharField(
        label=_("Parent incident"),
        max_length=16,
        help_text=_("Its number, e.g. INC0000042"),
        error_messages={"required": _("Type the number of the parent incident.")},
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it cancelled?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The caller and the watchers are told."),
        error_messages={
            "required": _("Say why the incident is cancelled: the caller is told."),
            "max_length": _("Keep the reason under %(limit_value)d characters."),
        },
    )
