"""People API: /me, users, groups, organizations and personal API tokens. Thin: parse,
authorize through ``for_user``, call an operation, serialize."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from steward.core.api_input import Id, SearchText
from steward.core.api_support import (
    ERRORS,
    PageParams,
    page_of,
    paginate,
    person_brief,
    visible_ref,
    visible_refs,
)
from steward.core.errors import NotFound, ValidationError
from steward.core.operations import get_visible
from steward.people import operations as ops
from steward.people.models import (
    ApiToken,
    Organization,
    OrganizationContact,
    SupportGroup,
    User,
    UserRole,
)
from steward.people.schemas import (
    ContactCreate,
    ContactOut,
    ContactUpdate,
    GroupCreate,
    GroupDetail,
    GroupOut,
    GroupUpdate,
    MeOut,
    OrganizationCreate,
    OrganizationOut,
    OrganizationUpdate,
    TokenCreate,
    TokenCreated,
    TokenOut,
    UserCreate,
    UserFilters,
    UserOut,
    UserUpdate,
)

router = Router(tags=["people"])


# --- serializers ------------------------------------------------------------------------------


def user_out(u: User) -> dict:
    return {
        "id": u.pk,
        "username": u.username,
        "first_name": u.first_name,
        "last_name": u.last_name,
        "name": u.display_name,
        "email": u.email,
        "organization": u.organization_id,
        "line_manager": u.line_manager_id,
        "job_title": u.job_title,
        "phone": u.phone,
        "time_zone": u.time_zone,
        "language": u.language,
        "roles": sorted(u.roles),
        "is_active": u.is_active,
        "version": u.version,
    }


def group_out(g: SupportGroup, members: bool = False) -> dict:
    data = {
        "id": g.pk,
        "name": g.name,
        "description": g.description,
        "email": g.email,
        "manager": person_brief(g.manager),
        "is_active": g.is_active,
        "version": g.version,
    }
    if members:
        rows = list(g.members.all())
        data["members"] = [person_brief(m) for m in rows]
        data["member_count"] = len(rows)
    else:
        data["member_count"] = g.member_count
    return data


def _users():
    return User.objects.prefetch_related(Prefetch("role_rows", queryset=UserRole.objects.all()))


def _user_ref(actor, field: str, pk: int | None) -> User | None:
    return visible_ref(User.objects, actor, field, pk, "user")


def _users_ref(actor, field: str, pks: list[int]) -> list[User]:
    return visible_refs(User.objects, actor, field, pks, "users")


def _org_ref(actor, field: str, pk: int | None) -> Organization | None:
    return visible_ref(Organization.objects, actor, field, pk, "organization")


# --- me -----------------------------------------------------------------------------------------


@router.get("/me", response={200: MeOut, **ERRORS}, summary="The signed-in user")
def me(request):
    user = _users().get(pk=request.auth.pk)
    groups = list(user.support_groups.order_by("name").values("id", "name"))
    return {**user_out(user), "groups": groups, "is_admin": user.is_admin, "is_it": user.is_it}


# --- users --------------------------------------------------------------------------------------


@router.get("/users", response={200: page_of(UserOut), **ERRORS}, summary="List users")
def list_users(request, filters: Query[UserFilters], page: Query[PageParams]):
    qs = _users().for_user(request.auth, "view").order_by("username")
    if filters.group is not None:
        qs = qs.filter(support_groups=filters.group)
    if filters.organization is not None:
        qs = qs.filter(organization_id=filters.organization)
    if filters.role is not None:
        qs = qs.filter(role_rows__role=filters.role)
    if filters.is_active is not None:
        qs = qs.filter(is_active=filters.is_active)
    if filters.q:
        qs = qs.filter(
            Q(username__icontains=filters.q)
            | Q(first_name__icontains=filters.q)
            | Q(last_name__icontains=filters.q)
            | Q(email__icontains=filters.q)
        )
    return paginate(qs, page, user_out)


@router.post("/users", response={201: UserOut, **ERRORS}, summary="Create a user (admins)")
def create_user(request, payload: UserCreate):
    data = payload.dict()
    data["organization"] = _org_ref(request.auth, "organization", data["organization"])
    data["line_manager"] = _user_ref(request.auth, "line_manager", data["line_manager"])
    user = ops.create_user(request.auth, **data)
    return Status(201, user_out(user))


@router.get("/users/{user_id}", response={200: UserOut, **ERRORS}, summary="One user")
def get_user(request, user_id: Id):
    return user_out(get_visible(_users(), request.auth, user_id, "User"))


@router.patch(
    "/users/{user_id}",
    response={200: UserOut, **ERRORS},
    summary="Change a user (admins; anyone their own profile)",
)
def update_user(request, user_id: Id, payload: UserUpdate):
    user = get_visible(_users(), request.auth, user_id, "User")
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    if "organization" in data:
        data["organization"] = _org_ref(request.auth, "organization", data["organization"])
    if "line_manager" in data:
        data["line_manager"] = _user_ref(request.auth, "line_manager", data["line_manager"])
    user = ops.update_user(request.auth, user, version=version, **data)
    return user_out(user)


# --- organizations ------------------------------------------------------------------------------


@router.get(
    "/organizations",
    response={200: page_of(OrganizationOut), **ERRORS},
    summary="List organizations",
)
def list_organizations(request, page: Query[PageParams], q: SearchText | None = None):
    qs = Organization.objects.for_user(request.auth, "view").order_by("name")
    if q:
        qs = qs.filter(Q(name__icontains=q[:200]) | Q(code__icontains=q[:200]))
    return paginate(qs, page)


@router.post(
    "/organizations",
    response={201: OrganizationOut, **ERRORS},
    summary="Create an organization (admins)",
)
def create_organization(request, payload: OrganizationCreate):
    return Status(201, ops.create_organization(request.auth, **payload.dict()))


@router.get("/organizations/{org_id}", response={200: OrganizationOut, **ERRORS})
def get_organization(request, org_id: Id):
    return get_visible(Organization.objects, request.auth, org_id, "Organization")


@router.patch("/organizations/{org_id}", response={200: OrganizationOut, **ERRORS})
def update_organization(request, org_id: Id, payload: OrganizationUpdate):
    org = get_visible(Organization.objects, request.auth, org_id, "Organization")
    data = payload.dict(exclude_unset=True)
    return ops.update_organization(request.auth, org, version=data.pop("version"), **data)


# --- organization contacts ---------------------------------------------------------------------


def _contact(actor, org_id: int, contact_id: int) -> OrganizationContact:
    org = get_visible(Organization.objects, actor, org_id, "Organization")
    contact = (
        OrganizationContact.objects.for_user(actor, "view")
        .filter(organization=org, pk=contact_id)
        .first()
    )
    if contact is None:
        raise NotFound(_("Contact %(id)s not found.") % {"id": contact_id})
    return contact


@router.get(
    "/organizations/{org_id}/contacts",
    response={200: page_of(ContactOut), **ERRORS},
    summary="The contacts of a customer organization (IT staff)",
)
def list_contacts(request, org_id: Id, page: Query[PageParams]):
    org = get_visible(Organization.objects, request.auth, org_id, "Organization")
    qs = (
        OrganizationContact.objects.for_user(request.auth, "view")
        .filter(organization=org)
        .order_by("name", "id")
    )
    return paginate(qs, page, _contact_out)


def _contact_out(c: OrganizationContact) -> dict:
    return {
        "id": c.pk,
        "organization": c.organization_id,
        "name": c.name,
        "email": c.email,
        "role": c.role,
        "language": c.language,
        "version": c.version,
    }


@router.post(
    "/organizations/{org_id}/contacts",
    response={201: ContactOut, **ERRORS},
    summary="Add a contact to an organization (administrators)",
)
def add_contact(request, org_id: Id, payload: ContactCreate):
    org = get_visible(Organization.objects, request.auth, org_id, "Organization")
    return Status(201, _contact_out(ops.add_contact(request.auth, org, **payload.dict())))


@router.patch(
    "/organizations/{org_id}/contacts/{contact_id}",
    response={200: ContactOut, **ERRORS},
    summary="Change a contact (administrators; with `version`)",
)
def update_contact(request, org_id: Id, contact_id: Id, payload: ContactUpdate):
    contact = _contact(request.auth, org_id, contact_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    return _contact_out(ops.update_contact(request.auth, contact, version=version, **data))


@router.delete(
    "/organizations/{org_id}/contacts/{contact_id}",
    response={204: None, **ERRORS},
    summary="Remove a contact (administrators; `version` as a query parameter)",
)
def remove_contact(request, org_id: Id, contact_id: Id, version: Id):
    contact = _contact(request.auth, org_id, contact_id)
    ops.remove_contact(request.auth, contact, version=version)
    return Status(204, None)


# --- support groups -----------------------------------------------------------------------------


def _groups():
    return SupportGroup.objects.select_related("manager")


@router.get("/groups", response={200: page_of(GroupOut), **ERRORS}, summary="List support groups")
def list_groups(
    request, page: Query[PageParams], q: SearchText | None = None, member: Id | None = None
):
    qs = (
        _groups()
        .for_user(request.auth, "view")
        .annotate(member_count=Count("members", distinct=True))
        .order_by("name")
    )
    if q:
        qs = qs.filter(name__icontains=q[:200])
    if member is not None:
        qs = qs.filter(members=member)
    return paginate(qs, page, group_out)


def _group_detail(actor, group_id: int) -> SupportGroup:
    qs = _groups().prefetch_related(Prefetch("members", queryset=User.objects.order_by("username")))
    return get_visible(qs, actor, group_id, "Group")


@router.post(
    "/groups", response={201: GroupDetail, **ERRORS}, summary="Create a support group (admins)"
)
def create_group(request, payload: GroupCreate):
    data = payload.dict()
    data["manager"] = _user_ref(request.auth, "manager", data["manager"])
    data["members"] = _users_ref(request.auth, "members", data["members"])
    group = ops.create_group(request.auth, **data)
    return Status(201, group_out(_group_detail(request.auth, group.pk), members=True))


@router.get(
    "/groups/{group_id}",
    response={200: GroupDetail, **ERRORS},
    summary="A support group with its manager and members",
)
def get_group(request, group_id: Id):
    return group_out(_group_detail(request.auth, group_id), members=True)


@router.patch("/groups/{group_id}", response={200: GroupDetail, **ERRORS})
def update_group(request, group_id: Id, payload: GroupUpdate):
    group = get_visible(_groups(), request.auth, group_id, "Group")
    data = payload.dict(exclude_unset=True)
    if "manager" in data:
        data["manager"] = _user_ref(request.auth, "manager", data["manager"])
    if data.get("members") is not None:
        data["members"] = _users_ref(request.auth, "members", data["members"])
    elif "members" in data:
        raise ValidationError.field("members", _("must be a list of user ids"))
    ops.update_group(request.auth, group, version=data.pop("version"), **data)
    return group_out(_group_detail(request.auth, group.pk), members=True)


# --- API tokens ---------------------------------------------------------------------------------


@router.get("/tokens", response={200: list[TokenOut], **ERRORS}, summary="My API tokens")
def list_tokens(request):
    return list(ApiToken.objects.for_user(request.auth, "view").order_by("-created_at")[:200])


@router.post(
    "/tokens",
    response={201: TokenCreated, **ERRORS},
    summary="Create a personal API token (the secret is returned once)",
    description=(
        "Only in a signed-in browser session (with the CSRF token), never with a bearer token "
        "(403, field `authorization`). The token expires at `expires_at`, which must be in the "
        "future and at most STEWARD_TOKEN_MAX_DAYS (365 by default) days ahead (422 otherwise); "
        "without it, that many days ahead."
    ),
)
def create_token(request, payload: TokenCreate):
    row, secret = ops.create_api_token(
        request.auth,
        request.auth,
        **payload.dict(),
        via_token=getattr(request, "api_token", None),
    )
    return Status(201, {**TokenOut.from_orm(row).dict(), "token": secret})


@router.post(
    "/tokens/{token_id}/revoke",
    response={200: TokenOut, **ERRORS},
    summary="Revoke one of my tokens; it fails from the next request on",
)
def revoke_token(request, token_id: Id):
    token = ApiToken.objects.for_user(request.auth, "view").filter(pk=token_id).first()
    if token is None:
        raise NotFound(_("Token %(id)s not found.") % {"id": token_id})
    return ops.revoke_api_token(request.auth, token)
