"""``/api/v1/service-reviews``: a service's monthly review as JSON or PDF (IT staff only; anyone
else gets a 404, as for an address that does not exist)."""

from __future__ import annotations

from ninja import Router

from steward.core.api_input import Id
from steward.core.api_support import ERRORS
from steward.reviews import pdf, queries, report
from steward.reviews.schemas import MonthText, ServiceReviewOut

router = Router(tags=["reviews"])


# Declared before the JSON one: "{month}" alone would also match "2026-03.pdf".
@router.get(
    "/{service_id}/{month}.pdf",
    response={200: None, **ERRORS},
    summary="A service's monthly review as a PDF (IT staff)",
    openapi_extra={
        "responses": {
            200: {
                "description": "The review as a PDF",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def get_review_pdf(request, service_id: Id, month: MonthText):
    """The same review as a PDF, with the same charts, in the reader's language."""
    service, first, review = queries.target(request.auth, service_id, month)
    return pdf.response(service, first, review)


@router.get(
    "/{service_id}/{month}",
    response={200: ServiceReviewOut, **ERRORS},
    summary="A service's monthly review (IT staff)",
    by_alias=True,
)
def get_review(request, service_id: Id, month: MonthText):
    """Availability from the major incidents, SLA performance against target, volumes and
    trends, top categories and CIs, handovers, other practices' figures, improvement items."""
    service, first, review = queries.target(request.auth, service_id, month)
    return report.build(service, first, review)
