"""Services API: the service portfolio: owners who signed up, supporting groups by line,
dependencies, customers and review dates."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from steward.core.api_input import Id
from steward.core.api_support import (
    ERRORS,
    PageParams,
    page_of,
    paginate,
    person_brief,
    visible_ref,
    visible_refs,
)
from steward.core.errors import ValidationError
from steward.core.operations import get_visible
from steward.people.models import Organization, SupportGroup, User
from steward.services import lists
from steward.services import operations as ops
from steward.services.choices import OwnershipStatus, SupportLine
from steward.services.models import (
    OwnershipProposal,
    Service,
    ServiceDependency,
    ServiceSupport,
)
from steward.services.schemas import (
    DeclineIn,
    DependenciesIn,
    ServiceCreate,
    ServiceFilters,
    ServiceOut,
    ServiceUpdate,
    SupportIn,
)

router = Router(tags=["services"])


def service_out(s: Service) -> dict:
    support = {line: [] for line in SupportLine.values}
    for row in s.support.all():
        support[row.line].append({"id": row.group_id, "name": row.group.name})
    pending = next(iter(s.pending_proposals), None)
    return {
        "id": s.pk,
        "name": s.name,
        "description": s.description,
        "kind": s.kind,
        "owner": person_brief(s.owner),
        "owner_accepted_at": s.owner_accepted_at,
        "pending_owner": person_brief(pending.proposed_owner) if pending else None,
        "criticality": s.criticality,
        "status": s.status,
        "review_date": s.review_date,
        "customers": [{"id": o.pk, "name": o.name} for o in s.customers.all()],
        "support": support,
        "depends_on": [
            {"id": d.depends_on_id, "name": d.depends_on.name} for d in s.dependencies.all()
        ],
        "version": s.version,
    }


def _services():
    return Service.objects.select_related("owner").prefetch_related(
        Prefetch("customers", queryset=Organization.objects.order_by("name")),
        Prefetch(
            "support",
            queryset=ServiceSupport.objects.select_related("group").order_by("group__name"),
        ),
        Prefetch(
            "dependencies",
            queryset=ServiceDependency.objects.select_related("depends_on").order_by(
                "depends_on__name"
            ),
        ),
        Prefetch(
            "ownership_proposals",
            to_attr="pending_proposals",
            queryset=OwnershipProposal.objects.filter(
                status=OwnershipStatus.PENDING
            ).select_related("proposed_owner"),
        ),
    )


def _owner(actor, pk: int) -> User:
    return visible_ref(User.objects, actor, "owner", pk, "user")


def _orgs(actor, pks: list[int]) -> list[Organization]:
    return visible_refs(Organization.objects, actor, "customers", pks, "organizations")


@router.get("", response={200: page_of(ServiceOut), **ERRORS}, summary="List services")
def list_services(request, filters: Query[ServiceFilters], page: Query[PageParams]):
    qs = lists.filter_services(
        _services().for_user(request.auth, "view").order_by("name"),
        q=filters.q,
        status=filters.status,
        criticality=filters.criticality,
        owner=filters.owner,
        customer=filters.customer,
    )
    return paginate(qs.distinct(), page, service_out)


@router.post("", response={201: ServiceOut, **ERRORS}, summary="Create a service (admins)")
def create_service(request, payload: ServiceCreate):
    data = payload.dict()
    data["owner"] = _owner(request.auth, data["owner"])
    data["customers"] = _orgs(request.auth, data["customers"])
    service = ops.create_service(request.auth, **data)
    return Status(201, service_out(get_visible(_services(), request.auth, service.pk, "Service")))


@router.get("/{service_id}", response={200: ServiceOut, **ERRORS}, summary="One service")
def get_service(request, service_id: Id):
    return service_out(get_visible(_services(), request.auth, service_id, "Service"))


@router.patch("/{service_id}", response={200: ServiceOut, **ERRORS}, summary="Change a service")
def update_service(request, service_id: Id, payload: ServiceUpdate):
    service = get_visible(_services(), request.auth, service_id, "Service")
    data = payload.dict(exclude_unset=True)
    if "owner" in data:
        data["owner"] = _owner(request.auth, data["owner"]) if data["owner"] is not None else None
    if "customers" in data:
        if data["customers"] is None:
            raise ValidationError.field("customers", _("must be a list of organization ids"))
        data["customers"] = _orgs(request.auth, data["customers"])
    ops.update_service(request.auth, service, version=data.pop("version"), **data)
    return service_out(get_visible(_services(), request.auth, service.pk, "Service"))


def _service(actor, service_id: int) -> Service:
    return get_visible(_services(), actor, service_id, "Service")


@router.post(
    "/{service_id}/ownership/accept",
    response={200: ServiceOut, **ERRORS},
    summary="The proposed owner accepts ownership of the service",
)
def accept_ownership(request, service_id: Id):
    ops.accept_ownership(request.auth, _service(request.auth, service_id))
    return service_out(_service(request.auth, service_id))


@router.post(
    "/{service_id}/ownership/decline",
    response={200: ServiceOut, **ERRORS},
    summary="The proposed owner declines ownership, saying why",
)
def decline_ownership(request, service_id: Id, payload: DeclineIn):
    ops.decline_ownership(request.auth, _service(request.auth, service_id), payload.reason)
    return service_out(_service(request.auth, service_id))


@router.put(
    "/{service_id}/support",
    response={200: ServiceOut, **ERRORS},
    summary="Set the groups that support the service at one line",
)
def set_support(request, service_id: Id, payload: SupportIn):
    service = _service(request.auth, service_id)
    groups = visible_refs(SupportGroup.objects, request.auth, "groups", payload.groups, "groups")
    ops.set_support(request.auth, service, payload.line, groups)
    return service_out(_service(request.auth, service_id))


@router.put(
    "/{service_id}/dependencies",
    response={200: ServiceOut, **ERRORS},
    summary="Set the services this service depends on",
)
def set_dependencies(request, service_id: Id, payload: DependenciesIn):
    service = _service(request.auth, service_id)
    targets = visible_refs(
        Service.objects, request.auth, "depends_on", payload.depends_on, "services"
    )
    ops.set_dependencies(request.auth, service, targets)
    return service_out(_service(request.auth, service_id))
