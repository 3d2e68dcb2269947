"""The problems API (filled in by the problems practice)."""

from ninja import Router

router = Router(tags=["problems"])
