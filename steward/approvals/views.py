"""The approvals pages: my approvals, one step (decide it), my delegations, and the confirm
page of the one-click link in email. Thin: read through ``queries`` and ``for_user``, call an
operation, show its error to the person."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from steward.approvals import links, queries, registry
from steward.approvals import operations as ops
from steward.approvals.choices import Decision, State
from steward.approvals.forms import ConfirmForm, DecisionForm, DelegationForm
from steward.approvals.models import ApprovalRequest, Approver, Delegation, asked_or_decided
from steward.core.errors import DomainError, StaleVersion
from steward.core.pagination import CappedPaginator
from steward.people.forms import add_domain_error
from steward.people.models import User

PAGE_SIZE = 25

TABS = {
    "pending": gettext_lazy("Awaiting me"),
    "decided": gettext_lazy("Decided by me"),
    "all": gettext_lazy("All mine"),
}


def _approvers():
    return Approver.objects.select_related("user", "decided_by", "on_behalf_of").order_by("id")


def _rows(user, tab: str):
    if tab == "decided":
        decided = Approver.objects.filter(decided_by_id=user.pk).values("request_id")
        rows, order = ApprovalRequest.objects.filter(pk__in=decided), ("-decided_at", "-id")
    elif tab == "all":
        rows = ApprovalRequest.objects.filter(asked_or_decided(user))
        order = ("-requested_at", "-id")
    else:
        rows, order = queries.awaiting(user), ("requested_at", "id")
    return (
        ApprovalRequest.objects.filter(pk__in=rows.values("pk"))
        .select_related("group", "requested_by")
        .order_by(*order)
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def mine(request):
    tab = request.GET.get("show", "pending")
    if tab not in TABS:
        tab = "pending"
    page = CappedPaginator(_rows(request.user, tab), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "tab": tab,
        "tabs": [(key, str(label)) for key, label in TABS.items()],
        "page_obj": page,
        "waiting_count": queries.awaiting_count(request.user),
    }
    return render(request, "approvals/mine.html", context)


def _subject_links(step: ApprovalRequest, user) -> tuple[str, str]:
    """The record's page for this person (staff page for IT, the portal's for others) and
    the record's label now."""
    subject = registry.subject(step.subject_type)
    instance = subject.instance(step.subject_id) if subject is not None else None
    if instance is None:
        return "", step.subject_label
    if user.is_it:
        return subject.link(instance), str(subject.label(instance))
    if subject.portal_link is not None:
        return subject.portal_link(instance, user), str(subject.label(instance))
    return "", str(subject.label(instance))


def _step(user, approval_id: int) -> ApprovalRequest:
    rows = ApprovalRequest.objects.for_user(user, "view").select_related(
        "group", "requested_by", "escalate_to"
    )
    return get_object_or_404(
        rows.prefetch_related(Prefetch("approvers", queryset=_approvers())), pk=approval_id
    )


def _detail_page(request, step, form, *, status=200):
    link, label = _subject_links(step, request.user)
    refusal = queries.refusal(request.user, step)
    context = {
        "step": step,
        "subject_link": link,
        "subject_label": label,
        "form": form,
        "may_decide": refusal is None,
        "refusal": refusal[1] if refusal and step.state == State.PENDING else "",
        "flow": queries.flow(step.subject_type, step.subject_id),
    }
    return render(request, "approvals/detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def detail(request, approval_id: int):
    step = _step(request.user, approval_id)
    if request.method != "POST":
        return _detail_page(request, step, DecisionForm(initial={"version": step.version}))
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            ops.decide(
                request.user,
                step,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
                version=form.cleaned_data["version"],
            )
        except StaleVersion:
            form = DecisionForm(
                initial={**form.cleaned_data, "version": _step(request.user, approval_id).version}
            )
            form.is_bound = False
            messages.error(
                request,
                _("Someone decided on this step while you read it: see the decisions below."),
            )
            return _detail_page(request, _step(request.user, approval_id), form, status=409)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Your decision has been recorded."))
            return redirect("approvals:detail", step.pk)
    return _detail_page(request, _step(request.user, approval_id), form, status=422)


# --- delegations --------------------------------------------------------------------------------


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def _delegations_page(request, form, *, status=200):
    now = timezone.now()
    rows = list(queries.delegations_of(request.user)[:50])
    context = {
        "form": form,
        "given": [r for r in rows if r.user_id == request.user.pk],
        "received": [r for r in rows if r.delegate_id == request.user.pk],
        "now": now,
    }
    return render(request, "approvals/delegations.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def delegations(request):
    if request.method != "POST":
        return _delegations_page(request, DelegationForm())
    form = DelegationForm(request.POST)
    if form.is_valid():
        delegate = form.cleaned_data["delegate"]
        if not User.objects.for_user(request.user, "view").filter(pk=delegate.pk).exists():
            form.add_error("delegate", _("No one has this username or email address."))
        else:
            try:
                ops.delegate(
                    request.user,
                    user=request.user,
                    delegate=delegate,
                    starts_at=_aware(form.cleaned_data["starts_at"]) or timezone.now(),
                    ends_at=_aware(form.cleaned_data["ends_at"]),
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(
                    request,
                    _("%(name)s stands in for you until %(end)s.")
                    % {
                        "name": delegate.display_name,
                        "end": timezone.localtime(_aware(form.cleaned_data["ends_at"])).strftime(
                            "%Y-%m-%d %H:%M"
                        ),
                    },
                )
                return redirect("approvals:delegations")
    return _delegations_page(request, form, status=422)


@login_required
@require_POST
def delegation_end(request, pk: int):
    row = get_object_or_404(Delegation.objects.for_user(request.user, "view"), pk=pk)
    try:
        ops.end_delegation(request.user, row, version=_int(request.POST.get("version")))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The delegation has ended."))
    return redirect("approvals:delegations")


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- the one-click link -------------------------------------------------------------------------


def _act_page(request, context, *, status=200):
    return render(request, "approvals/act.html", context, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def act(request, token: str):
    """GET shows what the link decides, and a confirm button; only the POST decides, as the
    person the link was sent to (the signed link is their credential, as their mailbox is)."""
    ticket = links.read(token)
    step = person = None
    if ticket is not None and ticket.decision in (Decision.APPROVED, Decision.REJECTED):
        step = (
            ApprovalRequest.objects.select_related("group", "requested_by")
            .filter(pk=ticket.request_id)
            .first()
        )
        person = User.objects.filter(pk=ticket.user_id, is_active=True).first()
    if step is None or person is None:
        return _act_page(request, {"invalid": True}, status=404)
    rejecting = ticket.decision == Decision.REJECTED
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    context = {"step": step, "person": person, "rejecting": rejecting, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            ops.decide(person, step, decision=ticket.decision, comment=form.cleaned_data["comment"])
        except DomainError as exc:
            add_domain_error(form, exc)
            if "comment" not in exc.fields:
                context["refusal"] = exc.message
            return _act_page(request, context, status=exc.status)
        context["done"] = True
        return _act_page(request, context)
    refusal = queries.refusal(person, step)
    if refusal is not None:
        context["refusal"] = refusal[1]
    return _act_page(request, context, status=422 if request.method == "POST" else 200)
