"""The fulfilment demo step: a catalog of 12 items in 4 categories and about 60 orders over
six weeks, replayed through the operations on the simulated clock (approvals decided, a few
rejected, tasks worked, the latest still open), two recurring requests with their next run
ahead. Loading it twice changes nothing."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone

from steward.fulfilment import demo
from steward.fulfilment.choices import ItemStatus
from steward.fulfilment.models import (
    CatalogCategory,
    CatalogItem,
    FulfilmentTask,
    RecurringRequest,
    RecurringRun,
    RequestedItem,
)
from steward.people import demo as people_demo
from steward.services import demo as services_demo

pytestmark = pytest.mark.django_db


def test_demo_has_a_past_and_is_idempotent():
    people_demo.load(io.StringIO())
    services_demo.load(io.StringIO())
    out = io.StringIO()
    demo.load(out)
    assert CatalogCategory.objects.count() == 4
    assert CatalogItem.objects.count() == 12
    items = RequestedItem.objects.all()
    assert 50 <= items.count() <= 80
    statuses = set(items.values_list("status", flat=True))
    assert {ItemStatus.FULFILLED, ItemStatus.REJECTED} <= statuses
    assert statuses & {ItemStatus.AWAITING_APPROVAL, ItemStatus.IN_PROGRESS, ItemStatus.APPROVED}
    # tasks only on approved items, and spread over the past
    assert not FulfilmentTask.objects.filter(item__status=ItemStatus.REJECTED).exists()
    first = items.order_by("created_at").first().created_at
    assert (timezone.now() - first).days >= 30
    fulfilled = items.filter(status=ItemStatus.FULFILLED)
    assert all(i.delivery_seconds is not None for i in fulfilled)
    assert RecurringRequest.objects.count() == 2
    assert RecurringRun.objects.filter(request__isnull=False).count() >= 5
    assert all(r.next_run_at > timezone.now() for r in RecurringRequest.objects.all())
    before = (CatalogItem.objects.count(), RequestedItem.objects.count())
    demo.load(io.StringIO())
    assert (CatalogItem.objects.count(), RequestedItem.objects.count()) == before
