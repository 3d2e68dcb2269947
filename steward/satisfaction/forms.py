"""The satisfaction pages' forms: the answer (the one question), the results' period, and
closing a follow-up."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from steward.core.period_form import PeriodForm
from steward.satisfaction.choices import COMMENT_MAX, SCORES
from steward.satisfaction.results import BY, BY_LABELS


class AnswerForm(forms.Form):
    score = forms.TypedChoiceField(
        label=gettext_lazy("How satisfied are you?"),
        choices=[(str(n), label) for n, label in SCORES],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose how satisfied you are, from 1 to 5.")},
    )
    comment = forms.CharField(
        label=gettext_lazy("Anything you want to tell us? (optional)"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ResultsForm(PeriodForm):
    by = forms.ChoiceField(
        label=gettext_lazy("Figures per"),
        required=False,
        choices=[(key, BY_LABELS[key]) for key in BY],
    )


class CloseFollowUpForm(forms.Form):
    notes = forms.CharField(
        label=gettext_lazy("What was done"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Who you talked to, what you agreed, what changes."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
