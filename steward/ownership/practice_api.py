"""``/api/v1/practices``: the practices, whether each is on, and its process owner; the
administrators' switch (``PUT /practices/{key}`` with ``{"enabled": true|false}``).

IT staff read the list (requesters get 403, as for the rest of ownership); only
administrators switch. A switch that would leave a practice on without one it depends on is a
409 ``practice_dependency`` naming the practice in the way.
"""

from __future__ import annotations

from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import StringConstraints

from steward.core import operations as core_ops
from steward.core.api_support import ERRORS, PageParams, StrictSchema, page_of
from steward.core.errors import PermissionDenied
from steward.core.practices import KEY_PATTERN
from steward.ownership import practice_switch
from steward.ownership.schemas import ProcessBrief
from steward.people.schemas import UserBrief

router = Router(tags=["practices"])

PracticeKey = Annotated[str, StringConstraints(min_length=1, max_length=40, pattern=KEY_PATTERN)]


class PracticeOut(Schema):
    key: str
    name: str
    description: str
    brings: list[str] = Field(description="What switching the practice on brings")
    enabled: bool
    switchable: bool = Field(description="False for the platform, which is always on")
    on_by_default: bool = Field(description="Whether a new installation starts with it on")
    depends_on: list[str] = Field(description="Keys of the practices it needs on")
    needed_by: list[str] = Field(description="Keys of the practices that need it")
    process: ProcessBrief | None = Field(description="Its process in the ownership app")
    process_owner: UserBrief | None = Field(description="The owner of that process, if any")


class PracticeSwitch(StrictSchema):
    enabled: bool


def _require_it(user) -> None:
    if not user.is_it:
        raise PermissionDenied(_("Only IT staff may read the practices."))


@router.get(
    "",
    response={200: page_of(PracticeOut), **ERRORS},
    summary="Every practice, whether it is on, and its process owner (IT staff)",
)
def list_practices(request, page: Query[PageParams]):
    _require_it(request.auth)
    rows = practice_switch.rows()
    return {
        "count": len(rows),
        "limit": page.limit,
        "offset": page.offset,
        "items": [practice_switch.api_row(r) for r in rows[page.offset : page.offset + page.limit]],
    }


@router.put(
    "/{key}",
    response={200: PracticeOut, **ERRORS},
    summary="Switch a practice on or off (administrators)",
)
def switch_practice(request, key: PracticeKey, payload: PracticeSwitch):
    core_ops.set_practice_enabled(request.auth, key, payload.enabled)
    return practice_switch.api_row(practice_switch.rows(only=key)[0])
