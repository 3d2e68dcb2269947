"""CMDB API: CI classes, configuration items, relationships, service links and impact analysis.

IT staff read the CMDB; requesters see none of it (empty lists, 404 on a single CI).
Administrators define classes; administrators and a CI's owner group change CIs and relate them;
administrators and the service owner link CIs to a service.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Query, Router
from ninja.responses import Status

from steward.core.api_input import Id
from steward.core.api_support import ERRORS, PageParams, page_of, paginate, visible_ref
from steward.core.errors import NotFound
from steward.core.operations import get_visible, require_admin
from steward.people.models import SupportGroup
from steward.services import impact, lists
from steward.services import operations as ops
from steward.services.models import CIClass, CIRelationship, ConfigurationItem, Service, ServiceCI
from steward.services.schemas import (
    CIClassCreate,
    CIClassOut,
    CIClassUpdate,
    CICreate,
    CIFilters,
    CIOut,
    CIUpdate,
    CsvImportIn,
    CsvImportOut,
    ImpactOut,
    RelationshipCreate,
    RelationshipFilters,
    RelationshipOut,
    ServiceCICreate,
    ServiceCIFilters,
    ServiceCIOut,
)

router = Router(tags=["cmdb"])

#: The operation ids these endpoints had when they lived in ``services/cmdb_api.py``: clients
#: generated from the OpenAPI document rely on them, so moving the module renames nothing.
LEGACY_ID = "steward_services_cmdb_api_"

# --- helpers ------------------------------------------------------------------------------------


def _ref(ci: ConfigurationItem) -> dict:
    return {"id": ci.pk, "name": ci.name, "ci_class": ci.ci_class.name}


def class_out(c: CIClass) -> dict:
    return {
        "id": c.pk,
        "name": c.name,
        "description": c.description,
        "attribute_schema": c.attribute_schema,
        "ci_count": c.ci_count,
        "version": c.version,
    }


def ci_out(ci: ConfigurationItem) -> dict:
    g = ci.owner_group
    return {
        "id": ci.pk,
        "name": ci.name,
        "ci_class": {"id": ci.ci_class.pk, "name": ci.ci_class.name},
        "status": ci.status,
        "environment": ci.environment,
        "owner_group": {"id": g.pk, "name": g.name} if g else None,
        "description": ci.description,
        "attributes": ci.attributes,
        "version": ci.version,
    }


def rel_out(r: CIRelationship) -> dict:
    return {"id": r.pk, "source": _ref(r.source), "type": r.type, "target": _ref(r.target)}


def _classes():
    return CIClass.objects.annotate(ci_count=Count("cis"))


def _cis():
    return ConfigurationItem.objects.select_related("ci_class", "owner_group")


def _rels():
    return CIRelationship.objects.select_related("source__ci_class", "target__ci_class")


# --- CI classes ---------------------------------------------------------------------------------


@router.get(
    "/ci-classes",
    response={200: page_of(CIClassOut), **ERRORS},
    summary="CI classes",
    operation_id=LEGACY_ID + "list_classes",
)
def list_classes(request, page: Query[PageParams]):
    return paginate(_classes().for_user(request.auth, "view").order_by("name"), page, class_out)


@router.post(
    "/ci-classes",
    response={201: CIClassOut, **ERRORS},
    summary="Define a CI class (admins)",
    operation_id=LEGACY_ID + "create_class",
)
def create_class(request, payload: CIClassCreate):
    c = ops.create_ci_class(request.auth, **payload.dict())
    return Status(201, class_out(get_visible(_classes(), request.auth, c.pk, "CI class")))


@router.get(
    "/ci-classes/{class_id}",
    response={200: CIClassOut, **ERRORS},
    summary="A CI class",
    operation_id=LEGACY_ID + "get_class",
)
def get_class(request, class_id: Id):
    return class_out(get_visible(_classes(), request.auth, class_id, "CI class"))


@router.patch(
    "/ci-classes/{class_id}",
    response={200: CIClassOut, **ERRORS},
    summary="Change a CI class",
    operation_id=LEGACY_ID + "update_class",
)
def update_class(request, class_id: Id, payload: CIClassUpdate):
    c = get_visible(CIClass.objects, request.auth, class_id, "CI class")
    data = payload.dict(exclude_unset=True)
    ops.update_ci_class(request.auth, c, version=data.pop("version"), **data)
    return class_out(get_visible(_classes(), request.auth, class_id, "CI class"))


# --- CIs ----------------------------------------------------------------------------------------


@router.get(
    "/cis",
    response={200: page_of(CIOut), **ERRORS},
    summary="Configuration items",
    operation_id=LEGACY_ID + "list_cis",
)
def list_cis(request, filters: Query[CIFilters], page: Query[PageParams]):
    qs = lists.filter_cis(_cis().for_user(request.auth, "view"), **filters.dict())
    return paginate(qs.distinct().order_by("name", "id"), page, ci_out)


def _ci_refs(actor, data: dict) -> dict:
    if "ci_class" in data:
        data["ci_class"] = visible_ref(
            CIClass.objects, actor, "ci_class", data["ci_class"], "CI class"
        )
    if "owner_group" in data:
        data["owner_group"] = visible_ref(
            SupportGroup.objects, actor, "owner_group", data["owner_group"], "group"
        )
    return data


@router.post(
    "/cis",
    response={201: CIOut, **ERRORS},
    summary="Record a configuration item",
    operation_id=LEGACY_ID + "create_ci",
)
def create_ci(request, payload: CICreate):
    ci = ops.create_ci(request.auth, **_ci_refs(request.auth, payload.dict()))
    return Status(201, ci_out(get_visible(_cis(), request.auth, ci.pk, "CI")))


# --- CSV import (declared before /cis/{ci_id} so that "import" is not read as an id) --------


@router.post(
    "/cis/import",
    response={200: CsvImportOut, **ERRORS},
    summary="Import CIs from CSV (admins): all rows or none; errors name row and column",
    description=(
        "Columns: `name`, `class` (required), `status`, `environment`, `owner_group` (a group "
        "name), `description`, and `attr:<attribute>` per attribute. A CI with the same class "
        "and name is updated. Errors are reported in `fields` as `rows.<line>.<column>`, "
        "counting the header as line 1; when any row is wrong nothing is imported."
    ),
    operation_id=LEGACY_ID + "import_cis",
)
def import_cis(request, payload: CsvImportIn):
    return ops.import_cis(request.auth, payload.csv)


@router.post(
    "/ci-relationships/import",
    response={200: CsvImportOut, **ERRORS},
    summary="Import CI relationships from CSV (admins): all rows or none",
    description=(
        "Columns: `source`, `type`, `target` (CI names), and `source_class` / `target_class` "
        "where a name is used in several classes. Existing relationships are left as they are."
    ),
    operation_id=LEGACY_ID + "import_relationships",
)
def import_relationships(request, payload: CsvImportIn):
    return ops.import_relationships(request.auth, payload.csv)


@router.get(
    "/cis/{ci_id}",
    response={200: CIOut, **ERRORS},
    summary="One configuration item",
    operation_id=LEGACY_ID + "get_ci",
)
def get_ci(request, ci_id: Id):
    return ci_out(get_visible(_cis(), request.auth, ci_id, "CI"))


@router.patch(
    "/cis/{ci_id}",
    response={200: CIOut, **ERRORS},
    summary="Change a CI",
    operation_id=LEGACY_ID + "update_ci",
)
def update_ci(request, ci_id: Id, payload: CIUpdate):
    ci = get_visible(_cis(), request.auth, ci_id, "CI")
    data = payload.dict(exclude_unset=True)
    ops.update_ci(request.auth, ci, version=data.pop("version"), **_ci_refs(request.auth, data))
    return ci_out(get_visible(_cis(), request.auth, ci_id, "CI"))


@router.get(
    "/cis/{ci_id}/impact",
    response={200: ImpactOut, **ERRORS},
    summary="Services affected when this CI fails, with owners, customers and the path",
    operation_id=LEGACY_ID + "ci_impact",
)
def ci_impact(request, ci_id: Id):
    return impact.analyse(get_visible(_cis(), request.auth, ci_id, "CI"))


# --- relationships ------------------------------------------------------------------------------


@router.get(
    "/ci-relationships",
    response={200: page_of(RelationshipOut), **ERRORS},
    summary="CI relationships",
    operation_id=LEGACY_ID + "list_relationships",
)
def list_relationships(request, filters: Query[RelationshipFilters], page: Query[PageParams]):
    qs = _rels().for_user(request.auth, "view")
    if filters.ci is not None:
        qs = qs.filter(Q(source_id=filters.ci) | Q(target_id=filters.ci))
    if filters.type:
        qs = qs.filter(type=filters.type)
    return paginate(qs.order_by("id"), page, rel_out)


@router.post(
    "/ci-relationships",
    response={201: RelationshipOut, **ERRORS},
    summary="Relate two CIs: source <type> target",
    operation_id=LEGACY_ID + "create_relationship",
)
def create_relationship(request, payload: RelationshipCreate):
    source = visible_ref(_cis(), request.auth, "source", payload.source, "CI")
    target = visible_ref(_cis(), request.auth, "target", payload.target, "CI")
    rel = ops.create_relationship(request.auth, source=source, target=target, type=payload.type)
    return Status(201, rel_out(_rels().get(pk=rel.pk)))


@router.delete(
    "/ci-relationships/{rel_id}",
    response={204: None, **ERRORS},
    summary="Remove a relationship",
    operation_id=LEGACY_ID + "delete_relationship",
)
def delete_relationship(request, rel_id: Id):
    ops.delete_relationship(
        request.auth, get_visible(_rels(), request.auth, rel_id, "Relationship")
    )
    return Status(204, None)


# --- service ↔ CI -------------------------------------------------------------------------------


def link_out(link: ServiceCI) -> dict:
    return {
        "id": link.pk,
        "service": {"id": link.service.pk, "name": link.service.name},
        "ci": _ref(link.ci),
    }


def _links():
    return ServiceCI.objects.select_related("service", "ci__ci_class")


@router.get(
    "/service-cis",
    response={200: page_of(ServiceCIOut), **ERRORS},
    summary="Which CIs deliver which services",
    operation_id=LEGACY_ID + "list_links",
)
def list_links(request, filters: Query[ServiceCIFilters], page: Query[PageParams]):
    qs = _links().for_user(request.auth, "view")
    if filters.service is not None:
        qs = qs.filter(service_id=filters.service)
    if filters.ci is not None:
        qs = qs.filter(ci_id=filters.ci)
    return paginate(qs.order_by("id"), page, link_out)


@router.post(
    "/service-cis",
    response={201: ServiceCIOut, **ERRORS},
    summary="Link a CI to the service it delivers (admins and the service owner)",
    operation_id=LEGACY_ID + "create_link",
)
def create_link(request, payload: ServiceCICreate):
    if not request.auth.is_it:
        require_admin(request.auth, gettext_lazy("link CIs to services"))
    service = visible_ref(Service.objects, request.auth, "service", payload.service, "service")
    ci = visible_ref(_cis(), request.auth, "ci", payload.ci, "CI")
    link = ops.link_service_ci(request.auth, service=service, ci=ci)
    return Status(201, link_out(_links().get(pk=link.pk)))


@router.delete(
    "/service-cis/{link_id}",
    response={204: None, **ERRORS},
    summary="Unlink a CI from a service",
    operation_id=LEGACY_ID + "delete_link",
)
def delete_link(request, link_id: Id):
    link = _links().for_user(request.auth, "view").filter(pk=link_id).first()
    if link is None:
        raise NotFound(_("Link %(id)s not found.") % {"id": link_id})
    ops.unlink_service_ci(request.auth, link)
    return Status(204, None)
