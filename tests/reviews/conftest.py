"""The hand-built month of the KPI tests (March 2026, UTC: ``tests/reporting/conftest.py``),
reviewed: Online Banking (A, B, E raised; A, B, D resolved; no major incident) and Treasury
(C, a major incident raised Wed 03-04 09:00 and resolved 15:00; G cancelled)."""

from __future__ import annotations

import pytest

from tests.incidents.conftest import desk  # noqa: F401  (a fixture)
from tests.reporting.conftest import month  # noqa: F401  (a fixture)

MARCH = "2026-03"


@pytest.fixture
def services(month):  # noqa: F811
    return {
        "banking": month["services"]["retail_live"],
        "treasury": month["services"]["corporate_live"],
    }


def api_path(service, month_text=MARCH, pdf=False) -> str:
    pk = getattr(service, "pk", service)
    return f"/api/v1/service-reviews/{pk}/{month_text}{'.pdf' if pdf else ''}"


def page_path(service, month_text=MARCH, what="") -> str:
    return f"/service-reviews/{service.pk}/{month_text}/{what + '/' if what else ''}"
