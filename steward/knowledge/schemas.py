"""API schemas of the knowledge app: articles (one output per audience: IT staff read every
field, a requester the article's text), their versions, flags, links to incidents and
licences."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

from steward.core.api_input import (
    SINGLE_LINE,
    TEXT_PATTERN,
    Id,
    QuerySchema,
    StrictSchema,
)
from steward.core.api_support import NamedRef
from steward.knowledge.choices import (
    Audience,
    Confidence,
    FlagReason,
    FlagStatus,
    LicenceLevel,
    LinkKind,
)
from steward.people.schemas import UserBrief, Version

Title = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), SINGLE_LINE
]
#: Article text (HTML is cleaned to an allow-list on write: see operations.sanitize).
Body = Annotated[str, StringConstraints(max_length=50_000)]
RequiredBody = Annotated[str, StringConstraints(min_length=1, max_length=50_000)]
Keywords = Annotated[str, StringConstraints(max_length=300), SINGLE_LINE]
Summary = Annotated[str, StringConstraints(max_length=200), SINGLE_LINE]
Comment = Annotated[str, StringConstraints(max_length=5_000)]
Language = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$", max_length=3)]
Number = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2,3}\d{1,12}$", max_length=16)]
IdList = Annotated[list[Id], Field(max_length=200)]
SearchQuery = Annotated[
    str,
    StringConstraints(max_length=200),
    Field(json_schema_extra={"pattern": TEXT_PATTERN}),
]

#: The named queues of the article list (``knowledge.lists.QUEUES``).
Queue = Literal["all", "mine", "drafts", "flagged", "coach"]
Sort = Literal[
    "updated", "-updated", "created", "-created", "title", "-title", "citations", "-citations"
]


class ArticleCreate(StrictSchema):
    title: Title
    issue: RequiredBody = Field(description="The issue in the customer's words")
    environment: Body = ""
    resolution: Body = ""
    cause: Body = ""
    keywords: Keywords = ""
    language: Language = "en"
    services: IdList = []
    ci_classes: IdList = []
    category: Id | None = None
    owner: Id | None = Field(None, description="Receives the flags; default: you")
    created_from: Number | None = Field(
        None, description="The incident it is captured from (linked with kind create)"
    )
    problem: Number | None = Field(None, description="The problem whose resolution it holds")


class ArticleUpdate(StrictSchema):
    version: Version
    summary: Summary = Field("", description="What this edit changed (kept with the version)")
    title: Title = None
    issue: RequiredBody = None
    environment: Body | None = None
    resolution: Body | None = None
    cause: Body | None = None
    keywords: Keywords | None = None
    language: Language = None
    services: IdList = None
    ci_classes: IdList = None
    category: Id | None = Field(None, description="null removes the category")
    owner: Id = None


class ArticleStateIn(StrictSchema):
    """One move at a time: ``confidence`` (with an optional comment), or ``audience`` (with
    the organisations when it is customers)."""

    version: Version
    confidence: Confidence | None = None
    comment: Comment = ""
    audience: Audience | None = None
    organizations: IdList = Field([], description="The customers who read it (audience customers)")


class ArticleFilters(QuerySchema):
    queue: Queue | None = Field(None, description="A named queue: mine, drafts, flagged, coach")
    confidence: Confidence | None = None
    audience: Audience | None = None
    service: Id | None = None
    category: Id | None = None
    language: Language | None = None
    q: SearchQuery | None = Field(
        None, description="Every word (as a word prefix) in the article, or its number"
    )
    suggest_for: SearchQuery | None = Field(
        None,
        description="Text someone is typing: the best matching live articles, ranked (other "
        "filters but service are ignored; service lifts its articles)",
    )
    sort: Sort = "-updated"


class ArticleOut(Schema):
    """An article as IT staff read it."""

    id: int
    number: str
    url: str
    title: str
    issue: str
    environment: str
    resolution: str
    cause: str
    keywords: str
    language: str
    confidence: Confidence
    audience: Audience
    organizations: list[NamedRef]
    services: list[NamedRef]
    ci_classes: list[NamedRef]
    category: NamedRef | None
    owner: UserBrief
    created_by: UserBrief
    created_from: str | None = Field(description="The incident it was captured from")
    problem: str | None
    revision: int
    citations: int = Field(description="Incidents linked to it")
    open_flags: int
    score: float | None = Field(None, description="With suggest_for: the match score")
    validated_at: datetime | None
    published_at: datetime | None
    archived_at: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int


class RequesterArticleOut(Schema):
    """An article as a requester reads it: its text, nothing about its life inside IT."""

    id: int
    number: str
    title: str
    issue: str
    environment: str
    resolution: str
    cause: str
    keywords: str
    language: str
    score: float | None = None
    updated_at: datetime


ArticleForAudience = Annotated[
    ArticleOut | RequesterArticleOut,
    Field(description="ArticleOut for IT staff; RequesterArticleOut for requesters"),
]


class ArticlePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ArticleForAudience]


class ArticleVersionOut(Schema):
    revision: int
    author: UserBrief | None
    created_at: datetime
    summary: str
    title: str
    issue: str
    environment: str
    resolution: str
    cause: str
    keywords: str
    confidence: Confidence
    audience: Audience


class FlagIn(StrictSchema):
    reason: FlagReason
    comment: Comment = ""


class FlagResolveIn(StrictSchema):
    status: Literal["fixed", "dismissed"]
    resolution: Comment = ""


class FlagOut(Schema):
    id: int
    article: int
    reason: FlagReason
    comment: str
    raised_by: UserBrief
    created_at: datetime
    status: FlagStatus
    resolved_by: UserBrief | None
    resolved_at: datetime | None
    resolution: str


class ArticleLinkIn(StrictSchema):
    article: Id = Field(description="The article's id")


class ArticleBrief(Schema):
    id: int
    number: str
    title: str


class LinkOut(Schema):
    incident: str
    article: ArticleBrief
    kind: LinkKind = Field(description="reuse: the article existed before the incident")
    linked_by: UserBrief | None
    linked_at: datetime


class LicenceIn(StrictSchema):
    user: Id
    level: LicenceLevel
    service: Id | None = Field(None, description="The domain: a service ...")
    category: Id | None = Field(None, description="... or a category; neither: every domain")
    coach: bool = False


class LicenceUpdate(StrictSchema):
    version: Version
    level: LicenceLevel = None
    coach: bool = None


class LicenceFilters(QuerySchema):
    user: Id | None = None
    level: LicenceLevel | None = None
    coach: bool | None = None


class KnowledgeVersionQuery(QuerySchema):
    version: Version


class LicenceOut(Schema):
    id: int
    user: UserBrief
    level: LicenceLevel
    service: NamedRef | None
    category: NamedRef | None
    coach: bool
    granted_by: UserBrief | None
    created_at: datetime
    version: int
