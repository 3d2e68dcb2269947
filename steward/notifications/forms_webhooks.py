"""The webhook form of the administration pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class WebhookForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    seen = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Name"), max_length=120)
    url = forms.CharField(
        label=_("URL"), max_length=2000, help_text=_("Where events are POSTed (https recommended)")
    )
    events = forms.CharField(
        label=_("Events"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_('One per line: "incident.created", "incident.*", or "*" for every event'),
    )
    allow_private_target = forms.BooleanField(
        label=_("Allow a loopback, link-local or private address"), required=False
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def clean_events(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["events"].splitlines() if line.strip()]

    def values(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("version", "seen")}
