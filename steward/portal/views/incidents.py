"""One incident as its requester follows it: status in words, what they wrote, the public
conversation, the files, a reply and a file. The fields shown are the requester audience's
(``incidents.audiences``); staff opening the page see the same, the portal being the
requester's view."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from steward.core.errors import DomainError
from steward.incidents import operations as incident_ops
from steward.incidents import rules as incident_rules
from steward.incidents.choices import Status, Visibility
from steward.incidents.models import Attachment, Comment
from steward.portal import sources
from steward.portal.forms import AttachForm, ReplyForm
from steward.portal.views.common import page, show_error

SOLVED = frozenset({Status.RESOLVED, Status.CLOSED})


def _incident(user, number: str):
    incident = sources.incident_for(user, number)
    if incident is None:
        raise Http404
    return incident


def _public(model, user, incident):
    """The incident's public rows of ``model`` (comments, attachments) that ``user`` may read:
    a requester's are public by rule; staff reading the portal see the public ones too."""
    return (
        model.objects.for_user(user, "view")
        .filter(incident=incident, visibility=Visibility.PUBLIC)
        .select_related(
            "author" if model is Comment else "uploaded_by",
        )
        .order_by("id")
    )


def _render(request, incident, *, reply=None, attach=None, status=200):
    user = request.user
    actions = incident_rules.allowed_actions(user, incident)
    context = {
        "incident": incident,
        # what the team wrote when they solved it (resolved or closed)
        "solution": incident.resolution_notes if incident.status in SOLVED else "",
        "conversation": list(_public(Comment, user, incident)),
        "files": list(_public(Attachment, user, incident)),
        "may_reply": "reply" in actions,
        "reply_reopens": "reply_reopens" in actions,
        "reply_form": reply or ReplyForm(),
        "attach_form": attach or AttachForm(),
    }
    return page(request, "portal/incident.html", context, current="my", status=status)


@login_required
@require_GET
def incident_detail(request, number: str):
    return _render(request, _incident(request.user, number))


@login_required
@require_POST
def incident_reply(request, number: str):
    user = request.user
    incident = _incident(user, number)
    form = ReplyForm(request.POST)
    if form.is_valid():
        was = incident.status
        try:
            incident_ops.add_comment(
                user, incident, body=form.cleaned_data["body"], visibility=Visibility.PUBLIC
            )
        except DomainError as exc:
            show_error(form, exc)
        else:
            incident.refresh_from_db()
            if incident.status != was:
                messages.success(
                    request, _("Your reply has been added and the incident is open again.")
                )
            else:
                messages.success(request, _("Your reply has been added."))
            return redirect("portal:incident", incident.number)
    return _render(request, incident, reply=form, status=422)


@login_required
@require_POST
def incident_attach(request, number: str):
    user = request.user
    incident = _incident(user, number)
    form = AttachForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            incident_ops.add_attachment(
                user, incident, form.cleaned_data["file"], visibility=Visibility.PUBLIC
            )
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("The file has been attached."))
            return redirect("portal:incident", incident.number)
    return _render(request, incident, attach=form, status=422)
