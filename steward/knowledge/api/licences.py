"""KCS licences: who may do what in which knowledge domain. IT staff read them;
administrators and the knowledge process owner grant, change and revoke them."""

from __future__ import annotations

from ninja import Query
from ninja.responses import Status as HttpStatus

from steward.core.api_input import Id
from steward.core.api_support import (
    ERRORS,
    PageParams,
    named_ref,
    page_of,
    paginate,
    person_brief,
    ref_or_422,
    visible_ref,
)
from steward.core.errors import NotFound
from steward.incidents.models import IncidentCategory
from steward.knowledge import operations as ops
from steward.knowledge.api.common import router
from steward.knowledge.models import Licence
from steward.knowledge.schemas import (
    KnowledgeVersionQuery,
    LicenceFilters,
    LicenceIn,
    LicenceOut,
    LicenceUpdate,
)
from steward.people.models import User
from steward.services.models import Service


def licence_out(lic: Licence) -> dict:
    return {
        "id": lic.pk,
        "user": person_brief(lic.user),
        "level": lic.level,
        "service": named_ref(lic.service),
        "category": named_ref(lic.category),
        "coach": lic.coach,
        "granted_by": person_brief(lic.granted_by),
        "created_at": lic.created_at,
        "version": lic.version,
    }


def _licences(user):
    if not user.is_it:
        raise NotFound("Not found.")
    return Licence.objects.for_user(user, "view").select_related(
        "user", "service", "category", "granted_by"
    )


def _licence(user, licence_id: int) -> Licence:
    licence = _licences(user).filter(pk=licence_id).first()
    if licence is None:
        raise NotFound(f"Licence {licence_id} not found.")
    return licence


@router.get(
    "/licences",
    response={200: page_of(LicenceOut), **ERRORS},
    summary="Knowledge licences (IT staff)",
)
def list_licences(request, filters: Query[LicenceFilters], page: Query[PageParams]):
    qs = _licences(request.auth)
    if filters.user is not None:
        qs = qs.filter(user_id=filters.user)
    if filters.level is not None:
        qs = qs.filter(level=filters.level)
    if filters.coach is not None:
        qs = qs.filter(coach=filters.coach)
    return paginate(qs.order_by("user__username", "id"), page, licence_out)


@router.post(
    "/licences",
    response={201: LicenceOut, **ERRORS},
    summary="Grant a licence in a domain (a service, a category, or every domain)",
)
def grant_licence(request, payload: LicenceIn):
    actor = request.auth
    _licences(actor)
    licence = ops.grant_licence(
        actor,
        user=visible_ref(User.objects, actor, "user", payload.user, "user"),
        level=payload.level,
        service=visible_ref(Service.objects, actor, "service", payload.service, "service"),
        category=ref_or_422(IncidentCategory.objects, "category", payload.category, "category"),
        coach=payload.coach,
    )
    return HttpStatus(201, licence_out(_licence(actor, licence.pk)))


@router.patch(
    "/licences/{licence_id}",
    response={200: LicenceOut, **ERRORS},
    summary="Change a licence's level or coaching",
)
def change_licence(request, licence_id: Id, payload: LicenceUpdate):
    actor = request.auth
    licence = _licence(actor, licence_id)
    data = payload.dict(exclude_unset=True)
    ops.change_licence(
        actor, licence, version=data["version"], level=data.get("level"), coach=data.get("coach")
    )
    return licence_out(_licence(actor, licence_id))


@router.delete(
    "/licences/{licence_id}",
    response={204: None, **ERRORS},
    summary="Revoke a licence (`version` as a query parameter)",
)
def revoke_licence(request, licence_id: Id, query: Query[KnowledgeVersionQuery]):
    actor = request.auth
    licence = _licence(actor, licence_id)
    ops.revoke_licence(actor, licence, version=query.version)
    return HttpStatus(204, None)
