"""The catalog: categories, items (each with its order form as data); administrators add and
change items."""

from __future__ import annotations

from django.db.models import Q
from ninja import Query
from ninja.responses import Status as HttpStatus

from steward.core.api_input import Id
from steward.core.api_support import ERRORS, PageParams, paginate, visible_ref, visible_refs
from steward.core.errors import NotFound
from steward.fulfilment import operations as ops
from steward.fulfilment import rules
from steward.fulfilment.api.common import (
    catalog_item_for,
    catalog_item_out,
    catalog_items_for,
    router,
)
from steward.fulfilment.models import CatalogCategory, CatalogItem
from steward.fulfilment.schemas import (
    CatalogCategoryOut,
    CatalogFilters,
    CatalogItemForAudience,
    CatalogItemIn,
    CatalogItemOut,
    CatalogItemPage,
    CatalogItemPatch,
)
from steward.people.models import Organization, SupportGroup, User
from steward.services.models import Service


@router.get(
    "/catalog/categories",
    response={200: list[CatalogCategoryOut], **ERRORS},
    summary="Catalog categories (the active ones; IT staff every one)",
)
def list_categories(request):
    rows = CatalogCategory.objects.for_user(request.auth, "view").order_by("order", "name", "id")
    return [
        {
            "id": c.pk,
            "name": c.name,
            "description": c.description,
            "parent": c.parent_id,
            "order": c.order,
            "is_active": c.is_active,
        }
        for c in rows
    ]


@router.get(
    "/catalog/items",
    response={200: CatalogItemPage, **ERRORS},
    summary="Catalog items you may order",
    description="Requesters: the active items whose audience includes them "
    "(RequesterCatalogItemOut). IT staff: every active item (CatalogItemOut); administrators "
    "also the inactive ones with `include_inactive`.",
)
def list_catalog_items(request, filters: Query[CatalogFilters], page: Query[PageParams]):
    user = request.auth
    qs = CatalogItem.objects.for_user(user, "view")
    if not (filters.include_inactive and rules.is_admin(user)):
        qs = qs.filter(is_active=True)
    if filters.category:
        qs = qs.filter(category_id=filters.category)
    if filters.service:
        qs = qs.filter(service_id=filters.service)
    for word in filters.q.split()[:10]:
        qs = qs.filter(Q(name__icontains=word) | Q(summary__icontains=word))
    qs = catalog_items_for(user, qs.order_by("name", "id"))
    return paginate(qs, page, lambda c: catalog_item_out(user, c))


@router.get(
    "/catalog/items/{item_id}",
    response={200: CatalogItemForAudience, **ERRORS},
    summary="One catalog item with its order form (`form`: the questions as data)",
)
def get_catalog_item(request, item_id: Id):
    return catalog_item_out(request.auth, catalog_item_for(request.auth, item_id))


def _refs(actor, data: dict) -> dict:
    found = {}
    for name, model, label in (
        ("service", Service, "Service"),
        ("category", CatalogCategory, "Category"),
        ("fulfilment_group", SupportGroup, "Group"),
        ("owner", User, "User"),
    ):
        if name in data and data[name] is not None:
            found[name] = visible_ref(model.objects, actor, name, data[name], label)
        elif name in data:
            found[name] = None
    if data.get("organizations") is not None:
        found["organizations"] = _many(actor, Organization, "organizations", data["organizations"])
    if data.get("groups") is not None:
        found["groups"] = _many(actor, SupportGroup, "groups", data["groups"])
    return found


def _many(actor, model, field, ids):
    return visible_refs(model.objects, actor, field, ids, field)


@router.post(
    "/catalog/items",
    response={201: CatalogItemOut, **ERRORS},
    summary="Add a catalog item (administrators)",
)
def create_catalog_item(request, payload: CatalogItemIn):
    actor = request.auth
    if not actor.is_it:
        raise NotFound("Not found.")
    data = payload.dict()
    refs = _refs(actor, data)
    item = ops.create_catalog_item(
        actor,
        name=data["name"],
        summary=data["summary"],
        description=data["description"],
        service=refs["service"],
        category=refs["category"],
        fulfilment_group=refs["fulfilment_group"],
        audience=data["audience"],
        organizations=refs.get("organizations", ()),
        groups=refs.get("groups", ()),
        form=data["form"],
        approval_flow=data["approval_flow"],
        task_templates=data["task_templates"],
        target_hours=data["target_hours"],
        is_active=data["is_active"],
        owner=refs.get("owner"),
    )
    return HttpStatus(201, catalog_item_out(actor, catalog_item_for(actor, item.pk)))


@router.patch(
    "/catalog/items/{item_id}",
    response={200: CatalogItemOut, **ERRORS},
    summary="Change a catalog item (administrators and its owner; with the version read)",
)
def update_catalog_item(request, item_id: Id, payload: CatalogItemPatch):
    actor = request.auth
    if not actor.is_it:
        raise NotFound("Not found.")
    item = catalog_item_for(actor, item_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    nullable = {"target_hours", "owner"}
    data = {k: v for k, v in data.items() if v is not None or k in nullable}
    changes = {k: v for k, v in data.items() if k not in _REF_FIELDS}
    changes |= _refs(actor, {k: v for k, v in data.items() if k in _REF_FIELDS})
    ops.update_catalog_item(actor, item, version=version, **changes)
    return catalog_item_out(actor, catalog_item_for(actor, item.pk))


_REF_FIELDS = {"service", "category", "fulfilment_group", "owner", "organizations", "groups"}
