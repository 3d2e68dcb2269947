"""The fulfilment API (mounted at /api/v1 in steward/api.py)."""

from ninja import Router

router = Router(tags=["fulfilment"])
