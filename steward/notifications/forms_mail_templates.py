"""The mail template form of the administration pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class MailTemplateForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    seen = forms.IntegerField(widget=forms.HiddenInput, required=False)
    subject = forms.CharField(
        label=_("Subject"),
        max_length=255,
        help_text=_(
            "One line. Steward puts the ticket's number in brackets, e.g. [INC0001234], "
            "so that replies find the ticket."
        ),
    )
    body = forms.CharField(
        label=_("Message"),
        max_length=20_000,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "true"}),
        help_text=_("Plain text; the HTML part says the same words. Use the placeholders listed."),
    )
