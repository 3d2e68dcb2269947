"""The slm app's API routers, one module per subject: calendars (and business-time arithmetic),
SLA definitions with their compliance report, and the support groups' OLAs. ``steward/api.py``
mounts them."""

from steward.slm.api.calendars import router as calendars_router
from steward.slm.api.olas import router as ola_router
from steward.slm.api.sla import reports_router as sla_reports_router
from steward.slm.api.sla import router as sla_router

__all__ = ["calendars_router", "ola_router", "sla_reports_router", "sla_router"]
