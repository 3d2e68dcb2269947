"""The portal's forms: few fields, plain words. The operations check everything again; these
give the person the first answer beside the field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from steward.incidents.choices import Level

#: How the problem affects the person's work, as the urgency the incident records.
URGENCY_CHOICES = [
    (Level.HIGH, _("I cannot work")),
    (Level.MEDIUM, _("I can work, but slower")),
    (Level.LOW, _("It is a nuisance")),
]


class ReportForm(forms.Form):
    title = forms.CharField(
        label=_("What goes wrong?"),
        max_length=200,
        help_text=_("One line, e.g. “The printer on floor 3 prints blank pages”."),
        error_messages={"required": _("Say in one line what goes wrong.")},
    )
    description = forms.CharField(
        label=_("Tell us more"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you did, what you saw, since when. Error messages help."),
    )
    service = forms.ModelChoiceField(
        label=_("Which service is it about?"),
        required=False,
        queryset=None,
        empty_label=_("I am not sure"),
    )
    urgency = forms.TypedChoiceField(
        label=_("How does it affect your work?"),
        coerce=int,
        choices=URGENCY_CHOICES,
        initial=Level.MEDIUM,
    )
    file = forms.FileField(
        label=_("Attach a file (optional)"),
        required=False,
        help_text=_("A screenshot or a document: images, PDF, text and Office files."),
    )

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        for name in ("title", "description"):
            self.fields[name].widget.attrs["autocomplete"] = "off"


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write your reply first.")},
    )


class AttachForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        error_messages={"required": _("Choose a file to attach.")},
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you no longer need it?"),
        max_length=500,
        error_messages={"required": _("Say why you cancel it.")},
    )


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when you reject: the requester reads it."),
    )
