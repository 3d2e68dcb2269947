"""The CSV import page of the CMDB (administrators): CIs or relationships, all rows or none,
every bad row listed with its line and column."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from steward.core.errors import DomainError, ValidationError
from steward.services import operations as ops
from steward.services import rules
from steward.services.forms import CsvImportForm
from steward.services.views.cmdb import require_it

#: At most this many row problems are listed after a failed import (the count says how many).
SHOWN_PROBLEMS = 500


def _problem_rows(error: ValidationError) -> list[tuple[str, str, str]]:
    """``rows.<line>.<column>`` problems as (line, column, problem) rows; the header's first."""
    rows = []
    for key, problems in error.fields.items():
        parts = key.split(".", 2)
        if parts[0] == "rows" and len(parts) > 1:
            line, column = parts[1], parts[2] if len(parts) > 2 else ""
        else:
            line, column = "", parts[0] if parts[0] not in ("header", "csv") else ""
        if column.startswith("attributes."):  # as the file names it
            column = ops.ATTR_PREFIX + column.removeprefix("attributes.")
        for problem in problems:
            rows.append((line, column, problem))
    return sorted(rows, key=lambda r: (int(r[0]) if r[0].isdigit() else 0, r[1]))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def csv_import(request):
    """Import CIs or relationships from a CSV file: all rows or none; every bad row is listed
    with its line and column. With JavaScript the upload shows its progress (htmx); without,
    the form posts and the page answers the same."""
    require_it(request.user)
    if not rules.may_import(request.user):
        raise DjangoPermissionDenied
    form = CsvImportForm(request.POST or None, request.FILES or None)
    result = problems = error = None
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            run = ops.import_cis if form.cleaned_data["kind"] == "cis" else ops.import_relationships
            try:
                result = run(request.user, form.cleaned_data["file"])
                status = 200
            except ValidationError as exc:
                error = exc.message.split(" — ")[0]
                problems = _problem_rows(exc)
            except DomainError as exc:
                error = exc.message
    context = {
        "form": form,
        "result": result,
        "error": error,
        "problems": problems[:SHOWN_PROBLEMS] if problems else problems,
        "problem_count": len(problems or ()),
    }
    partial = request.htmx and request.htmx.target == "import-result"
    template = "services/cmdb/_import_result.html" if partial else "services/cmdb/import.html"
    # htmx swaps only successful answers: the fragment says what went wrong itself.
    return render(request, template, context, status=200 if partial else status)
