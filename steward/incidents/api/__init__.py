"""Incidents API: incidents, their lifecycle, comments, timeline, watchers, handovers,
attachments, major incidents, saved views and the admin-managed lists. One router; each module
adds its endpoints to it when imported, in this order, which is the order of the OpenAPI
document."""

# isort: off
from steward.incidents.api.common import router
from steward.incidents.api import records  # noqa: F401 - imported for their endpoints
from steward.incidents.api import handovers  # noqa: F401
from steward.incidents.api import attachments  # noqa: F401
from steward.incidents.api import major  # noqa: F401
from steward.incidents.api import saved_views  # noqa: F401
from steward.incidents.api import reference_data  # noqa: F401
from steward.incidents.api import canned_replies  # noqa: F401

# isort: on

__all__ = ["router"]
