"""The mailbox form of the administration pages (the API's fields, as a page)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from steward.mailbox.choices import MailAuthKind, MailNewSenders, MailSecurity
from steward.people.models import Organization, SupportGroup
from steward.services.models import Service


class MailboxForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    seen = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.SlugField(
        label=_("Name"), max_length=60, help_text=_("Used by manage.py ingest_mail --mailbox")
    )
    address = forms.EmailField(label=_("Address"), help_text=_("People write here; replies too"))
    imap_host = forms.CharField(
        label=_("IMAP server"),
        required=False,
        max_length=255,
        help_text=_("Empty when the mail server pipes messages in (ingest_mail)"),
    )
    imap_port = forms.IntegerField(label=_("Port"), required=False, min_value=1, max_value=65535)
    security = forms.ChoiceField(
        label=_("Security"), choices=MailSecurity.choices, initial=MailSecurity.SSL
    )
    username = forms.CharField(label=_("User name"), required=False, max_length=255)
    auth = forms.ChoiceField(label=_("Sign-in"), choices=MailAuthKind.choices)
    secret = forms.CharField(
        label=_("Password or token"),
        required=False,
        max_length=4000,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to keep the stored one"),
    )
    folder = forms.CharField(label=_("Folder"), max_length=255, initial="INBOX")
    default_service = forms.ModelChoiceField(
        label=_("Service of new tickets"), required=False, queryset=Service.objects.none()
    )
    default_group = forms.ModelChoiceField(
        label=_("Group of new tickets"), required=False, queryset=SupportGroup.objects.none()
    )
    new_senders = forms.ChoiceField(
        label=_("Mail from unknown senders"),
        choices=MailNewSenders.choices,
        initial=MailNewSenders.REJECT,
    )
    new_sender_organization = forms.ModelChoiceField(
        label=_("Organization of new requesters"),
        required=False,
        queryset=Organization.objects.none(),
    )
    poll_seconds = forms.IntegerField(
        label=_("Check every (seconds)"), min_value=10, max_value=86_400, initial=60
    )
    auto_replies_per_hour = forms.IntegerField(
        label=_("Automatic replies per sender per hour"), min_value=0, max_value=100, initial=3
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["default_service"].queryset = Service.objects.for_user(user, "view")
        self.fields["default_group"].queryset = SupportGroup.objects.for_user(user, "view")
        self.fields["new_sender_organization"].queryset = Organization.objects.for_user(
            user, "view"
        )

    def values(self) -> dict:
        values = {k: v for k, v in self.cleaned_data.items() if k not in ("version", "seen")}
        if not values.get("secret"):
            values.pop("secret", None)  # empty: keep the stored one
        return values


class DiscardForm(forms.Form):
    reason = forms.CharField(label=_("Why"), required=False, max_length=255)
