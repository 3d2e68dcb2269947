"""Pages of the incident queues: the list with its queues, filters, sorts and saved views, its
CSV export, and bulk actions on a selection. Thin: read through ``lists``/``queries``, write
through ``incidents.operations`` (bulk actions through ``incidents.bulk``, one incident at a
time)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from urllib.parse import urlsplit

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from steward.core import registry
from steward.core.errors import DomainError
from steward.core.pagination import CappedPaginator, count_label
from steward.core.statements import fetch_compiled
from steward.incidents import audiences, bulk, queries, search, sla
from steward.incidents import operations as ops
from steward.incidents.choices import HandoverStatus, ResolutionCode
from steward.incidents.forms import IncidentFilterForm
from steward.incidents.lists import (
    ANNOTATED_SORTS,
    QUEUES,
    clean_sort,
    in_queue,
    order_for,
    queue_counts,
    reader_key,
)
from steward.incidents.models import Handover, SavedView
from steward.people.models import SupportGroup, User

PAGE_SIZE = 50


def _listed(request, base=None):
    """The queue and filters of the list page (and its CSV export), applied in SQL."""
    user = request.user
    queue = request.GET.get("queue") if user.is_it else "all"
    queue = queue if queue in QUEUES else ("my_groups" if user.is_it else "all")
    form = IncidentFilterForm(request.GET)
    data = _form_data(form)
    rows = in_queue(user, queue, base if base is not None else queries.incidents_for(user))
    status = data.get("status") or ""
    if status == "":
        rows = rows.active()
    elif status != "any":
        rows = rows.filter(status=status)
    if data.get("priority"):
        rows = rows.filter(priority=data["priority"])
    if text := (data.get("q") or "").strip():
        rows = search.text_filter(rows, text, user)
    sort = clean_sort(request.GET.get("sort"))
    annotation = ANNOTATED_SORTS.get(sort.removeprefix("-"))
    if annotation and annotation not in rows.query.annotations:
        rows = queries.with_sla_due(rows)
    return queue, form, rows.order_by(*order_for(sort))


def _form_data(form) -> dict:
    """The list filters as cleaned, or none when the form is invalid."""
    return form.cleaned_data if form.is_valid() else {}


def _unfiltered(form) -> bool:
    """Only the queue applies (default status filter, no priority, no text)."""
    data = _form_data(form)
    return not (data.get("status") or data.get("priority") or (data.get("q") or "").strip())


@login_required
@require_GET
def incident_list(request):
    user = request.user
    queue, form, rows = _listed(request, queries.queue_rows(user))
    counts = queue_counts(user) if user.is_it else {}
    paginator = CappedPaginator(rows, PAGE_SIZE)
    if queue in counts and _unfiltered(form):
        paginator.use_count(counts[queue])  # the tab's count is this list's: not counted twice
    page = paginator.get_page(request.GET.get("page"))
    sort = clean_sort(request.GET.get("sort"))
    now = timezone.now()
    audience = audiences.audience_of(user)
    staff = audience == audiences.STAFF
    # a requester's rows carry no pending handover: none is read (audiences.LIST_FIELDS)
    rows = queries.queue_page(*_page_values(user, queue, form, sort, page, with_pending=staff))
    due = sla.acceptance_due([r.pending for r in rows if r.pending])
    for row in rows:
        row.overdue = bool(row.pending and now > due[row.pending.pk][0])
    if staff:
        queries.major_updates_due(rows, now)
    page.object_list = rows
    context = {
        "audience": audience,
        "form": form,
        "queue": queue,
        "queues": (
            {
                key: (label, count_label(counts[key]) if key in counts else None)
                for key, label in QUEUES.items()
            }
            if counts
            else {}
        ),
        "page_obj": page,
        "results_template": "incidents/_incident_results.html",
        "export_query": request.GET.urlencode(),
        "sort": sort,
        "saved_views": _saved_views(user),
        "bulk": _bulk_options(user) if staff else None,
        "now": now,
    }
    partial = request.htmx.target == "results"
    template = "incidents/_incident_results.html" if partial else "incidents/incident_list.html"
    return render(request, template, context)


@dataclass(frozen=True)
class _SavedViewRow:
    pk: int
    name: str
    query: str


def _saved_views(user) -> list[_SavedViewRow]:
    """The user's saved views (a statement that depends only on the user: compiled once)."""
    key = ("incident_saved_views", user.pk, repr(SavedView.permission_filter(user, "view")))
    rows = fetch_compiled(
        key, lambda: SavedView.objects.for_user(user, "view").values_list("pk", "name", "query")
    )
    return [_SavedViewRow(*row) for row in rows]


def _page_values(
    user, queue: str, form, sort: str, page, *, with_pending: bool = True
) -> tuple[list, list]:
    """The values of one queue page and its pending handovers. Without a text search the
    statements depend only on the user (``reader_key``), the queue, the filters, the sort and the
    slice of the page, so they are compiled once per such key (core/statements.py). A text
    search hands the query its matching ids, different each time: it is compiled as usual."""
    data = _form_data(form)
    if (data.get("q") or "").strip():
        values = list(page.object_list)
        pending = (
            list(queries.pending_of([row[0] for row in values])) if values and with_pending else []
        )
    else:
        key = (
            "incident_queue_page",
            *reader_key(user),
            queue,
            data.get("status") or "",
            data.get("priority") or "",
            sort,
            # the slice, not the page number: the paginator ends the last page at the count
            page.object_list.query.low_mark,
            page.object_list.query.high_mark,
        )
        values = fetch_compiled(key, lambda: page.object_list)
        pending = (
            fetch_compiled(
                (*key, "pending"), lambda: queries.pending_of(page.object_list.values_list("id"))
            )
            if with_pending
            else []
        )
    return (
        [queries.as_queue_values(row) for row in values],
        [queries.as_pending(row) for row in pending],
    )


class _Echo:
    def write(self, value):
        return value


def _csv_cell(value) -> str:
    """A cell a spreadsheet will not run: text starting with = + - @ is quoted with '."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


#: Every column any audience's export may have: how to write it from an incident (and the ids
#: of incidents with a pending handover). Each audience's export takes only its own columns
#: (``audiences.CSV_COLUMNS``).
_CSV_CELLS = {
    "number": lambda i, pending: i.number,
    "title": lambda i, pending: i.title,
    "priority": lambda i, pending: f"P{i.priority}",
    "status": lambda i, pending: i.status,
    "owning_group": lambda i, pending: i.owning_group.name,
    "assignee": lambda i, pending: i.assignee.username if i.assignee_id else "",
    "caller": lambda i, pending: i.caller.username,
    "service": lambda i, pending: i.service.name if i.service_id else "",
    "created_at": lambda i, pending: i.created_at.isoformat(),
    "updated_at": lambda i, pending: i.updated_at.isoformat(),
    "handover_pending": lambda i, pending: "yes" if i.pk in pending else "",
}


@login_required
@require_GET
def incident_export(request):
    """The current view as CSV, streamed in chunks (same queue, filters and visibility), with
    the columns of the user's audience: a requester's export has no owning group, assignee or
    handover column."""
    _, _, rows = _listed(request)
    columns = list(audiences.CSV_COLUMNS[audiences.audience_of(request.user)])
    pending = (
        set(
            Handover.objects.filter(status=HandoverStatus.PENDING).values_list(
                "incident_id", flat=True
            )
        )
        if "handover_pending" in columns
        else set()
    )
    cells = [_CSV_CELLS[c] for c in columns]
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(columns)
        for i in rows.iterator(chunk_size=2000):
            yield writer.writerow([_csv_cell(cell(i, pending)) for cell in cells])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="incidents.csv"'
    return response


@login_required
@require_POST
def view_save(request):
    query = urlsplit(request.POST.get("query", "")).query or request.POST.get("query", "")
    try:
        view = ops.save_view(request.user, name=request.POST.get("name", ""), query=query)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("incidents:list")
    messages.success(request, _("View “%(name)s” has been saved.") % {"name": view.name})
    return redirect(f"{reverse('incidents:list')}?{view.query}" if view.query else "incidents:list")


@login_required
@require_POST
def view_delete(request, pk: int):
    view = SavedView.objects.for_user(request.user, "view").filter(pk=pk).first()
    if view is None:
        raise Http404
    ops.delete_view(request.user, view)
    messages.success(request, _("View “%(name)s” has been deleted.") % {"name": view.name})
    return redirect("incidents:list")


# --- bulk actions ------------------------------------------------------------------------------


class BulkForm(forms.Form):
    """What to do with the selected incidents (the selection itself is ``pick``, one
    ``"<id>:<version>"`` per incident, read by ``bulk.parse_picks``)."""

    action = forms.ChoiceField(label=gettext_lazy("Action"), choices=list(bulk.ACTIONS.items()))
    assignee = forms.ModelChoiceField(
        label=gettext_lazy("Assignee"), required=False, queryset=User.objects.none()
    )
    to_group = forms.ModelChoiceField(
        label=gettext_lazy("Group"), required=False, queryset=SupportGroup.objects.none()
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), required=False, max_length=2000)
    resolution_code = forms.ChoiceField(
        label=gettext_lazy("Resolution code"),
        required=False,
        choices=[("", "—"), *ResolutionCode.choices],
    )
    resolution_notes = forms.CharField(
        label=gettext_lazy("Resolution notes"), required=False, max_length=20_000
    )

    #: The fields each action needs, and the message when one is missing.
    NEEDS = {
        "assign": {"assignee": gettext_lazy("Choose the person to assign the incidents to.")},
        "hand_over": {
            "to_group": gettext_lazy("Choose the group to hand the incidents over to."),
            "reason": gettext_lazy("Say why you hand the incidents over."),
        },
        "resolve": {
            "resolution_code": gettext_lazy("Choose a resolution code."),
            "resolution_notes": gettext_lazy("Write resolution notes."),
        },
    }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = _assignable(user)
        self.fields["to_group"].queryset = SupportGroup.objects.filter(is_active=True).order_by(
            "name"
        )

    def clean(self):
        data = super().clean()
        for field, message in self.NEEDS.get(data.get("action"), {}).items():
            value = data.get(field)
            if value is None or (isinstance(value, str) and not value.strip()):
                self.add_error(field, message)
        return data


def _assignable(user):
    """The people a bulk assignment offers: the active members and managers of the user's
    groups (an incident refuses one who is not in its owning group, and says so)."""
    groups = queries.group_ids_of(user)
    managers = SupportGroup.objects.filter(pk__in=groups).values("manager")
    return (
        User.objects.filter(is_active=True)
        .filter(Q(support_groups__in=groups) | Q(pk__in=managers))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def _bulk_options(user) -> dict:
    """The bulk bar's choices, as plain values (read once per page, two queries)."""
    return {
        "actions": list(bulk.ACTIONS.items()),
        "people": [
            (u.pk, u.display_name)
            for u in _assignable(user).only("pk", "username", "first_name", "last_name")
        ],
        "groups": list(
            SupportGroup.objects.filter(is_active=True).order_by("name").values_list("pk", "name")
        ),
        "codes": ResolutionCode.choices,
        # other practices' actions on the selection (problems: open a problem from these)
        "more": registry.bulk_actions("incidents.incident", user),
    }


@login_required
@require_POST
def incident_bulk(request):
    """Apply one action to the selected incidents, each on its own, and show per incident
    what was done and what was refused (and why)."""
    user = request.user
    if not user.is_it:
        raise Http404
    back = request.POST.get("back", "")
    if not back.startswith("/") or not url_has_allowed_host_and_scheme(back, None):
        back = reverse("incidents:list")
    picks = bulk.parse_picks(request.POST.getlist("pick"))
    form = BulkForm(request.POST, user=user)
    outcomes, errors = [], []
    if not picks:
        errors.append(_("Select at least one incident first."))
    elif not form.is_valid():
        errors += [str(e) for field_errors in form.errors.values() for e in field_errors]
    else:
        data = form.cleaned_data
        outcomes = bulk.apply(
            user,
            data["action"],
            picks,
            assignee=data.get("assignee"),
            to_group=data.get("to_group"),
            reason=data.get("reason") or "",
            resolution_code=data.get("resolution_code") or "",
            resolution_notes=data.get("resolution_notes") or "",
        )
    context = {
        "outcomes": outcomes,
        "errors": errors,
        "done": sum(1 for o in outcomes if o.done),
        "refused": sum(1 for o in outcomes if not o.done),
        "action": bulk.ACTIONS.get(request.POST.get("action", ""), ""),
        "back": back,
    }
    status = 200 if outcomes else 422
    return render(request, "incidents/bulk_result.html", context, status=status)
