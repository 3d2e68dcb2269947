"""Forms of the ownership pages. They parse input only; the operations validate and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from steward.people.choices import IT_ROLES
from steward.people.models import User


def _active_it_people():
    return (
        User.objects.filter(is_active=True, role_rows__role__in=IT_ROLES)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class PeopleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class ProcessForm(forms.Form):
    """A process's owner (administrators only), managers and description."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    owner = PersonChoice(
        queryset=User.objects.none(),
        label=_("Process owner"),
        help_text=_("Accountable for the process as a whole. Only administrators change it."),
    )
    managers = PeopleChoice(
        queryset=User.objects.none(),
        required=False,
        label=_("Process managers"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    description = forms.CharField(
        required=False, max_length=10_000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, can_change_owner: bool, **kwargs):
        super().__init__(*args, **kwargs)
        people = _active_it_people()
        self.fields["owner"].queryset = people
        self.fields["managers"].queryset = people
        if not can_change_owner:
            self.fields["owner"].disabled = True
            self.fields["owner"].required = False


class ActivityForm(forms.Form):
    """A new activity of a process."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(max_length=120, label=_("Activity"))
    order = forms.IntegerField(
        min_value=0,
        max_value=32767,
        initial=0,
        label=_("Order"),
        help_text=_("Activities are listed by this number (the defaults count in tens)."),
    )
