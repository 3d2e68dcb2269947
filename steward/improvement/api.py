"""The improvement API (filled in by the improvement practice)."""

from ninja import Router

router = Router(tags=["improvement"])
