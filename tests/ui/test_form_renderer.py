"""Widgets rendered in Python give exactly what Django's widget templates give."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from steward.core.form_renderer import StewardFormRenderer

NASTY = '"><script>alert(1)</script>&amp;'


class Everything(forms.Form):
    text = forms.CharField(required=True, help_text="help", max_length=20)
    email = forms.EmailField(required=False)
    number = forms.IntegerField(min_value=1)
    password = forms.CharField(widget=forms.PasswordInput(render_value=True))
    search = forms.CharField(widget=forms.TextInput(attrs={"type": "search", "autofocus": True}))
    hidden = forms.CharField(widget=forms.HiddenInput)
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    flag = forms.BooleanField(required=False)
    off = forms.CharField(widget=forms.TextInput(attrs={"disabled": False, "data-x": NASTY}))
    body = forms.CharField(widget=forms.Textarea)
    empty_body = forms.CharField(widget=forms.Textarea, required=False)
    status = forms.ChoiceField(choices=[("", "Any"), ("open", "Open"), ("x<y", NASTY)])
    grouped = forms.ChoiceField(
        choices=[("", "—"), ("Group <1>", [("a", "A"), ("b", "B")]), ("c", "C")]
    )
    many = forms.MultipleChoiceField(choices=[("1", "one"), ("2", "two"), ("3", "three")])
    radio = forms.ChoiceField(widget=forms.RadioSelect, choices=[("a", "A")])


@pytest.mark.parametrize(
    "data",
    [
        {},
        {
            "text": NASTY,
            "email": "a@b.c",
            "number": "0",
            "password": NASTY,
            "search": "x",
            "hidden": NASTY,
            "date": "2026-01-02",
            "flag": "on",
            "off": "v",
            "body": f"line\n{NASTY}",
            "status": "x<y",
            "grouped": "b",
            "many": ["1", "3"],
            "radio": "a",
        },
    ],
)
@pytest.mark.parametrize("name", list(Everything.base_fields))
def test_each_widget_renders_as_djangos_templates(data, name):
    ours = Everything(data or None, renderer=StewardFormRenderer())[name]
    djangos = Everything(data or None, renderer=DjangoTemplates())[name]
    assert str(ours) == str(djangos)
    assert ours.as_widget() == djangos.as_widget()


def test_values_and_labels_stay_text():
    html = str(Everything({"text": NASTY}, renderer=StewardFormRenderer())["text"])
    assert "<script>" not in html
    assert 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;amp;"' in html
    select = str(Everything(renderer=StewardFormRenderer())["status"])
    assert '<option value="x&lt;y">&quot;&gt;&lt;script&gt;' in select
