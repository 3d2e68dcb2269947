"""The service and CI lists, defined once for the pages and the API: their filters and sorts.
``GET /api/v1/services``, ``GET /api/v1/cis`` and the list pages read through these functions,
so a filter or a sort means the same everywhere."""

from __future__ import annotations

from django.db.models import Q

#: ?sort= keys of the service list and the columns each orders by, ascending; "-key" is the exact
#: reverse. Ties go by name A to Z.
SERVICE_SORTS = {
    "name": ("name",),
    "criticality": ("criticality",),
    "status": ("status",),
    "owner": ("owner__last_name", "owner__first_name", "owner__username"),
    "updated": ("updated_at",),
}

#: ?sort= keys of the CI list; ties by name, then id (CIs of two classes may share a name).
CI_SORTS = {
    "name": ("name", "id"),
    "class": ("ci_class__name",),
    "status": ("status",),
    "environment": ("environment",),
    "group": ("owner_group__name",),
}


def _clean(sorts: dict, value: str | None) -> str:
    return value if value and value.removeprefix("-") in sorts else "name"


def _order(sorts: dict, sort: str, tie: tuple[str, ...]) -> tuple[str, ...]:
    key = sort.removeprefix("-")
    fields = tuple(f"-{f}" for f in sorts[key]) if sort.startswith("-") else sorts[key]
    return fields if key == "name" else (*fields, *tie)


def clean_service_sort(value: str | None) -> str:
    """The ?sort= value if it is a known order of the service list, else "name"."""
    return _clean(SERVICE_SORTS, value)


def service_ordering(sort: str) -> tuple[str, ...]:
    return _order(SERVICE_SORTS, sort, ("name",))


def clean_ci_sort(value: str | None) -> str:
    """The ?sort= value if it is a known order of the CI list, else "name"."""
    return _clean(CI_SORTS, value)


def ci_ordering(sort: str) -> tuple[str, ...]:
    return _order(CI_SORTS, sort, ("name", "id"))


def filter_services(
    services, *, q=None, status=None, criticality=None, owner=None, customer=None, kind=None
):
    """``services`` narrowed by each filter that is set (ids or model instances alike).

    The customer filter joins the customers table: callers that use it take ``.distinct()``
    (a service has one row per customer)."""
    if text := (q or "").strip():
        services = services.filter(Q(name__icontains=text) | Q(description__icontains=text))
    if status:
        services = services.filter(status=status)
    if criticality:
        services = services.filter(criticality=criticality)
    if owner is not None:
        services = services.filter(owner=owner)
    if customer is not None:
        services = services.filter(customers=customer)
    if kind:
        services = services.filter(kind=kind)
    return services


def filter_cis(
    cis,
    *,
    q=None,
    ci_class=None,
    status=None,
    environment=None,
    owner_group=None,
    no_owner_group=None,
    service=None,
):
    """``cis`` narrowed by each filter that is set; the text filter searches names."""
    if ci_class is not None:
        cis = cis.filter(ci_class=ci_class)
    if status:
        cis = cis.filter(status=status)
    if environment:
        cis = cis.filter(environment=environment)
    if owner_group is not None:
        cis = cis.filter(owner_group=owner_group)
    if no_owner_group:
        cis = cis.filter(owner_group__isnull=True)
    if service is not None:
        cis = cis.filter(service_links__service=service)
    if text := (q or "").strip():
        cis = cis.filter(name__icontains=text)
    return cis
