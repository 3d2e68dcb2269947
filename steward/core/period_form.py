"""The period of a results page (knowledge measures, satisfaction): from, until (included),
at most two years, the end not before the start — refused at the end field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

#: the longest period a page reads (two years and a day for a leap year)
MAX_DAYS = 731


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=gettext_lazy("Until (included)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The period ends before it starts."))
            elif (end - start).days >= MAX_DAYS:
                self.add_error("end", _("Choose at most two years."))
        return data
