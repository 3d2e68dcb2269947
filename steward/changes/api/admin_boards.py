"""The admin data that decides who authorizes changes and how their risk is worked out:
change boards (a support group acting as a CAB, with its quorum), the authority table (type and
risk → level and board), the risk rules and the practice's settings. IT staff read them; the
operations decide who may write them (administrators and change managers)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, Query, Schema
from ninja.responses import Status as HttpStatus
from pydantic import StringConstraints

from steward.changes import operations as ops
from steward.changes.api.common import router, staff
from steward.changes.authorization import authority_table
from steward.changes.choices import ChangeRisk, ChangeType
from steward.changes.models import ChangeBoard, RiskRule
from steward.changes.operations.admin_removals import delete_board, delete_risk_rule
from steward.changes.risk import settings
from steward.changes.schemas.common import ChangeAuthorityLevel, ChangeRiskRuleKind, Name
from steward.core.api_input import SINGLE_LINE, Id, StrictSchema
from steward.core.api_support import ERRORS, NamedRef, PageParams, page_of, paginate, visible_ref
from steward.core.errors import NotFound, ValidationError
from steward.people.models import SupportGroup
from steward.people.schemas import GroupBrief, Version

Quorum = Annotated[int, Field(ge=1, le=1000, description="Approvals a decision needs")]
MeetsOn = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), SINGLE_LINE]
Parameter = Annotated[
    int,
    Field(
        ge=1,
        le=36_500,
        description="The criticality (1 to 4) or the days, as the kind asks; none for an outage",
    ),
]
Score = Annotated[int, Field(ge=0, le=1_000_000)]
Percent = Annotated[int, Field(ge=0, le=100)]
Window = Annotated[int, Field(ge=1, le=1000)]


# --- schemas ------------------------------------------------------------------------------------


class ChangeBoardCreate(StrictSchema):
    group: Id = Field(description="The support group that acts as the board")
    quorum: Quorum = 3
    change_manager_required: bool = Field(
        True, description="A change manager's approval must be among the quorum"
    )
    meets_on: MeetsOn = Field("", description="When it meets, e.g. Tuesdays 14:00")


class ChangeBoardUpdate(StrictSchema):
    version: Version
    group: Id = None
    quorum: Quorum = None
    change_manager_required: bool = None
    meets_on: MeetsOn | None = None


class ChangeBoardOut(Schema):
    id: int
    group: GroupBrief
    quorum: int
    change_manager_required: bool
    meets_on: str
    created_at: datetime
    updated_at: datetime
    version: int


class ChangeAuthorityIn(StrictSchema):
    type: ChangeType
    risk: ChangeRisk
    level: ChangeAuthorityLevel
    board: Id | None = Field(None, description="The change board that decides (level board)")


class ChangeAuthorityCellOut(Schema):
    type: ChangeType
    risk: ChangeRisk
    level: ChangeAuthorityLevel
    board: NamedRef | None = Field(description="The deciding board (level board only)")


class ChangeAuthorityOut(Schema):
    items: list[ChangeAuthorityCellOut] = Field(description="Every type and risk, in order")


class ChangeRiskRuleCreate(StrictSchema):
    name: Name
    kind: ChangeRiskRuleKind
    parameter: Parameter | None = None
    minimum: ChangeRisk = Field(description="The risk a change is at least when the rule holds")
    is_active: bool = True


class ChangeRiskRuleUpdate(StrictSchema):
    version: Version
    name: Name = None
    kind: ChangeRiskRuleKind = None
    parameter: Parameter | None = None
    minimum: ChangeRisk = None
    is_active: bool = None


class ChangeRiskRuleOut(Schema):
    id: int
    name: str
    kind: ChangeRiskRuleKind
    parameter: int | None
    minimum: ChangeRisk
    is_active: bool
    created_at: datetime
    updated_at: datetime
    version: int


class ChangeSettingsUpdate(StrictSchema):
    version: Version
    moderate_from: Score = Field(None, description="A questionnaire score from this: moderate")
    high_from: Score = Field(None, description="From this: high (above moderate_from)")
    template_success_threshold: Percent = Field(
        None, description="A template below this success rate (%) is flagged"
    )
    template_success_window: Window = Field(None, description="Over its last this many changes")


class ChangeSettingsOut(Schema):
    moderate_from: int
    high_from: int
    template_success_threshold: int
    template_success_window: int
    updated_at: datetime
    version: int


def _refuse_nulls(data: dict, names: tuple[str, ...]) -> None:
    for name in names:
        if name in data and data[name] is None:
            raise ValidationError.field(name, _("cannot be null"))


# --- change boards ------------------------------------------------------------------------------


def _boards(user):
    return ChangeBoard.objects.for_user(user, "view").select_related("group").order_by("id")


def board_out(b: ChangeBoard) -> dict:
    return {
        "id": b.pk,
        "group": {"id": b.group.pk, "name": b.group.name},
        "quorum": b.quorum,
        "change_manager_required": b.change_manager_required,
        "meets_on": b.meets_on,
        "created_at": b.created_at,
        "updated_at": b.updated_at,
        "version": b.version,
    }


def _board(user, board_id: int) -> ChangeBoard:
    board = _boards(user).filter(pk=board_id).first()
    if board is None:
        raise NotFound(_("Change board %(id)s not found.") % {"id": board_id})
    return board


@router.get(
    "/change-boards",
    response={200: page_of(ChangeBoardOut), **ERRORS},
    summary="Change boards: support groups acting as change authorities, with their quorum",
)
def list_boards(request, page: Query[PageParams]):
    return paginate(_boards(staff(request)), page, board_out)


@router.post(
    "/change-boards",
    response={201: ChangeBoardOut, **ERRORS},
    summary="Make a support group a change board (a CAB)",
)
def create_board(request, payload: ChangeBoardCreate):
    actor = staff(request)
    data = payload.dict()
    data["group"] = visible_ref(SupportGroup.objects, actor, "group", data["group"], _("group"))
    board = ops.create_board(actor, **data)
    return HttpStatus(201, board_out(_board(actor, board.pk)))


@router.patch(
    "/change-boards/{board_id}",
    response={200: ChangeBoardOut, **ERRORS},
    summary="Change a change board (with the version read)",
)
def update_board(request, board_id: Id, payload: ChangeBoardUpdate):
    actor = staff(request)
    board = _board(actor, board_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    _refuse_nulls(data, ("group", "quorum", "change_manager_required"))
    if data.get("meets_on", "") is None:
        data["meets_on"] = ""
    if "group" in data:
        data["group"] = visible_ref(SupportGroup.objects, actor, "group", data["group"], _("group"))
    ops.update_board(actor, board, version=version, **data)
    return board_out(_board(actor, board_id))


@router.delete(
    "/change-boards/{board_id}",
    response={204: None, **ERRORS},
    summary="Remove a change board no authority rule or approval names",
)
def remove_board(request, board_id: Id):
    actor = staff(request)
    delete_board(actor, _board(actor, board_id))
    return HttpStatus(204, None)


# --- the authority table ------------------------------------------------------------------------


def authority_table_for(user) -> list[dict]:
    """The authority table (IT staff read it all: ``staff`` has let ``user`` in)."""
    return authority_table()


def _cell_out(cell: dict) -> dict:
    board = cell["board"]
    return {**cell, "board": {"id": board.pk, "name": board.group.name} if board else None}


@router.get(
    "/change-authority",
    response={200: ChangeAuthorityOut, **ERRORS},
    summary="Who authorizes changes of each type at each risk",
)
def get_authority(request):
    return {"items": [_cell_out(c) for c in authority_table_for(staff(request))]}


@router.put(
    "/change-authority",
    response={200: ChangeAuthorityOut, **ERRORS},
    summary="Set who authorizes changes of one type at one risk",
)
def set_authority(request, payload: ChangeAuthorityIn):
    actor = staff(request)
    board = None
    if payload.board is not None:
        board = _boards(actor).filter(pk=payload.board).first()
        if board is None:
            raise ValidationError.field("board", _("no such change board"))
    ops.set_authority(actor, type=payload.type, risk=payload.risk, level=payload.level, board=board)
    return {"items": [_cell_out(c) for c in authority_table_for(actor)]}


# --- risk rules ---------------------------------------------------------------------------------


def _rules(user):
    return RiskRule.objects.for_user(user, "view").order_by("id")


def rule_out(r: RiskRule) -> dict:
    return {
        "id": r.pk,
        "name": r.name,
        "kind": r.kind,
        "parameter": r.parameter,
        "minimum": r.minimum,
        "is_active": r.is_active,
        "created_at": r.created_at,
        "updated_at": r.updated_at,
        "version": r.version,
    }


def _rule(user, rule_id: int) -> RiskRule:
    rule = _rules(user).filter(pk=rule_id).first()
    if rule is None:
        raise NotFound(_("Risk rule %(id)s not found.") % {"id": rule_id})
    return rule


@router.get(
    "/risk-rules",
    response={200: page_of(ChangeRiskRuleOut), **ERRORS},
    summary="Risk rules: conditions that set a change's minimum risk",
)
def list_risk_rules(request, page: Query[PageParams]):
    return paginate(_rules(staff(request)), page, rule_out)


@router.post(
    "/risk-rules",
    response={201: ChangeRiskRuleOut, **ERRORS},
    summary="Add a risk rule (the changes not yet authorized are reassessed)",
)
def create_risk_rule(request, payload: ChangeRiskRuleCreate):
    actor = staff(request)
    rule = ops.create_risk_rule(actor, **payload.dict())
    return HttpStatus(201, rule_out(_rule(actor, rule.pk)))


@router.patch(
    "/risk-rules/{rule_id}",
    response={200: ChangeRiskRuleOut, **ERRORS},
    summary="Change a risk rule (with the version read)",
)
def update_risk_rule(request, rule_id: Id, payload: ChangeRiskRuleUpdate):
    actor = staff(request)
    rule = _rule(actor, rule_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    _refuse_nulls(data, ("name", "kind", "minimum", "is_active"))
    ops.update_risk_rule(actor, rule, version=version, **data)
    return rule_out(_rule(actor, rule_id))


@router.delete(
    "/risk-rules/{rule_id}",
    response={204: None, **ERRORS},
    summary="Remove a risk rule (the changes not yet authorized are reassessed)",
)
def remove_risk_rule(request, rule_id: Id):
    actor = staff(request)
    delete_risk_rule(actor, _rule(actor, rule_id))
    return HttpStatus(204, None)


# --- settings -----------------------------------------------------------------------------------


def settings_out(row) -> dict:
    return {
        "moderate_from": row.moderate_from,
        "high_from": row.high_from,
        "template_success_threshold": row.template_success_threshold,
        "template_success_window": row.template_success_window,
        "updated_at": row.updated_at,
        "version": row.version,
    }


@router.get(
    "/change-settings",
    response={200: ChangeSettingsOut, **ERRORS},
    summary="The questionnaire's thresholds and the standard templates' success watch",
)
def get_settings(request):
    staff(request)
    return settings_out(settings())


@router.patch(
    "/change-settings",
    response={200: ChangeSettingsOut, **ERRORS},
    summary="Change the change settings (with the version read)",
)
def update_settings(request, payload: ChangeSettingsUpdate):
    actor = staff(request)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    _refuse_nulls(data, tuple(data))
    current = settings()
    moderate = data.get("moderate_from", current.moderate_from)
    if data.get("high_from", current.high_from) <= moderate:
        name = "high_from" if "high_from" in data else "moderate_from"
        raise ValidationError.field(name, _("high_from must be above moderate_from"))
    row = ops.update_settings(actor, version=version, **data)
    return settings_out(row)
