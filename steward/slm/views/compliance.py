"""The SLA compliance report (chart, table and CSV)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from steward.slm.charts import percent_bars
from steward.slm.reports import GROUPINGS, as_csv, compliance
from steward.slm.views.common import require_it, tabs

PERIODS = {"30": 30, "90": 90, "365": 365}
TARGET_PERCENT = 95


@login_required
@require_GET
def compliance_report(request):
    require_it(request)
    group_by = request.GET.get("group_by", "service")
    group_by = group_by if group_by in GROUPINGS else "service"
    period = request.GET.get("days", "90")
    period = period if period in PERIODS else "90"
    since = timezone.now() - dt.timedelta(days=PERIODS[period])
    rows = compliance(group_by, since=since)
    if request.GET.get("format") == "csv":
        response = HttpResponse(as_csv(rows, group_by), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="sla-compliance-{group_by}.csv"'
        return response
    return render(
        request,
        "slm/compliance.html",
        {
            "rows": rows,
            "group_by": group_by,
            "groupings": GROUPINGS,
            "days": period,
            "periods": PERIODS,
            "chart": percent_bars(rows, target=TARGET_PERCENT),
            "target": TARGET_PERCENT,
            "tabs": tabs("slm:compliance"),
        },
    )
