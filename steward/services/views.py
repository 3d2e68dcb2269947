"""Pages of the service portfolio: the list and one service. They only read, through
``Service.objects.for_user``; requesters see the live services of their organization."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from steward.core import journal
from steward.core.errors import DomainError
from steward.core.registry import detail_panels
from steward.people.models import Organization, User
from steward.services import operations as ops
from steward.services.choices import OwnershipStatus, SupportLine
from steward.services.forms import ServiceFilterForm, clean_sort, ordering
from steward.services.models import OwnershipProposal, Service, ServiceDependency, ServiceSupport

PAGE_SIZE = 50
HISTORY_LIMIT = 50


def _customer_count():
    links = Service.customers.through.objects.filter(service_id=OuterRef("pk"))
    counted = links.values("service_id").annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted), 0)


@login_required
@require_GET
def service_list(request):
    visible = Service.objects.for_user(request.user, "view")
    # The owners of the services the user sees (each row shows its owner anyway).
    owners = User.objects.filter(pk__in=visible.values("owner_id")).order_by(
        "last_name", "first_name", "username"
    )
    form = ServiceFilterForm(request.GET, owners=owners)
    sort = clean_sort(request.GET.get("sort"))
    services = (
        form.apply(visible)
        .select_related("owner")
        .annotate(customer_count=_customer_count())
        .order_by(*ordering(sort))
    )
    context = {
        "form": form,
        "sort": sort,
        "page_obj": Paginator(services, PAGE_SIZE).get_page(request.GET.get("page")),
        "results_template": "services/_service_results.html",
    }
    partial = request.htmx.target == "results"
    template = "services/_service_results.html" if partial else "services/service_list.html"
    return render(request, template, context)


@login_required
@require_GET
def service_detail(request, pk: int):
    service = get_object_or_404(
        Service.objects.for_user(request.user, "view").select_related("owner"), pk=pk
    )
    customers = Organization.objects.for_user(request.user, "view").filter(services=service)
    support = {line: [] for line in SupportLine.values}
    for row in ServiceSupport.objects.filter(service=service).select_related("group"):
        support[row.line].append(row.group)
    pending = (
        OwnershipProposal.objects.filter(service=service, status=OwnershipStatus.PENDING)
        .select_related("proposed_owner")
        .first()
    )
    # The change history is IT's working record; requesters see the service, not its audit.
    history = (
        journal.history(service).order_by("-id")[:HISTORY_LIMIT] if request.user.is_it else None
    )
    context = {
        "service": service,
        "customers": customers,
        "history": history,
        "panels": detail_panels(service, request.user),
        "support": [
            (SupportLine(line).label, groups) for line, groups in support.items() if groups
        ],
        "depends_on": [
            d.depends_on
            for d in ServiceDependency.objects.filter(service=service)
            .select_related("depends_on")
            .order_by("depends_on__name")
        ],
        "pending": pending,
        "can_decide": pending is not None and pending.proposed_owner_id == request.user.pk,
    }
    return render(request, "services/service_detail.html", context)


@login_required
@require_POST
def ownership_decision(request, pk: int, decision: str):
    """The proposed owner accepts or declines ownership (POST only, CSRF-protected)."""
    service = get_object_or_404(Service.objects.for_user(request.user, "view"), pk=pk)
    try:
        if decision == "accept":
            ops.accept_ownership(request.user, service)
            messages.success(request, f"You now own {service.name}.")
        else:
            ops.decline_ownership(request.user, service, request.POST.get("reason", ""))
            messages.info(request, f"You declined ownership of {service.name}.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("services:detail", pk=service.pk)
