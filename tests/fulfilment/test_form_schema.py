"""Form validation from the schema: each field type and visible-if, on the server (the API and
the portal's form both end in ``form_schema.validate_answers``)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from steward.core.errors import ValidationError
from steward.fulfilment import form_schema, forms_runtime
from steward.fulfilment import operations as ops
from steward.fulfilment.models import RequestAttachment
from steward.services import operations as service_ops

ALL_TYPES = [
    {"name": "title", "label": "Title", "type": "text", "required": True, "max_length": 10},
    {"name": "story", "label": "Story", "type": "textarea"},
    {"name": "count", "label": "Count", "type": "number", "min": 1, "max": 5},
    {"name": "when", "label": "When", "type": "date"},
    {
        "name": "size",
        "label": "Size",
        "type": "choice",
        "choices": [{"value": "s", "label": "Small"}, {"value": "l", "label": "Large"}],
    },
    {
        "name": "extras",
        "label": "Extras",
        "type": "multichoice",
        "choices": [{"value": "bag", "label": "Bag"}, {"value": "dock", "label": "Dock"}],
    },
    {"name": "buddy", "label": "Buddy", "type": "user"},
    {"name": "device", "label": "Device", "type": "ci"},
    {"name": "scan", "label": "Scan", "type": "attachment"},
    {"name": "agree", "label": "Agree", "type": "checkbox", "required": True},
    {
        "name": "why_large",
        "label": "Why large",
        "type": "text",
        "required": True,
        "visible_if": {"field": "size", "equals": "l"},
    },
    {
        "name": "dock_model",
        "label": "Dock model",
        "type": "text",
        "required": True,
        "visible_if": {"field": "extras", "in": ["dock"]},
    },
    {
        "name": "dock_colour",
        "label": "Dock colour",
        "type": "text",
        "visible_if": {"field": "dock_model", "equals": "x1"},
    },
]

VALID = {"title": "Hi", "agree": True}


def check(answers, lookups=None):
    return form_schema.validate_answers(ALL_TYPES, answers, lookups)


def problems(answers, lookups=None) -> dict:
    with pytest.raises(ValidationError) as refused:
        check(answers, lookups)
    return refused.value.fields


@pytest.mark.parametrize(
    ("name", "good", "stored", "bad"),
    [
        ("title", " Hello ", "Hello", "x" * 11),
        ("title", "Hello", "Hello", "two\nlines"),
        ("story", "a\nb", "a\nb", 5),
        ("count", 3, 3, 6),
        ("count", 2.5, 2.5, "three"),
        ("count", "4", 4, True),
        ("when", "2026-12-24", "2026-12-24", "24/12/2026"),
        ("size", "s", "s", "m"),
        ("extras", "bag", ["bag"], ["bag", "phone"]),
        ("buddy", 5, 5, "five"),
        ("device", 7, 7, -1),
        ("scan", 9, 9, 0),
        ("agree", True, True, "yes"),
    ],
)
def test_each_type_cleans_and_refuses(name, good, stored, bad):
    cleaned = check({**VALID, name: good})
    assert cleaned[name] == stored
    fields = problems({**VALID, name: bad})
    assert list(fields) == [f"answers.{name}"]


def test_required_text_and_required_checkbox():
    fields = problems({})
    assert fields["answers.title"] == ["this question must be answered"]
    assert fields["answers.agree"] == ["this box must be ticked"]
    assert set(fields) == {"answers.title", "answers.agree"}


def test_unknown_question_is_refused():
    assert problems({**VALID, "colour": "red"}) == {
        "answers.colour": ["this form asks no such question"]
    }


def test_visible_if_equals_requires_only_when_shown():
    # hidden: not required, and an answer given anyway is dropped
    assert "why_large" not in check({**VALID, "size": "s", "why_large": "ignored"})
    assert problems({**VALID, "size": "l"}) == {
        "answers.why_large": ["this question must be answered"]
    }
    assert check({**VALID, "size": "l", "why_large": "Tall"})["why_large"] == "Tall"


def test_visible_if_in_and_chained_hiding():
    assert "dock_model" not in check({**VALID, "extras": ["bag"], "dock_model": "x1"})
    assert "answers.dock_model" in problems({**VALID, "extras": ["dock"]})
    shown = check({**VALID, "extras": ["dock"], "dock_model": "x1", "dock_colour": "red"})
    assert shown["dock_colour"] == "red"
    # dock_colour depends on dock_model, which is hidden: dropped too
    hidden = check({**VALID, "extras": ["bag"], "dock_model": "x1", "dock_colour": "red"})
    assert "dock_colour" not in hidden


def test_lookups_refuse_rows_the_person_may_not_name():
    class No(form_schema.Lookups):
        def user_ok(self, _):
            return False

        def ci_ok(self, _):
            return False

        def attachment_ok(self, _):
            return False

    fields = problems({**VALID, "buddy": 1, "device": 2, "scan": 3}, No())
    assert set(fields) == {"answers.buddy", "answers.device", "answers.scan"}


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ([{"name": "Bad Name", "label": "x", "type": "text"}], "form[0].name"),
        ([{"name": "a", "label": "", "type": "text"}], "form[0].label"),
        ([{"name": "a", "label": "A", "type": "colour"}], "form[0].type"),
        ([{"name": "a", "label": "A", "type": "choice"}], "form[0]"),
        (
            [
                {"name": "a", "label": "A", "type": "text"},
                {"name": "a", "label": "B", "type": "text"},
            ],
            "form[1].name",
        ),
        (
            [
                {
                    "name": "a",
                    "label": "A",
                    "type": "text",
                    "visible_if": {"field": "b", "equals": 1},
                }
            ],
            "form[0].visible_if.field",
        ),
        (
            [
                {
                    "name": "a",
                    "label": "A",
                    "type": "choice",
                    "choices": [{"value": "x", "label": "X"}],
                },
                {
                    "name": "b",
                    "label": "B",
                    "type": "text",
                    "visible_if": {"field": "a", "equals": "y"},
                },
            ],
            "form[1].visible_if",
        ),
        ([{"name": "a", "label": "A", "type": "text", "extra": 1}], "form[0].extra"),
        ("not a list", "form"),
    ],
)
def test_form_definitions_are_checked(form, field):
    with pytest.raises(ValidationError) as refused:
        form_schema.parse_form(form)
    assert field in refused.value.fields


# --- the portal's form (forms_runtime.form_for) ---------------------------------------------------


@pytest.fixture
def typed_item(fx):
    p = fx["people"]
    ci_class = service_ops.create_ci_class(None, name="Laptop")
    ci = service_ops.create_ci(None, name="LAP-001", ci_class=ci_class)
    service_ops.link_service_ci(None, service=fx["services"]["retail_live"], ci=ci)
    item = ops.create_catalog_item(
        p["admin"],
        name="Everything",
        service=fx["services"]["retail_live"],
        category=fx["category"],
        fulfilment_group=fx["desk"],
        form=ALL_TYPES,
    )
    return item, ci


@pytest.mark.django_db
def test_form_for_orders_every_type(fx, typed_item):
    item, ci = typed_item
    requester, neighbour = fx["people"]["requester"], fx["people"]["neighbour"]
    form = forms_runtime.form_for(
        item,
        requester,
        data={
            "title": "New one",
            "count": "2",
            "when": "2026-12-24",
            "size": "l",
            "why_large": "Tall",
            "extras": ["dock"],
            "dock_model": "x1",
            "buddy": str(neighbour.pk),
            "device": str(ci.pk),
            "agree": "on",
        },
        files={"scan": SimpleUploadedFile("scan.txt", b"hello", content_type="text/plain")},
    )
    assert form.is_valid(), form.errors
    request = ops.order(requester, items=[form.order_item()])
    ordered = request.items.get()
    assert ordered.answers["count"] == 2 and ordered.answers["buddy"] == neighbour.pk
    assert ordered.answers["device"] == ci.pk and ordered.answers["extras"] == ["dock"]
    attachment = RequestAttachment.objects.get(pk=ordered.answers["scan"])
    assert attachment.item == ordered and attachment.name == "scan.txt"
    # the condition travels to the browser as data, for visible_if.js
    html = str(forms_runtime.form_for(item, requester)["why_large"])
    assert "data-visible-if" in html and "&quot;equals&quot;: &quot;l&quot;" in html


@pytest.mark.django_db
def test_form_for_shows_each_problem_beside_its_question(fx, typed_item):
    item, _ = typed_item
    outsider = fx["people"]["outsider"]
    form = forms_runtime.form_for(
        item,
        fx["people"]["requester"],
        data={"count": "9", "size": "l", "buddy": str(outsider.pk)},
    )
    assert not form.is_valid()
    assert set(form.errors) >= {"title", "count", "agree", "why_large", "buddy"}
    # a hidden question's missing answer is no error
    assert "dock_model" not in form.errors
