"""The fulfilment tables (one module per subject, re-exported here)."""

from steward.fulfilment.models.catalog import CatalogCategory, CatalogItem, orderable_filter
from steward.fulfilment.models.recurring import RecurringRequest, RecurringRun
from steward.fulfilment.models.requests import (
    Request,
    RequestAttachment,
    RequestComment,
    RequestedItem,
    requester_scope,
)
from steward.fulfilment.models.tasks import FulfilmentTask

__all__ = [
    "CatalogCategory",
    "CatalogItem",
    "FulfilmentTask",
    "RecurringRequest",
    "RecurringRun",
    "Request",
    "RequestAttachment",
    "RequestComment",
    "RequestedItem",
    "orderable_filter",
    "requester_scope",
]
