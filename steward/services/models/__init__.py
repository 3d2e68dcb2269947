"""The services app's tables: the portfolio (``portfolio.py``) and the CMDB (``cmdb.py``)."""

from steward.services.models.cmdb import CIClass, CIRelationship, ConfigurationItem, ServiceCI
from steward.services.models.portfolio import (
    OwnershipProposal,
    Service,
    ServiceDependency,
    ServiceSupport,
)

__all__ = [
    "CIClass",
    "CIRelationship",
    "ConfigurationItem",
    "OwnershipProposal",
    "Service",
    "ServiceCI",
    "ServiceDependency",
    "ServiceSupport",
]
