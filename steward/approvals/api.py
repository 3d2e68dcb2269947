"""The approvals API (mounted at /api/v1 in steward/api.py)."""

from ninja import Router

router = Router(tags=["approvals"])
