"""Forms of the approvals pages. They parse input only: the operations decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from steward.approvals.choices import Decision
from steward.people.admin_forms import UsernameField


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(Decision.APPROVED, _("Approve")), (Decision.REJECTED, _("Reject"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you reject: the requester reads it."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ConfirmForm(forms.Form):
    """The one-click link's confirmation: the decision is in the link; a reason when
    rejecting."""

    comment = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you reject: the requester reads it."),
    )


class DelegationForm(forms.Form):
    delegate = UsernameField(
        label=_("Stand-in"),
        help_text=_("Username or email address of the person who decides while you are away."),
    )
    starts_at = forms.DateTimeField(
        label=_("From"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Empty: now."),
    )
    ends_at = forms.DateTimeField(
        label=_("Until"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=200)
