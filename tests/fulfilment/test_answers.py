"""The answers of a requested item in words (``fulfilment.answers.in_words``), as the staff
item page, the portal item page and the approval card show them: labels for choices, names for
people, configuration items and files — each name only for a reader who may know it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from steward.fulfilment import answers
from steward.fulfilment import operations as ops
from steward.services import operations as service_ops
from tests.fulfilment.test_form_schema import typed_item  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def ordered(fx, typed_item):  # noqa: F811 - the fixture imported above
    item, ci = typed_item
    requester, neighbour = fx["people"]["requester"], fx["people"]["neighbour"]
    scan = ops.upload_for_order(
        requester, SimpleUploadedFile("scan.txt", b"hello", content_type="text/plain")
    )
    answers_given = {
        "title": "New one",
        "size": "l",
        "why_large": "Tall",
        "extras": ["bag", "dock"],
        "dock_model": "x1",
        "buddy": neighbour.pk,
        "device": ci.pk,
        "scan": scan.pk,
        "agree": True,
    }
    request = ops.order(requester, items=[{"catalog_item": item, "answers": answers_given}])
    return request.items.get(), ci, scan


def _by_label(rows) -> dict:
    return {r["label"]: (r["text"], r["link"]) for r in rows}


def test_each_answer_reads_in_words_in_the_forms_order(fx, ordered):
    item, ci, scan = ordered
    rows = answers.in_words(item, fx["people"]["requester"], file_url=lambda a: f"/f/{a.pk}")
    shown = _by_label(rows)
    assert shown["Size"] == ("Large", None)
    assert shown["Extras"] == ("Bag, Dock", None)
    assert shown["Buddy"] == (fx["people"]["neighbour"].display_name, None)
    assert shown["Agree"] == ("Yes", None)
    assert shown["Scan"] == ("scan.txt", f"/f/{scan.pk}")  # the requester's own file: a link
    # a requester may not browse the CMDB, but the item's service offered this one: its name
    assert shown["Device"] == (ci.name, None)
    labels = [r["label"] for r in rows]
    assert labels.index("Title") < labels.index("Size") < labels.index("Agree")


def test_names_a_reader_may_not_know_read_as_ids(fx, ordered):
    item = ordered[0]
    other_class = service_ops.create_ci_class(None, name="Server")
    elsewhere = service_ops.create_ci(None, name="SRV-SECRET", ci_class=other_class)
    item.answers = {**item.answers, "device": elsewhere.pk, "dropped": "kept"}  # not saved
    outsider = fx["people"]["outsider"]  # another organisation: may not open the file
    shown = _by_label(answers.in_words(item, outsider, file_url=lambda a: f"/f/{a.pk}"))
    assert shown["Device"] == (f"#{elsewhere.pk}", None)
    assert shown["Scan"] == ("scan.txt", None)  # named for whoever reads the answers, not linked
    # an answer to a question the form no longer asks comes last, under its key
    assert list(shown)[-1] == "dropped" and shown["dropped"] == ("kept", None)
    agent = fx["people"]["agent"]
    assert _by_label(answers.in_words(item, agent))["Device"] == ("SRV-SECRET", None)
