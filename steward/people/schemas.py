"""API schemas of the people app."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from ninja import Field, Schema
from pydantic import StringConstraints

from steward.core.api_input import SINGLE_LINE, Id, QuerySchema
from steward.core.api_support import StrictSchema
from steward.people.choices import ContactRole, Role, TokenScope

Username = Annotated[str, StringConstraints(min_length=1, max_length=150, pattern=r"^[\w.@+-]+$")]
Name = Annotated[str, StringConstraints(max_length=150), SINGLE_LINE]
Email = Annotated[str, StringConstraints(max_length=254), SINGLE_LINE]
Short = Annotated[str, StringConstraints(max_length=120), SINGLE_LINE]
Text = Annotated[str, StringConstraints(max_length=10_000)]
Phone = Annotated[str, StringConstraints(max_length=40), SINGLE_LINE]
TimeZone = Annotated[str, StringConstraints(min_length=1, max_length=64), SINGLE_LINE]
Language = Annotated[str, StringConstraints(min_length=2, max_length=10), SINGLE_LINE]
Version = Annotated[int, Field(ge=1, description="The version you read; a stale one gets 409")]


class UserBrief(Schema):
    id: int
    username: str
    name: str


class UserOut(Schema):
    id: int
    username: str
    first_name: str
    last_name: str
    name: str
    email: str
    organization: int | None
    line_manager: int | None = Field(description="The user id of the line manager")
    job_title: str
    phone: str
    time_zone: str
    language: str
    roles: list[Role]
    is_active: bool
    version: int


class MeOut(UserOut):
    groups: list[GroupBrief]
    is_admin: bool
    is_it: bool


class UserCreate(StrictSchema):
    username: Username
    password: Annotated[str, StringConstraints(min_length=8, max_length=128)] | None = None
    first_name: Name = ""
    last_name: Name = ""
    email: Email = ""
    organization: int | None = None
    line_manager: Id | None = Field(None, description="The user id of the line manager")
    job_title: Short = ""
    phone: Phone = ""
    time_zone: TimeZone = "UTC"
    language: Language = "en"
    roles: list[Role] = Field(default_factory=lambda: [Role.REQUESTER])
    is_active: bool = True


class UserUpdate(StrictSchema):
    version: Version
    first_name: Name = None
    last_name: Name = None
    email: Email = None
    organization: int | None = None
    line_manager: Id | None = Field(
        None, description="The user id of the line manager; null clears"
    )
    job_title: Short = None
    phone: Phone = None
    time_zone: TimeZone = None
    language: Language = None
    roles: list[Role] = None
    is_active: bool = None


class UserFilters(QuerySchema):
    group: int | None = Field(None, description="Members of this support group")
    organization: int | None = None
    role: Role | None = None
    is_active: bool | None = None
    q: Annotated[str, StringConstraints(max_length=200)] | None = Field(
        None, description="Text in username, name or email"
    )


class OrganizationOut(Schema):
    id: int
    name: str
    code: str
    description: str
    is_active: bool
    version: int


class OrganizationCreate(StrictSchema):
    name: Annotated[str, StringConstraints(min_length=1, max_length=120), SINGLE_LINE]
    code: Annotated[
        str, StringConstraints(min_length=1, max_length=40, pattern=r"^[-a-zA-Z0-9_]+$")
    ]
    description: Text = ""
    is_active: bool = True


class OrganizationUpdate(StrictSchema):
    version: Version
    name: Annotated[str, StringConstraints(min_length=1, max_length=120), SINGLE_LINE] = None
    code: Annotated[
        str, StringConstraints(min_length=1, max_length=40, pattern=r"^[-a-zA-Z0-9_]+$")
    ] = None
    description: Text = None
    is_active: bool = None


class ContactOut(Schema):
    id: int
    organization: int
    name: str
    email: str
    role: ContactRole
    language: str
    version: int


class ContactCreate(StrictSchema):
    name: Annotated[str, StringConstraints(min_length=1, max_length=150), SINGLE_LINE]
    email: Email
    role: ContactRole = ContactRole.PRIMARY
    language: Language = "en"


class ContactUpdate(StrictSchema):
    version: Version
    name: Annotated[str, StringConstraints(min_length=1, max_length=150), SINGLE_LINE] = None
    email: Email = None
    role: ContactRole = None
    language: Language = None


class GroupBrief(Schema):
    id: int
    name: str


class GroupOut(Schema):
    id: int
    name: str
    description: str
    email: str
    manager: UserBrief | None
    member_count: int
    is_active: bool
    version: int


class GroupDetail(GroupOut):
    members: list[UserBrief]


class GroupCreate(StrictSchema):
    name: Annotated[str, StringConstraints(min_length=1, max_length=120), SINGLE_LINE]
    description: Text = ""
    email: Email = ""
    manager: int | None = None
    members: list[int] = Field(default_factory=list, max_length=5000)
    is_active: bool = True


class GroupUpdate(StrictSchema):
    version: Version
    name: Annotated[str, StringConstraints(min_length=1, max_length=120), SINGLE_LINE] = None
    description: Text = None
    email: Email = None
    manager: int | None = None
    members: list[int] = Field(None, max_length=5000)
    is_active: bool = None


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    scope: TokenScope
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None


class TokenCreated(TokenOut):
    token: str = Field(description="The secret. Shown once: it is stored only as a hash.")


class TokenCreate(StrictSchema):
    name: Annotated[str, StringConstraints(min_length=1, max_length=80), SINGLE_LINE]
    scope: TokenScope = TokenScope.READ
    expires_at: datetime | None = None


MeOut.model_rebuild()
