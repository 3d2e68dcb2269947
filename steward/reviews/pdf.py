"""The service review as a PDF (WeasyPrint), with the same SVG charts as the page."""

from __future__ import annotations

from pathlib import Path

from django.http import HttpResponse
from django.template.loader import render_to_string

STYLESHEET = Path(__file__).with_name("pdf.css")


def render(review: dict, charts: dict) -> bytes:
    """The PDF of a review, in the active language."""
    from weasyprint import CSS, HTML  # imported when a PDF is asked for: it loads slowly

    html = render_to_string("reviews/pdf.html", {"report": review, "charts": charts})
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))])


def filename(review: dict) -> str:
    safe = "".join(c if c.isalnum() else "-" for c in review["service"]["name"]).strip("-")
    return f"service-review-{safe.lower() or review['service']['id']}-{review['month']}.pdf"


def response(service, first, record) -> HttpResponse:
    """The PDF of a review as a download (the page and the API both answer with it)."""
    from steward.reviews import report

    built = report.build(service, first, record)
    answer = HttpResponse(render(built, report.chart_data(built)), content_type="application/pdf")
    answer["Content-Disposition"] = f'attachment; filename="{filename(built)}"'
    return answer
