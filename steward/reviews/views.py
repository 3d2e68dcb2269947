"""Service review pages: the list of live services with their recent reviews, one review (HTML),
its PDF, and the owner's two writes (acknowledge, choose recipients). IT staff only: anyone
else gets a 404, as for a page that does not exist."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from steward.core.errors import DomainError, NotFound
from steward.reviews import operations as ops
from steward.reviews import pdf, periods, queries, report, rules
from steward.reviews.models import ServiceReview
from steward.services.choices import Lifecycle
from steward.services.models import Service

PAGE_SIZE = 50
#: How many recent months the list shows.
MONTHS = 3


def _target(request, service_id: int, month: str):
    try:
        return queries.target(request.user, service_id, month)
    except DomainError as exc:  # unknown service, bad month, not IT staff
        raise Http404(exc.message) from exc


@login_required
@require_GET
def index(request):
    if not rules.may_read(request.user):
        raise Http404
    last = periods.previous_month(periods.current_month())
    months = [periods.months_back(last, i) for i in range(MONTHS)]
    services = (
        Service.objects.for_user(request.user, "view")
        .filter(status=Lifecycle.LIVE)
        .select_related("owner")
        .order_by("name", "pk")
    )
    page = Paginator(services, PAGE_SIZE).get_page(request.GET.get("page"))
    reviews = {
        (r.service_id, r.month): r
        for r in ServiceReview.objects.filter(
            service__in=[s.pk for s in page.object_list], month__in=months
        )
    }
    rows = [
        {
            "service": s,
            "cells": [{"month": f"{m:%Y-%m}", "review": reviews.get((s.pk, m))} for m in months],
        }
        for s in page.object_list
    ]
    return render(
        request,
        "reviews/index.html",
        {"rows": rows, "months": [f"{m:%Y-%m}" for m in months], "page_obj": page},
    )


def _render_detail(request, service, first, review, ack_form=None, status=200):
    built = report.build(service, first, review)
    subscription = queries.subscription(service)
    following = periods.next_month(first)
    context = {
        "report": built,
        "charts": report.chart_data(built),
        "actions": rules.allowed_actions(request.user, service, review),
        "subscription": subscription,
        "acknowledge_days": ops.ACKNOWLEDGE_DAYS,
        "last_day": (built["to"] - dt.timedelta(days=1)).date(),
        "previous_month": f"{periods.previous_month(first):%Y-%m}",
        "next_month": f"{following:%Y-%m}" if following < periods.current_month() else "",
        "ack_form": ack_form,
    }
    return render(request, "reviews/detail.html", context, status=status)


@login_required
@require_GET
def detail(request, service_id: int, month: str):
    service, first, review = _target(request, service_id, month)
    return _render_detail(request, service, first, review)


@login_required
@require_GET
def pdf_view(request, service_id: int, month: str):
    service, first, review = _target(request, service_id, month)
    return pdf.response(service, first, review)


def _version(request) -> int | None:
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() and len(value) < 10 else None


class _Errors:
    """What form_errors.html reads: a domain error's message as a non-field error."""

    def __init__(self, error: DomainError):
        self.errors = {"__all__": [error.message]}

    def non_field_errors(self):
        return self.errors["__all__"]


@login_required
@require_POST
def acknowledge(request, service_id: int, month: str):
    service, first, review = _target(request, service_id, month)
    try:
        ops.acknowledge(request.user, service, first, version=_version(request))
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        return _render_detail(request, service, first, review, _Errors(exc), status=exc.status)
    messages.success(request, _("Thank you: the review is acknowledged."))
    return redirect("reviews:detail", service.pk, f"{first:%Y-%m}")


@login_required
@require_POST
def subscription(request, service_id: int, month: str):
    service, first, review = _target(request, service_id, month)
    try:
        ops.set_subscription(
            request.user,
            service,
            send_to_customers=request.POST.get("send_to_customers") == "on",
            version=_version(request),
        )
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        return _render_detail(request, service, first, review, _Errors(exc), status=exc.status)
    messages.success(request, _("The recipients of the monthly review are saved."))
    return redirect("reviews:detail", service.pk, f"{first:%Y-%m}")
