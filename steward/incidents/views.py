"""Pages of the incidents app: raising an incident, and one incident with its timeline and
quick actions (the queues are in list_views.py). Thin: read through ``for_user``/``queries``,
write through ``incidents.operations``; every action is a POST form that htmx submits in place."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from steward.core import registry
from steward.core.errors import DomainError, StaleVersion
from steward.incidents import (
    audiences,
    detail_context,
    page_actions,
    page_writes,
    queries,
    rules,
    sla,
)
from steward.incidents import operations as ops
from steward.incidents.attachments import serve_attachment
from steward.incidents.choices import HandoverStatus, UpdateKind
from steward.incidents.forms import (
    CommentForm,
    HandoverForm,
    HoldForm,
    IncidentCreateForm,
    RejectForm,
    ResolveForm,
)
from steward.incidents.models import (
    Attachment,
    Handover,
    Incident,
    MajorIncident,
    PostIncidentReview,
)
from steward.incidents.operations import major_plan
from steward.people.forms import add_domain_error
from steward.people.models import SupportGroup
from steward.services.models import Service

TIMELINE_LIMIT = 200


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
    panels = registry.form_panels("incidents.incident", user)
    return render(request, "incidents/incident_create.html", {"form": form, "panels": panels})


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
        "major": _major_for(incident, request.GET.get("template")),
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
        **detail_context.for_staff(request, incident, actions),
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
        **detail_context.common(request, incident),
    }
    context["comment_form"].fields["body"].label = _("Your reply")
    return render(request, "incidents/incident_detail.html", context)


def _major_for(incident: Incident, template: str | None = None):
    major = MajorIncident.objects.select_related("manager").filter(incident=incident).first()
    if major is not None:
        major.update_list = list(major.updates.select_related("author"))
        major.review_row = PostIncidentReview.objects.filter(major=major).first()
        major.action_list = (
            list(major.review_row.actions.select_related("owner")) if major.review_row else []
        )
        major.plan_row = ops.plan_of(major)
        major.overdue = major_plan.is_overdue(major.plan_row, incident)
        # the update form starts from the template for the moment (or the one asked for),
        # in the writer's language; sent unchanged, each reader reads it in theirs
        kind = template if template in UpdateKind.values else major_plan.moment(incident, major)
        major.update_kind = kind
        major.update_text = major_plan.template(kind, incident, major.plan_row)[1].render()
        major.kinds = UpdateKind.choices
    return major


@login_required
@require_POST
def incident_action(request, number: str, action: str):
    """One action of the incident page (page_actions). A refused write tells the person why; a
    stale one, who changed the incident and when, and the page then lists what changed."""
    incident = _visible(request.user, number)
    seen = page_writes.posted_number(request.POST, "seen")
    since = ""
    try:
        text = page_actions.run(request, incident, action)
    except StaleVersion:
        incident.refresh_from_db()
        messages.error(request, page_writes.conflict_message(incident, request.user, seen))
        since = seen
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, text)
        if action in page_actions.ADDITIVE and seen is not None:
            meanwhile = page_writes.meanwhile_message(incident, request.user, seen)
            if meanwhile:
                messages.info(request, meanwhile)
                since = seen
    url = reverse("incidents:detail", args=[incident.number])
    return redirect(f"{url}?since={since}#changes" if since != "" else url)


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
