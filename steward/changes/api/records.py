"""Change requests: raise one (normal, emergency, or standard from a template), list them
(queues, filters, the planned window), the calendar, read one, change it with the version
read, and move it through its lifecycle."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Query
from ninja.responses import Status as HttpStatus

from steward.changes import lists
from steward.changes import operations as ops
from steward.changes.api.common import (
    answers_named_by_place,
    answers_of,
    change_for,
    change_out,
    follow_up_people,
    fresh_out,
    refs,
    router,
    staff,
    with_relations,
)
from steward.changes.calendar import changes as planned_changes
from steward.changes.models import ChangeTemplate
from steward.changes.schemas import (
    ChangeCalendarEntryOut,
    ChangeCalendarFilters,
    ChangeCreate,
    ChangeFilters,
    ChangeOut,
    ChangeTransitionIn,
    ChangeUpdate,
)
from steward.core.api_input import RecordNumber
from steward.core.api_support import (
    ERRORS,
    PageParams,
    named_ref,
    page_of,
    paginate,
    person_brief,
    visible_ref,
)
from steward.core.errors import ValidationError

#: What a template gives a standard change unless the body says otherwise.
_FROM_TEMPLATE = (
    "implementation_plan",
    "backout_plan",
    "test_plan",
    "communication_plan",
    "impact",
    "outage_expected",
    "outage_minutes",
)


@router.post("/changes", response={201: ChangeOut, **ERRORS}, summary="Raise a change")
def create_change(request, payload: ChangeCreate):
    actor = staff(request)
    data = payload.dict(exclude_unset=True)
    template = visible_ref(
        ChangeTemplate.objects.filter(is_active=True),
        actor,
        "template",
        data.pop("template", None),
        _("active template"),
    )
    rows = refs(actor, data)
    group = rows.pop("owning_group", None) or (template.owning_group if template else None)
    if group is None:
        raise ValidationError.field("owning_group", _("required (or give a template)"))
    if template is not None:
        if data.get("type", "normal") != "normal":
            raise ValidationError.field("type", _("a change from a template is standard"))
        data["type"] = "standard"
        for name in _FROM_TEMPLATE:
            if name in data:
                raise ValidationError.field(name, _("a standard change takes its template's"))
        for name in ("services", "cis"):
            if not rows.get(name):
                rows.pop(name, None)
    fields = {
        name: data[name]
        for name in (
            "description",
            "reason",
            "planned_start",
            "planned_end",
            *_FROM_TEMPLATE,
        )
        if name in data
    }
    answers = answers_of(data.get("answers", []))
    with answers_named_by_place(data.get("answers", [])):
        change = ops.create_change(
            actor,
            title=data["title"],
            owning_group=group,
            type=data.get("type", "normal"),
            template=template,
            answers=answers or None,
            **fields,
            **rows,
        )
    return HttpStatus(201, fresh_out(actor, change))


@router.get("/changes", response={200: page_of(ChangeOut), **ERRORS}, summary="List changes")
def list_changes(request, filters: Query[ChangeFilters], page: Query[PageParams]):
    actor = staff(request)
    result = paginate(with_relations(lists.filtered(actor, filters)), page)
    people = follow_up_people(result["items"])
    result["items"] = [change_out(c, people) for c in result["items"]]
    return result


@router.get(
    "/changes/calendar",
    response={200: page_of(ChangeCalendarEntryOut), **ERRORS},
    summary="The change calendar: changes planned in a period",
    description="Changes (not cancelled) whose planned window [start, end) meets [from, to), "
    "the earliest first, a page at a time; narrowed to a service, a CI or an owning group. "
    "An empty period (to not after from) meets nothing.",
)
def calendar(request, filters: Query[ChangeCalendarFilters], page: Query[PageParams]):
    actor = staff(request)
    start, end = filters.from_, filters.to
    qs = planned_changes(
        actor, start, end, service=filters.service, group=filters.group, ci=filters.ci
    )
    if start >= end:
        qs = qs.none()
    return paginate(
        qs,
        page,
        lambda c: {
            "number": c.number,
            "title": c.title,
            "type": c.type,
            "status": c.status,
            "risk": c.risk,
            "planned_start": c.planned_start,
            "planned_end": c.planned_end,
            "owning_group": named_ref(c.owning_group),
            "owner": person_brief(c.owner),
            "implementer": person_brief(c.implementer),
            "conflicts": c.conflict_count,
        },
    )


@router.get("/changes/{number}", response={200: ChangeOut, **ERRORS}, summary="One change")
def get_change(request, number: RecordNumber):
    actor = staff(request)
    return change_out(change_for(actor, number))


#: PATCH fields that cannot be cleared (null is refused, naming the field).
_NOT_NULL = ("title", "owning_group", "services", "cis", "impact", "outage_expected")
#: Text that null clears.
_CLEARED_TEXT = (
    "description",
    "reason",
    "implementation_plan",
    "backout_plan",
    "test_plan",
    "communication_plan",
)


@router.patch(
    "/changes/{number}",
    response={200: ChangeOut, **ERRORS},
    summary="Change a change (before implementation; with the version read)",
)
def update_change(request, number: RecordNumber, payload: ChangeUpdate):
    actor = staff(request)
    change = change_for(actor, number)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    for name in _NOT_NULL:
        if name in data and data[name] is None:
            raise ValidationError.field(name, _("cannot be null"))
    for name in _CLEARED_TEXT:
        if name in data and data[name] is None:
            data[name] = ""
    data.update(refs(actor, data))
    ops.update_change(actor, change, version=version, **data)
    return fresh_out(actor, change)


@router.post(
    "/changes/{number}/transitions",
    response={200: ChangeOut, **ERRORS},
    summary="Move a change through its lifecycle",
    description="new → assess → authorize → scheduled → implement → review → closed; "
    "cancelled (with cancel_reason) before implement. A refused move names what is missing.",
)
def transition(request, number: RecordNumber, payload: ChangeTransitionIn):
    actor = staff(request)
    change = change_for(actor, number)
    ops.move_change(
        actor,
        change,
        payload.to,
        version=payload.version,
        cancel_reason=payload.cancel_reason or "",
        outcome=payload.outcome or "",
        outcome_notes=payload.outcome_notes or "",
    )
    return fresh_out(actor, change)
