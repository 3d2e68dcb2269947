"""Pages of the incidents app: the queues, raising an incident, and one incident with its
timeline and quick actions. Thin: read through ``for_user``/``queries``, write through
``incidents.operations``; every action is a POST form that htmx submits in place."""

from __future__ import annotations

import csv
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from steward.core.errors import DomainError
from steward.core.pagination import (
    CappedPaginator,
    count_label,
)
from steward.core.statements import fetch_compiled
from steward.incidents import audiences, queries, rules, search, sla
from steward.incidents import operations as ops
from steward.incidents.attachments import serve_attachment
from steward.incidents.choices import HandoverStatus, Status
from steward.incidents.forms import (
    CommentForm,
    HandoverForm,
    HoldForm,
    IncidentCreateForm,
    IncidentFilterForm,
    RejectForm,
    ResolveForm,
)
from steward.incidents.lists import (
    QUEUES,
    clean_sort,
    in_queue,
    order_for,
    queue_counts,
    reader_key,
)
from steward.incidents.models import (
    Attachment,
    Handover,
    Incident,
    MajorIncident,
    PostIncidentReview,
    SavedView,
)
from steward.people.forms import add_domain_error
from steward.people.models import SupportGroup, User
from steward.services.models import Service

PAGE_SIZE = 50
TIMELINE_LIMIT = 200


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
@require_http_methods(["GET", "HEAD", "POST"])
def incident_create(request):
    user = request.user
    kwargs = {"user": user, "services": Service.objects.for_user(user, "view").order_by("name")}
    if user.is_it:
        kwargs["groups"] = SupportGroup.objects.filter(is_active=True).order_by("name")
    form = IncidentCreateForm(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["caller"] = data.get("caller") or user
        try:
            incident = ops.open_incident(user, **data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request, _("%(number)s has been raised.") % {"number": incident.number}
            )
            return redirect("incidents:detail", incident.number)
    return render(request, "incidents/incident_create.html", {"form": form})


def _visible(user, number: str) -> Incident:
    incident = queries.incidents_for(user).filter(number=number.upper()).first()
    if incident is None:
        raise Http404
    return queries.with_relations([incident])[0]


@login_required
@require_GET
def incident_detail(request, number: str):
    user = request.user
    incident = _visible(user, number)
    audience = audiences.audience_of(user)
    if audience != audiences.STAFF:
        return _requester_detail(request, incident)
    pending = queries.pending_handover(incident)
    groups = SupportGroup.objects.filter(is_active=True).exclude(pk=incident.owning_group_id)
    actions = rules.allowed_actions(user, incident, pending=pending)
    context = {
        "incident": incident,
        "pending": pending,
        "measures": queries.incident_measures(incident),
        "slas": sla.clocks_for_page(incident),
        "history": list(queries.timeline(incident, user)[:TIMELINE_LIMIT]),
        "major": _major_for(incident),
        "managers": queries.possible_major_managers() if "declare_major" in actions else [],
        "attachments": list(
            Attachment.objects.for_user(user, "view")
            .filter(incident=incident)
            .select_related("uploaded_by")
        ),
        "handovers": queries.handovers_of(incident),
        "actions": actions,
        "buttons": rules.transition_buttons(user, incident),
        "comment_form": CommentForm(initial={"visibility": "internal"}),
        "handover_form": HandoverForm(groups=groups.order_by("name")),
        "resolve_form": ResolveForm(),
        "hold_form": HoldForm(),
        "reject_form": RejectForm(),
    }
    context["audience"] = audience
    context["is_major"] = queries.is_major(incident)
    return render(request, "incidents/incident_detail.html", context)


def _requester_detail(request, incident: Incident):
    """The incident page of a requester: built from the requester's fields only
    (audiences.PAGE_FIELDS). No handovers, measures, OLA clocks, major-incident record or staff
    forms are read, so the template has none to show; the SLA's response and resolution clocks
    are. The timeline keeps public entries and, of their changes, the requester's fields."""
    user = request.user
    history = list(queries.timeline(incident, user)[:TIMELINE_LIMIT])
    for entry in history:  # read-only here: a journal entry is never saved again
        entry.changes = audiences.requester_changes(entry.changes)
    context = {
        "audience": audiences.REQUESTER,
        "incident": incident,
        "pending": None,
        "measures": None,
        # the targets the organisation was promised: response and resolution, with the ledger
        "slas": sla.clocks_for_page(incident, audiences.SLA_METRICS[audiences.REQUESTER]),
        "history": history,
        "major": None,
        "attachments": list(
            Attachment.objects.for_user(user, "view")
            .filter(incident=incident)
            .select_related("uploaded_by")
        ),
        "actions": rules.allowed_actions(user, incident),
        "buttons": [],
        "comment_form": CommentForm(initial={"visibility": "public"}),
    }
    return render(request, "incidents/incident_detail.html", context)


def _major_for(incident: Incident):
    major = MajorIncident.objects.select_related("manager").filter(incident=incident).first()
    if major is not None:
        major.update_list = list(major.updates.select_related("author"))
        major.review_row = PostIncidentReview.objects.filter(major=major).first()
        major.action_list = (
            list(major.review_row.actions.select_related("owner")) if major.review_row else []
        )
    return major


def _act(request, incident: Incident, action: str):
    """Run one quick action; domain errors become messages on the detail page."""
    user, post = request.user, request.POST
    if action == "take":
        ops.assign(user, incident, user)
        return _("You have taken %(number)s.")
    if action == "transition":
        to = post.get("to", "")
        if to == Status.RESOLVED:
            form = ResolveForm(post)
            if not form.is_valid():
                raise DomainError(_("Resolving needs a resolution code and notes."))
            ops.transition(user, incident, to, **form.cleaned_data)
        elif to == Status.ON_HOLD:
            form = HoldForm(post)
            if not form.is_valid():
                raise DomainError(_("Choose a hold reason."))
            ops.transition(user, incident, to, **form.cleaned_data)
        else:
            ops.transition(user, incident, to)
        return _("%(number)s is now %(status)s.")
    if action == "comment":
        form = CommentForm(post)
        if not form.is_valid():
            raise DomainError(_("Write a note first."))
        data = form.cleaned_data
        ops.add_comment(
            user,
            incident,
            body=data["body"],
            visibility=data["visibility"],
            time_spent=data.get("time_spent") or 0,
        )
        return _("Your note has been added.")
    if action == "handover":
        groups = SupportGroup.objects.filter(is_active=True)
        form = HandoverForm(post, groups=groups)
        if not form.is_valid():
            raise DomainError(_("Choose a group and give a reason."))
        ops.hand_over(user, incident, **form.cleaned_data)
        return _("The handover is pending until the other group accepts it.")
    if action == "declare":
        manager = User.objects.filter(pk=post.get("manager") or 0, is_active=True).first()
        if manager is None:
            raise DomainError(_("Choose a major-incident manager."))
        ops.declare_major(user, incident, reason=post.get("reason", ""), manager=manager)
        return _("%(number)s is now a major incident.")
    if action == "stakeholder-update":
        ops.post_stakeholder_update(user, incident, body=post.get("body", ""))
        return _("The update has been sent to the stakeholders.")
    if action == "review":
        actions = []
        for line in post.get("actions", "").splitlines():
            if not line.strip():
                continue
            owner_name, _sep, text = line.partition(":")
            owner = User.objects.filter(username=owner_name.strip(), is_active=True).first()
            if owner is None or not text.strip():
                raise DomainError(_("Write each follow-up action as “username: what to do”."))
            actions.append((text.strip(), owner))
        ops.record_review(user, incident, cause=post.get("cause", ""), actions=actions)
        return _("The post-incident review has been recorded.")
    pending = queries.pending_handover(incident)
    if pending is None:
        raise DomainError(_("There is no pending handover."))
    if action == "accept":
        ops.accept_handover(user, pending, take_assignment=post.get("take") == "1")
        return _("You have accepted %(number)s for your group.")
    if action == "reject":
        form = RejectForm(post)
        if not form.is_valid():
            raise DomainError(_("Give a reason for rejecting."))
        ops.reject_handover(user, pending, reason=form.cleaned_data["reason"])
        return _("The handover has been rejected; the sender is told why.")
    if action == "cancel":
        ops.cancel_handover(user, pending)
        return _("The handover has been withdrawn.")
    raise Http404


@login_required
@require_POST
def incident_action(request, number: str, action: str):
    incident = _visible(request.user, number)
    try:
        text = _act(request, incident, action)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        incident.refresh_from_db()
        messages.success(
            request,
            text % {"number": incident.number, "status": incident.get_status_display().lower()},
        )
    return redirect("incidents:detail", incident.number)


@login_required
@require_GET
def attachment_download(request, number: str, pk: int):
    """The file, after the same permission check as the API (always a download)."""
    try:
        return serve_attachment(request.user, number, pk)
    except DomainError as exc:
        raise Http404 from exc


@login_required
@require_POST
def attachment_upload(request, number: str):
    incident = _visible(request.user, number)
    upload = request.FILES.get("file")
    visibility = request.POST.get("visibility") or ("internal" if request.user.is_it else "public")
    if upload is None:
        messages.error(request, _("Choose a file to attach."))
    else:
        try:
            ops.add_attachment(request.user, incident, upload, visibility=visibility)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The file has been attached."))
    return redirect("incidents:detail", incident.number)


@login_required
@require_POST
def view_save(request):
    from urllib.parse import urlsplit

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


@login_required
@require_GET
def handover_overview(request):
    """Per-group handover figures, and the pending handovers to my groups (overdue first)."""
    if not request.user.is_it:
        raise Http404
    mine = set(ops.groups_of(request.user).values_list("pk", flat=True))
    overdue = {h.pk for h in ops.overdue_handovers()}
    pending = list(
        Handover.objects.filter(status=HandoverStatus.PENDING, to_group__in=mine)
        .select_related("incident", "from_group", "to_group", "requested_by")
        .order_by("created_at")[:200]
    )
    for h in pending:
        h.overdue = h.pk in overdue
    pending.sort(key=lambda h: (not h.overdue, h.created_at))
    context = {"figures": queries.group_figures(), "pending": pending}
    return render(request, "incidents/handovers.html", context)
