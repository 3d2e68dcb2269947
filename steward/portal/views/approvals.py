"""Approve what awaits me: the steps of approval the person may decide now (as approver or
as someone's delegate), each with what it is about and where to read it, approved or rejected
with a comment (a rejection needs one) through ``approvals.operations.decide``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from steward.core.errors import DomainError
from steward.fulfilment import answers
from steward.fulfilment.approval import SUBJECT_TYPE
from steward.portal import sources
from steward.portal.forms import DecisionForm
from steward.portal.views.common import page, require, show_error

SHOWN = 50


def _with_links(user, rows) -> list:
    """Each step with ``subject_url`` (the subject's portal page, or for IT staff its staff
    page; empty when there is none) and ``details``: what the approver needs to decide — for
    a requested item, whom it is for and the answers given (they are asked, so they read
    it)."""
    from steward.approvals import registry

    for row in rows:
        subject = registry.subject(row.subject_type)
        instance = subject.instance(row.subject_id) if subject is not None else None
        url, details = "", []
        if instance is not None:
            if subject.portal_link is not None:
                url = subject.portal_link(instance, user)
            elif user.is_it:
                url = subject.link(instance)
            if row.subject_type == SUBJECT_TYPE:
                details = [
                    {"label": _("For"), "text": instance.requested_for.display_name},
                    *answers.in_words(instance, user),
                ]
        row.subject_url = url
        row.details = details
    return rows


@login_required
@require_http_methods(["GET", "HEAD"])
def approval_list(request):
    require(sources.approvals_on())
    user = request.user
    rows = _with_links(user, list(sources.awaiting_approvals(user)[:SHOWN]))
    context = {"rows": rows, "form": DecisionForm()}
    return page(request, "portal/approvals.html", context, current="approvals")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def approval_decide(request, pk: int):
    """One step: GET shows it with the decision form; POST decides (``decision`` approved or
    rejected, ``comment``). A step the person may not decide (any more) answers 404 on GET."""
    require(sources.approvals_on())
    from steward.approvals import operations as approval_ops
    from steward.approvals.choices import Decision
    from steward.approvals.models import ApprovalRequest

    user = request.user
    step = sources.awaiting_approvals(user).filter(pk=pk).first()
    if step is None:
        if request.method == "POST" and ApprovalRequest.objects.filter(pk=pk).exists():
            messages.error(request, _("This approval is no longer waiting for you."))
            return redirect("portal:approvals")
        raise Http404
    form = DecisionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        decision = request.POST.get("decision", "")
        if form.is_valid():
            version = request.POST.get("version", "")
            try:
                approval_ops.decide(
                    user,
                    step,
                    decision=decision,
                    comment=form.cleaned_data["comment"],
                    version=int(version) if version.isdigit() else None,
                )
            except DomainError as exc:
                show_error(form, exc)
            else:
                done = (
                    _("You approved %(label)s.")
                    if decision == Decision.APPROVED
                    else _("You rejected %(label)s.")
                )
                messages.success(request, done % {"label": step.subject_label})
                return redirect("portal:approvals")
        status = 422
    context = {"step": _with_links(user, [step])[0], "form": form}
    return page(request, "portal/approval.html", context, current="approvals", status=status)
