"""Pages of the service portfolio: the list, one service, and the writes its owner and the
administrators make from it. Every read goes through ``Service.objects.for_user``; every write
calls an operation and shows its error beside the field it names (or, for a stale version, who
changed the service meanwhile). Requesters see the live services of their organization."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from steward.core import journal
from steward.core.errors import DomainError, StaleVersion
from steward.core.registry import detail_panels
from steward.people import conflicts
from steward.people.forms import add_domain_error
from steward.people.models import Organization, User
from steward.services import lists, rules
from steward.services import operations as ops
from steward.services.choices import Lifecycle, OwnershipStatus, SupportLine
from steward.services.forms import (
    LifecycleForm,
    LinkCIForm,
    ProposeOwnerForm,
    ServiceCreateForm,
    ServiceEditForm,
    ServiceFilterForm,
    resolve_ci,
)
from steward.services.models import (
    ConfigurationItem,
    OwnershipProposal,
    Service,
    ServiceCI,
    ServiceDependency,
    ServiceSupport,
)

PAGE_SIZE = 50
HISTORY_LIMIT = 50

#: The button that moves a service to each lifecycle state.
MOVE_LABELS = {
    Lifecycle.LIVE: gettext_lazy("Go live"),
    Lifecycle.RETIRED: gettext_lazy("Retire"),
    Lifecycle.PIPELINE: gettext_lazy("Back to pipeline"),
}


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
    sort = lists.clean_service_sort(request.GET.get("sort"))
    services = (
        form.apply(visible)
        .select_related("owner")
        .annotate(customer_count=_customer_count())
        .order_by(*lists.service_ordering(sort))
    )
    context = {
        "form": form,
        "sort": sort,
        "page_obj": Paginator(services, PAGE_SIZE).get_page(request.GET.get("page")),
        "results_template": "services/_service_results.html",
        "may_create": rules.may_create_service(request.user),
    }
    partial = request.htmx.target == "results"
    template = "services/_service_results.html" if partial else "services/service_list.html"
    return render(request, template, context)


def _service(request, pk: int) -> Service:
    visible = Service.objects.for_user(request.user, "view").select_related("owner")
    return get_object_or_404(_with_pending(visible), pk=pk)


def _editable(request, pk: int) -> Service:
    service = _service(request, pk)
    if not rules.may_edit_service(request.user, service):
        raise DjangoPermissionDenied
    return service


@dataclass(frozen=True)
class Pending:
    """A proposal waiting for its proposed owner, as the service page shows it."""

    proposed_owner_id: int
    name: str


def _with_pending(services):
    """``services`` with the pending ownership proposal's person read in the same statement (a
    service has at most one pending proposal: a constraint)."""
    pending = OwnershipProposal.objects.filter(
        service=OuterRef("pk"), status=OwnershipStatus.PENDING
    )
    person = {
        f"pending_{field}": Subquery(pending.values(f"proposed_owner__{field}")[:1])
        for field in ("id", "first_name", "last_name", "username")
    }
    return services.annotate(**person)


def _pending(service: Service) -> Pending | None:
    if getattr(service, "pending_id", None) is None:
        return None
    full = f"{service.pending_first_name} {service.pending_last_name}".strip()
    return Pending(service.pending_id, full or service.pending_username)


def _detail(request, service: Service, *, status: int = 200, **forms):
    """The service page; ``forms`` are bound forms that failed, shown with their errors."""
    user = request.user
    pending = _pending(service)
    actions = rules.service_actions(user, service, pending)
    support = {line: [] for line in SupportLine.values}
    for row in ServiceSupport.objects.filter(service=service).select_related("group"):
        support[row.line].append(row.group)
    # The change history is IT's working record; requesters see the service, not its audit.
    history = journal.history(service).order_by("-id")[:HISTORY_LIMIT] if user.is_it else None
    # what it depends on and what depends on it, in one statement (the dependents the reader
    # may see: a requester's are their organization's live services)
    edges = (
        ServiceDependency.objects.filter(
            Q(service=service)
            | Q(depends_on=service, service__in=Service.objects.for_user(user, "view"))
        )
        .select_related("service", "depends_on")
        .order_by("depends_on__name", "service__name")
    )
    links = (
        ServiceCI.objects.for_user(user, "view")
        .filter(service=service)
        .select_related("ci__ci_class")
        .order_by("ci__name", "ci_id")
    )
    context = {
        "service": service,
        "customers": Organization.objects.for_user(user, "view").filter(services=service),
        "history": history,
        "panels": detail_panels(service, user),
        "support": [
            (SupportLine(line).label, groups) for line, groups in support.items() if groups
        ],
        "depends_on": [d.depends_on for d in edges if d.service_id == service.pk],
        "dependents": [d.service for d in edges if d.depends_on_id == service.pk],
        "links": links if rules.may_read_cmdb(user) else None,
        "pending": pending,
        "actions": actions,
        "moves": [(state, MOVE_LABELS[state]) for state in rules.lifecycle_moves(service)],
        "propose_form": forms.get("propose_form")
        or (ProposeOwnerForm(service=service) if "edit" in actions else None),
        "link_form": forms.get("link_form") or LinkCIForm(auto_id="link_%s"),
        "lifecycle_error": forms.get("lifecycle_error"),
    }
    return render(request, "services/service_detail.html", context, status=status)


@login_required
@require_GET
def service_detail(request, pk: int):
    return _detail(request, _service(request, pk))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def service_create(request):
    if not request.user.is_it:
        raise Http404
    if not rules.may_create_service(request.user):
        raise DjangoPermissionDenied
    form = ServiceCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service = ops.create_service(request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("%(name)s has been recorded.") % {"name": service.name})
            return redirect(service)
    return render(request, "services/service_form.html", {"form": form, "service": None})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def service_edit(request, pk: int):
    service = _editable(request, pk)
    conflict, status = None, 200
    if request.method != "POST":
        initial = ServiceEditForm.initial_for(service, conflicts.last_seen(service))
        form = ServiceEditForm(initial=initial, service=service)
    else:
        form = ServiceEditForm(request.POST, service=service)
        if form.is_valid():
            try:
                ops.edit_service(
                    request.user, service, version=form.cleaned_data["version"], **form.changes
                )
            except StaleVersion as exc:
                service = _service(request, pk)
                conflict, status = conflicts.stale_edit(form, service, exc.current), 409
            except DomainError as exc:
                service = _service(request, pk)
                add_domain_error(form, exc)
                status = 422
            else:
                messages.success(request, _("%(name)s has been saved.") % {"name": service.name})
                return redirect(service)
        else:
            status = 422
    context = {"form": form, "service": service, "conflict": conflict}
    return render(request, "services/service_form.html", context, status=status)


@login_required
@require_POST
def service_lifecycle(request, pk: int):
    """Move the service along its lifecycle (a button per allowed move)."""
    service = _editable(request, pk)
    form = LifecycleForm(request.POST)
    if not form.is_valid():
        return _detail(request, service, status=422, lifecycle_error=_("Choose a known state."))
    target = form.cleaned_data["status"]
    try:
        ops.update_service(
            request.user, service, version=form.cleaned_data["version"], status=target
        )
    except StaleVersion:
        service = _service(request, pk)
        error = _(
            "Someone changed the service while you were looking at it: it is now "
            "%(status)s. Check the page and choose again."
        ) % {"status": service.get_status_display()}
        return _detail(request, service, status=409, lifecycle_error=error)
    except DomainError as exc:
        return _detail(request, _service(request, pk), status=409, lifecycle_error=exc.message)
    messages.success(
        request,
        _("%(name)s is now %(status)s.")
        % {"name": service.name, "status": Lifecycle(target).label.lower()},
    )
    return redirect(service)


@login_required
@require_POST
def propose_owner(request, pk: int):
    service = _editable(request, pk)
    form = ProposeOwnerForm(request.POST, service=service)
    if form.is_valid():
        owner = form.cleaned_data["owner"]
        try:
            ops.propose_owner(request.user, service, owner, form.cleaned_data["note"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("%(person)s is asked to accept ownership of %(name)s.")
                % {"person": owner.display_name, "name": service.name},
            )
            return redirect(service)
    return _detail(request, _service(request, pk), status=422, propose_form=form)


@login_required
@require_POST
def ownership_decision(request, pk: int, decision: str):
    """The proposed owner accepts or declines ownership (POST only, CSRF-protected)."""
    service = _service(request, pk)
    try:
        if decision == "accept":
            ops.accept_ownership(request.user, service)
            messages.success(request, _("You now own %(name)s.") % {"name": service.name})
        else:
            ops.decline_ownership(request.user, service, request.POST.get("reason", ""))
            messages.info(
                request, _("You declined ownership of %(name)s.") % {"name": service.name}
            )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(service)


@login_required
@require_POST
def link_ci(request, pk: int):
    service = _editable(request, pk)
    form = LinkCIForm(request.POST, auto_id="link_%s")
    if form.is_valid():
        ci = resolve_ci(form, "ci", ConfigurationItem.objects.for_user(request.user, "view"))
        if ci is not None:
            try:
                ops.link_service_ci(request.user, service=service, ci=ci)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(
                    request,
                    _("%(ci)s now delivers %(name)s.") % {"ci": ci.name, "name": service.name},
                )
                return redirect(service)
    return _detail(request, service, status=422, link_form=form)


@login_required
@require_POST
def unlink_ci(request, pk: int, link_pk: int):
    service = _editable(request, pk)
    link = get_object_or_404(
        ServiceCI.objects.for_user(request.user, "view").select_related("ci"),
        pk=link_pk,
        service=service,
    )
    try:
        ops.unlink_service_ci(request.user, link)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(ci)s no longer delivers %(name)s.") % {"ci": link.ci.name, "name": service.name},
        )
    return redirect(service)
