"""The reviews API (filled in by the reviews practice)."""

from ninja import Router

router = Router(tags=["reviews"])
