"""The admin data that steers changes: standard change templates, maintenance windows,
blackout periods and the risk questionnaire. IT staff read them; the operations decide who
may write them (administrators and change managers)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from ninja import Query
from ninja.responses import Status as HttpStatus

from steward.changes import operations as ops
from steward.changes.api.common import router, staff
from steward.changes.choices import WindowKind
from steward.changes.models import ChangeTemplate, ChangeWindow, RiskAnswer, RiskQuestion
from steward.changes.schemas import (
    ChangeAdminFilters,
    ChangeRiskQuestionCreate,
    ChangeRiskQuestionOut,
    ChangeRiskQuestionUpdate,
    ChangeTemplateCreate,
    ChangeTemplateOut,
    ChangeTemplateUpdate,
    ChangeWindowCreate,
    ChangeWindowOut,
    ChangeWindowUpdate,
)
from steward.core.api_input import Id
from steward.core.api_support import (
    ERRORS,
    PageParams,
    named_ref,
    page_of,
    paginate,
    visible_ref,
    visible_refs,
)
from steward.core.errors import NotFound, ValidationError
from steward.people.models import SupportGroup
from steward.services.models import CIClass, ConfigurationItem, Service


def _scope(actor, data: dict) -> dict:
    """The ids of a body's scope and group as rows (a missing one: 422 naming the field)."""
    out = {}
    if data.get("owning_group") is not None:
        out["owning_group"] = visible_ref(
            SupportGroup.objects, actor, "owning_group", data["owning_group"], _("group")
        )
    if data.get("services") is not None:
        out["services"] = visible_refs(
            Service.objects, actor, "services", data["services"], _("services")
        )
    if data.get("cis") is not None:
        out["cis"] = visible_refs(
            ConfigurationItem.objects, actor, "cis", data["cis"], _("configuration items")
        )
    if data.get("ci_classes") is not None:
        found = {c.pk: c for c in CIClass.objects.filter(pk__in=data["ci_classes"])}
        missing = [pk for pk in data["ci_classes"] if pk not in found]
        if missing:
            raise ValidationError.field(
                "ci_classes",
                _("%(label)s %(pks)s do not exist") % {"label": _("CI classes"), "pks": missing},
            )
        out["ci_classes"] = [found[pk] for pk in dict.fromkeys(data["ci_classes"])]
    return out


def _refuse_nulls(data: dict, names: tuple[str, ...]) -> None:
    for name in names:
        if name in data and data[name] is None:
            raise ValidationError.field(name, _("cannot be null"))


def _blank_nulls(data: dict, names: tuple[str, ...]) -> None:
    for name in names:
        if name in data and data[name] is None:
            data[name] = ""


# --- standard change templates ------------------------------------------------------------------


def _templates(user):
    return (
        ChangeTemplate.objects.for_user(user, "view")
        .select_related("owning_group")
        .prefetch_related("services", "cis")
        .order_by("name", "id")
    )


def template_out(t: ChangeTemplate) -> dict:
    return {
        "id": t.pk,
        "name": t.name,
        "description": t.description,
        "owning_group": named_ref(t.owning_group),
        "services": [named_ref(s) for s in t.services.all()],
        "cis": [named_ref(c) for c in t.cis.all()],
        "implementation_plan": t.implementation_plan,
        "backout_plan": t.backout_plan,
        "test_plan": t.test_plan,
        "communication_plan": t.communication_plan,
        "risk": t.risk,
        "impact": t.impact,
        "outage_expected": t.outage_expected,
        "outage_minutes": t.outage_minutes,
        "tasks": list(t.tasks or []),
        "is_active": t.is_active,
        "created_at": t.created_at,
        "updated_at": t.updated_at,
        "version": t.version,
    }


def _template(user, template_id: int) -> ChangeTemplate:
    template = _templates(user).filter(pk=template_id).first()
    if template is None:
        raise NotFound(_("Template %(id)s not found.") % {"id": template_id})
    return template


@router.get(
    "/change-templates",
    response={200: page_of(ChangeTemplateOut), **ERRORS},
    summary="Standard change templates",
)
def list_templates(request, filters: Query[ChangeAdminFilters], page: Query[PageParams]):
    actor = staff(request)
    qs = _templates(actor)
    if filters.is_active is not None:
        qs = qs.filter(is_active=filters.is_active)
    return paginate(qs, page, template_out)


@router.post(
    "/change-templates",
    response={201: ChangeTemplateOut, **ERRORS},
    summary="Create a standard change template (pre-authorized)",
)
def create_template(request, payload: ChangeTemplateCreate):
    actor = staff(request)
    data = payload.dict()
    data.update(_scope(actor, data))
    template = ops.create_template(actor, **data)
    return HttpStatus(201, template_out(_template(actor, template.pk)))


@router.get(
    "/change-templates/{template_id}",
    response={200: ChangeTemplateOut, **ERRORS},
    summary="One standard change template",
)
def get_template(request, template_id: Id):
    actor = staff(request)
    return template_out(_template(actor, template_id))


@router.patch(
    "/change-templates/{template_id}",
    response={200: ChangeTemplateOut, **ERRORS},
    summary="Change a standard change template (with the version read)",
)
def update_template(request, template_id: Id, payload: ChangeTemplateUpdate):
    actor = staff(request)
    template = _template(actor, template_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    _refuse_nulls(
        data,
        (
            "name",
            "owning_group",
            "services",
            "cis",
            "implementation_plan",
            "backout_plan",
            "test_plan",
            "risk",
            "impact",
            "outage_expected",
            "tasks",
            "is_active",
        ),
    )
    _blank_nulls(data, ("description", "communication_plan"))
    data.update(_scope(actor, data))
    ops.update_template(actor, template, version=version, **data)
    return template_out(_template(actor, template_id))


# --- maintenance windows and blackout periods ---------------------------------------------------


def _windows(user, kind: str):
    return (
        ChangeWindow.objects.for_user(user, "view")
        .filter(kind=kind)
        .prefetch_related("services", "cis", "ci_classes")
        .order_by("name", "id")
    )


def window_out(w: ChangeWindow) -> dict:
    return {
        "id": w.pk,
        "kind": w.kind,
        "name": w.name,
        "description": w.description,
        "time_zone": w.time_zone,
        "hours": w.hours,
        "starts_at": w.starts_at,
        "ends_at": w.ends_at,
        "services": [named_ref(s) for s in w.services.all()],
        "cis": [named_ref(c) for c in w.cis.all()],
        "ci_classes": [named_ref(c) for c in w.ci_classes.all()],
        "is_active": w.is_active,
        "created_at": w.created_at,
        "updated_at": w.updated_at,
        "version": w.version,
    }


def _window(user, kind: str, window_id: int) -> ChangeWindow:
    window = _windows(user, kind).filter(pk=window_id).first()
    if window is None:
        raise NotFound(_("Window %(id)s not found.") % {"id": window_id})
    return window


def _list_windows(request, kind, filters, page):
    actor = staff(request)
    qs = _windows(actor, kind)
    if filters.is_active is not None:
        qs = qs.filter(is_active=filters.is_active)
    return paginate(qs, page, window_out)


def _create_window(request, kind, payload):
    actor = staff(request)
    data = payload.dict()
    data.update(_scope(actor, data))
    window = ops.create_window(actor, kind=kind, **data)
    return HttpStatus(201, window_out(_window(actor, kind, window.pk)))


def _update_window(request, kind, window_id, payload):
    actor = staff(request)
    window = _window(actor, kind, window_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    _refuse_nulls(data, ("name", "time_zone", "services", "cis", "ci_classes", "is_active"))
    _blank_nulls(data, ("description",))
    data.update(_scope(actor, data))
    ops.update_window(actor, window, version=version, **data)
    return window_out(_window(actor, kind, window_id))


@router.get(
    "/maintenance-windows",
    response={200: page_of(ChangeWindowOut), **ERRORS},
    summary="Maintenance windows: when CIs may be changed",
)
def list_maintenance_windows(request, filters: Query[ChangeAdminFilters], page: Query[PageParams]):
    return _list_windows(request, WindowKind.MAINTENANCE, filters, page)


@router.post(
    "/maintenance-windows",
    response={201: ChangeWindowOut, **ERRORS},
    summary="Create a maintenance window (weekly hours in a time zone, or a dated period)",
)
def create_maintenance_window(request, payload: ChangeWindowCreate):
    return _create_window(request, WindowKind.MAINTENANCE, payload)


@router.get(
    "/maintenance-windows/{window_id}",
    response={200: ChangeWindowOut, **ERRORS},
    summary="One maintenance window",
)
def get_maintenance_window(request, window_id: Id):
    return window_out(_window(staff(request), WindowKind.MAINTENANCE, window_id))


@router.patch(
    "/maintenance-windows/{window_id}",
    response={200: ChangeWindowOut, **ERRORS},
    summary="Change a maintenance window (with the version read)",
)
def update_maintenance_window(request, window_id: Id, payload: ChangeWindowUpdate):
    return _update_window(request, WindowKind.MAINTENANCE, window_id, payload)


@router.get(
    "/blackouts",
    response={200: page_of(ChangeWindowOut), **ERRORS},
    summary="Blackout periods: when nothing in their scope may be changed",
)
def list_blackouts(request, filters: Query[ChangeAdminFilters], page: Query[PageParams]):
    return _list_windows(request, WindowKind.BLACKOUT, filters, page)


@router.post(
    "/blackouts",
    response={201: ChangeWindowOut, **ERRORS},
    summary="Create a blackout period (weekly hours in a time zone, or a dated period)",
)
def create_blackout(request, payload: ChangeWindowCreate):
    return _create_window(request, WindowKind.BLACKOUT, payload)


@router.get(
    "/blackouts/{window_id}", response={200: ChangeWindowOut, **ERRORS}, summary="One blackout"
)
def get_blackout(request, window_id: Id):
    return window_out(_window(staff(request), WindowKind.BLACKOUT, window_id))


@router.patch(
    "/blackouts/{window_id}",
    response={200: ChangeWindowOut, **ERRORS},
    summary="Change a blackout period (with the version read)",
)
def update_blackout(request, window_id: Id, payload: ChangeWindowUpdate):
    return _update_window(request, WindowKind.BLACKOUT, window_id, payload)


# --- the risk questionnaire ---------------------------------------------------------------------


def _questions(user):
    return (
        RiskQuestion.objects.for_user(user, "view")
        .prefetch_related(Prefetch("answers", queryset=RiskAnswer.objects.order_by("order", "id")))
        .order_by("order", "id")
    )


def question_out(q: RiskQuestion) -> dict:
    return {
        "id": q.pk,
        "text": q.text,
        "help": q.help,
        "weight": q.weight,
        "order": q.order,
        "is_active": q.is_active,
        "answers": [
            {"id": a.pk, "text": a.text, "value": a.value, "order": a.order}
            for a in q.answers.all()
        ],
        "created_at": q.created_at,
        "updated_at": q.updated_at,
        "version": q.version,
    }


def _question(user, question_id: int) -> RiskQuestion:
    question = _questions(user).filter(pk=question_id).first()
    if question is None:
        raise NotFound(_("Question %(id)s not found.") % {"id": question_id})
    return question


@router.get(
    "/risk-questions",
    response={200: page_of(ChangeRiskQuestionOut), **ERRORS},
    summary="The risk questionnaire: questions, their weights and answers",
)
def list_questions(request, filters: Query[ChangeAdminFilters], page: Query[PageParams]):
    actor = staff(request)
    qs = _questions(actor)
    if filters.is_active is not None:
        qs = qs.filter(is_active=filters.is_active)
    return paginate(qs, page, question_out)


@router.post(
    "/risk-questions",
    response={201: ChangeRiskQuestionOut, **ERRORS},
    summary="Add a risk question with its answers",
)
def create_question(request, payload: ChangeRiskQuestionCreate):
    actor = staff(request)
    data = payload.dict()
    question = ops.create_question(actor, **data)
    return HttpStatus(201, question_out(_question(actor, question.pk)))


@router.get(
    "/risk-questions/{question_id}",
    response={200: ChangeRiskQuestionOut, **ERRORS},
    summary="One risk question",
)
def get_question(request, question_id: Id):
    return question_out(_question(staff(request), question_id))


@router.patch(
    "/risk-questions/{question_id}",
    response={200: ChangeRiskQuestionOut, **ERRORS},
    summary="Change a risk question or its answers (with the version read)",
)
def update_question(request, question_id: Id, payload: ChangeRiskQuestionUpdate):
    actor = staff(request)
    question = _question(actor, question_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    _refuse_nulls(data, ("text", "weight", "order", "is_active", "answers"))
    _blank_nulls(data, ("help",))
    ops.update_question(actor, question, version=version, **data)
    return question_out(_question(actor, question_id))
