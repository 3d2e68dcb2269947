"""Services API: the portfolio router (mounted at ``/services``) and the CMDB router (mounted at
the root: ``/ci-classes``, ``/cis``, ``/ci-relationships``, ``/service-cis``)."""

from steward.services.api.cmdb import router as cmdb_router
from steward.services.api.portfolio import router

__all__ = ["cmdb_router", "router"]
