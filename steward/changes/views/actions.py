"""What is done from a change's page: move it through its lifecycle, approve or reject it,
override its conflicts (the change manager), record its review, and link the incidents it
caused. Each posts to an operation; a refusal shows the change's page again with the reason
beside the form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from steward.changes import operations as ops
from steward.changes.forms import (
    DecisionForm,
    LinkIncidentForm,
    MoveForm,
    OverrideForm,
    ReviewForm,
)
from steward.changes.views.common import change_or_404
from steward.changes.views.records import detail_context
from steward.core.errors import DomainError
from steward.incidents.models import Incident
from steward.people.forms import add_domain_error


def _again(request, change, exc=None, status=422, **forms):
    """The change's page again, the failed form kept (with its errors)."""
    change = change_or_404(request, change.number)
    context = detail_context(request, change, error=exc.message if exc else "", **forms)
    return render(request, "changes/detail.html", context, status=exc.status if exc else status)


@login_required
@require_POST
def change_move(request, number: str):
    change = change_or_404(request, number)
    form = MoveForm(request.POST)
    if not form.is_valid():
        raise Http404
    data = form.cleaned_data
    try:
        ops.move_change(
            request.user,
            change,
            data["to"],
            version=data["version"],
            cancel_reason=data.get("cancel_reason") or "",
            outcome=data.get("outcome") or "",
            outcome_notes=data.get("outcome_notes") or "",
        )
    except DomainError as exc:
        add_domain_error(form, exc)
        return _again(request, change, exc, move_form=form)
    return redirect(change)


@login_required
@require_POST
def change_decide(request, number: str):
    change = change_or_404(request, number)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _again(request, change, decision_form=form)
    data = form.cleaned_data
    try:
        ops.decide(
            request.user,
            change,
            decision=data["decision"],
            comment=data.get("comment") or "",
            version=data.get("version"),
        )
    except DomainError as exc:
        add_domain_error(form, exc)
        return _again(request, change, exc, decision_form=form)
    messages.success(request, _("Your decision is recorded."))
    return redirect(change)


@login_required
@require_POST
def change_override(request, number: str):
    change = change_or_404(request, number)
    form = OverrideForm(request.POST)
    if not form.is_valid():
        return _again(request, change, override_form=form)
    try:
        ops.override_conflicts(
            request.user,
            change,
            reason=form.cleaned_data["reason"],
            version=form.cleaned_data["version"],
        )
    except DomainError as exc:
        add_domain_error(form, exc)
        return _again(request, change, exc, override_form=form)
    messages.success(request, _("The conflicts are overridden; the reason is on record."))
    return redirect(change)


@login_required
@require_POST
def change_review(request, number: str):
    change = change_or_404(request, number)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _again(request, change, review_form=form)
    data = form.cleaned_data
    try:
        ops.record_review(
            request.user,
            change,
            what_happened=data["what_happened"],
            cause=data.get("cause") or "",
            follow_ups=data.get("follow_ups") or [],
            version=data.get("version"),
        )
    except DomainError as exc:
        add_domain_error(form, exc)
        return _again(request, change, exc, review_form=form)
    messages.success(request, _("The review is saved."))
    return redirect(change)


@login_required
@require_POST
def change_link_incident(request, number: str):
    change = change_or_404(request, number)
    form = LinkIncidentForm(request.POST)
    if not form.is_valid():
        return _again(request, change, link_form=form)
    incident = (
        Incident.objects.for_user(request.user, "view")
        .filter(number=form.cleaned_data["number"].upper())
        .first()
    )
    if incident is None:
        form.add_error("number", _("No such incident."))
        return _again(request, change, link_form=form)
    try:
        ops.link_incident(request.user, change, incident)
    except DomainError as exc:
        add_domain_error(form, exc)
        return _again(request, change, exc, link_form=form)
    return redirect(change)


@login_required
@require_POST
def change_unlink_incident(request, number: str, incident_number: str):
    change = change_or_404(request, number)
    incident = (
        Incident.objects.for_user(request.user, "view")
        .filter(number=incident_number.upper())
        .first()
    )
    if incident is None:
        raise Http404
    try:
        ops.unlink_incident(request.user, change, incident)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(change)
