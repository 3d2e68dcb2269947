"""Forms of the people pages. They parse input only; operations validate and write."""

from __future__ import annotations

import functools
import zoneinfo

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from steward.core.errors import DomainError
from steward.people.choices import TokenScope


@functools.cache
def time_zone_choices() -> list[tuple[str, str]]:
    zones = sorted(z for z in zoneinfo.available_timezones() if "/" in z or z == "UTC")
    return [(z, z.replace("_", " ")) for z in zones]


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show an operation's error beside the fields it names, the rest above the form."""
    placed = False
    for name, problems in error.fields.items():
        if name in form.fields and not form.fields[name].widget.is_hidden:
            for problem in problems:
                form.add_error(name, problem)
            placed = True
    if not placed:
        form.add_error(None, error.message)


class LoginForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(autocomplete="username", autofocus=True)
        self.fields["password"].widget.attrs.update(autocomplete="current-password")


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email address"), required=False)
    time_zone = forms.ChoiceField(
        label=_("Time zone"), help_text=_("Dates and times are shown in this time zone.")
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices()
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    @property
    def changes(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=80, help_text=_("What the token is for, e.g. “backup script”.")
    )
    scope = forms.ChoiceField(label=_("Scope"), choices=TokenScope.choices, initial=TokenScope.READ)


class TextFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100, widget=forms.SearchInput)

    @property
    def text(self) -> str:
        return self.cleaned_data.get("q", "").strip() if self.is_valid() else ""
