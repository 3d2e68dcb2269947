"""Changes API: change requests (create, list, read, change with a version, lifecycle), the
calendar, risk answers, approvals, conflicts and their override, the review and the incidents
caused, and the admin data (templates, maintenance windows, blackouts, risk questions;
change boards, the authority table, risk rules and the settings). IT
staff only: to anyone else every address answers 404, as for something that does not exist.
One router; each module adds its endpoints to it when imported, in this order, which is the
order of the OpenAPI document (``/changes/calendar`` before ``/changes/{number}``)."""

# isort: off
from steward.changes.api.common import router
from steward.changes.api import records  # noqa: F401 - imported for their endpoints
from steward.changes.api import authorization  # noqa: F401
from steward.changes.api import review  # noqa: F401
from steward.changes.api import admin_data  # noqa: F401
from steward.changes.api import admin_boards  # noqa: F401

# isort: on

__all__ = ["router"]
