"""The fulfilment API (mounted at /api/v1 in steward/api.py): the catalog, orders, requested
items, tasks and recurring requests. One module per subject, all on one router."""

from steward.fulfilment.api import catalog, recurring, requests, tasks  # noqa: F401 (routes)
from steward.fulfilment.api.common import router

__all__ = ["router"]
