"""The HTTP API: one NinjaAPI under /api/v1 that mounts each practice's router."""

from __future__ import annotations

from ninja import NinjaAPI

from steward.approvals.api import router as approvals_router
from steward.changes.api import router as changes_router
from steward.core.api_input import JsonParser
from steward.core.api_support import error_response, install_error_handlers, mark_null_inputs
from steward.core.practices import api_gate
from steward.fulfilment.api import router as fulfilment_router
from steward.improvement.api import router as improvement_router
from steward.incidents.api import router as incidents_router
from steward.knowledge.api import router as knowledge_router
from steward.mailbox.api import router as mailbox_router
from steward.notifications.api import router as notifications_router
from steward.notifications.api_mail_templates import router as mail_templates_router
from steward.notifications.api_webhooks import router as webhooks_router
from steward.ownership.api import router as ownership_router
from steward.ownership.practice_api import router as practices_router
from steward.people.api import router as people_router
from steward.people.auth import AUTH
from steward.problems.api import router as problems_router
from steward.reporting.api import dashboards_router
from steward.reporting.api import router as reporting_router
from steward.reviews.api import router as reviews_router
from steward.satisfaction.api import router as satisfaction_router
from steward.services.api import cmdb_router
from steward.services.api import router as services_router
from steward.slm.api import calendars_router, ola_router, sla_reports_router, sla_router


class StewardAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        """``<module>_<function>`` as ninja does, except that the modules of an ``api`` package
        (``incidents/api/handovers.py``) answer for the package, so splitting a module never
        renames an operation that clients generated from the document rely on."""
        module = operation.view_func.__module__.split(".")
        if len(module) > 2 and module[-2] == "api":
            module = module[:-1]
        return "_".join([*module, operation.view_func.__name__])

    def validation_error_from_error_contexts(self, error_contexts):
        """As ninja's, which drops each error's input: keep whether it was null, so the answer
        can say "cannot be null" instead of "Input should be a valid string"."""
        return mark_null_inputs(
            super().validation_error_from_error_contexts(error_contexts), error_contexts
        )


api = StewardAPI(
    title="Steward API",
    version="1",
    description=(
        "Steward's HTTP API. Authenticate with a browser session (writes need the CSRF token) "
        "or a personal API token: `Authorization: Bearer <token>`. Bodies are JSON, sent as "
        "`Content-Type: application/json`. Every error, whatever its status, has the shape "
        '`{"error": {"code", "message", "fields": {field: [problems]}}}`; answers are never '
        "cached (`Cache-Control: no-store`)."
    ),
    auth=AUTH,
    parser=JsonParser(),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)
# A practice that is switched off answers 404 "practice_off" on all its operations.
api.add_decorator(api_gate, mode="view")
api.add_router("", people_router)
api.add_router("/services", services_router)
api.add_router("", cmdb_router)
api.add_router("/notifications", notifications_router)
api.add_router("", webhooks_router)
api.add_router("", mail_templates_router)
api.add_router("/calendars", calendars_router)
api.add_router("/sla-definitions", sla_router)
api.add_router("/sla-reports", sla_reports_router)
api.add_router("/olas", ola_router)
api.add_router("", ownership_router)
api.add_router("/practices", practices_router)
api.add_router("", incidents_router)
api.add_router("", problems_router)
api.add_router("", changes_router)
api.add_router("", knowledge_router)
api.add_router("", approvals_router)
api.add_router("", fulfilment_router)
api.add_router("", satisfaction_router)
api.add_router("", mailbox_router)
api.add_router("/kpis", reporting_router)
api.add_router("/dashboards", dashboards_router)
api.add_router("/service-reviews", reviews_router)
api.add_router("/improvements", improvement_router)


def api_not_found(request, rest: str):
    return error_response(404, f"No API endpoint at /api/v1/{rest}.")
