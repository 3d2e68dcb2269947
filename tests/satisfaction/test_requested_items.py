"""Surveys for requested items: a fulfilled item gets one, for the person it was requested
for, cut by the fulfilling group; the same once-per-ticket and rate-limit rules."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from steward.core.operations import set_practice_enabled
from steward.fulfilment import operations as fulfilment_ops
from steward.satisfaction import operations as ops
from steward.satisfaction.models import Survey
from tests.fulfilment.conftest import fx  # noqa: F401  (the fulfilment tests' catalog)

pytestmark = pytest.mark.django_db

SOON = dt.timedelta(seconds=1)


def _fulfilled_mouse(fx, who="requester"):  # noqa: F811
    item = fulfilment_ops.order(fx["people"][who], items=[{"catalog_item": fx["mouse"]}])
    item = item.items.get()
    for task in item.tasks.all():
        fulfilment_ops.close_task(fx["people"]["desk"], task, outcome="complete", notes="Done")
    item.refresh_from_db()
    assert item.status == "fulfilled"
    return item


def test_a_fulfilled_item_gets_a_survey(fx):  # noqa: F811
    item = _fulfilled_mouse(fx)
    assert ops.offer_surveys(timezone.now() + SOON) == 1
    survey = Survey.objects.get()
    assert survey.record_type == "fulfilment.requesteditem" and survey.record_id == item.pk
    assert survey.record_label == f"{item.number} Mouse"
    assert survey.respondent == fx["people"]["requester"]
    assert survey.group == fx["desk"] and survey.service == fx["services"]["retail_live"]
    assert ops.offer_surveys(timezone.now() + SOON) == 0


def test_an_item_still_in_progress_gets_none(fx):  # noqa: F811
    fulfilment_ops.order(fx["people"]["requester"], items=[{"catalog_item": fx["mouse"]}])
    assert ops.offer_surveys(timezone.now() + SOON) == 0


def test_the_rate_limit_counts_incidents_and_requests_together(fx):  # noqa: F811
    _fulfilled_mouse(fx)
    _fulfilled_mouse(fx)
    assert ops.offer_surveys(timezone.now() + SOON) == 1


def test_no_request_surveys_while_the_requests_practice_is_off(fx):  # noqa: F811
    _fulfilled_mouse(fx)
    for key in ("portal", "fulfilment"):
        from steward.core.practices import dependents

        for practice in dependents(key):
            set_practice_enabled(fx["people"]["admin"], practice.key, False)
        set_practice_enabled(fx["people"]["admin"], key, False)
    assert ops.offer_surveys(timezone.now() + SOON) == 0
