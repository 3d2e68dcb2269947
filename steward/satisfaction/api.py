"""The satisfaction API (mounted at /api/v1 in steward/api.py): the respondent's surveys
(``GET /surveys?mine=true`` with their tokens; ``GET/POST /surveys/{token}``), IT staff's
results (``GET /csat``, ``GET /surveys?mine=false``) and the follow-ups of low scores."""

from __future__ import annotations

from typing import Annotated

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router
from pydantic import StringConstraints

from steward.core.api_input import Id
from steward.core.api_support import ERRORS, PageParams, named_ref, page_of, paginate, person_brief
from steward.core.errors import NotFound, PermissionDenied
from steward.satisfaction import operations as ops
from steward.satisfaction import queries, results, rules, sources, tokens
from steward.satisfaction.models import FollowUp, Survey
from steward.satisfaction.schemas import (
    CsatOut,
    CsatQuery,
    SurveyAnswerIn,
    SurveyFollowUpCloseIn,
    SurveyFollowUpOut,
    SurveyFollowUpQuery,
    SurveyListQuery,
    SurveyOut,
    SurveyStaffOut,
)

router = Router(tags=["satisfaction"])

#: A survey link's token: URL-safe base64 (``satisfaction.tokens``); anything else is no token.
SurveyToken = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{16,100}$")]


def _state(survey: Survey, now=None) -> str:
    if survey.answered_at is not None:
        return "answered"
    return "open" if survey.expires_at > (now or timezone.now()) else "expired"


def survey_out(survey: Survey, token: str | None = None) -> dict:
    """The respondent's view of ``survey`` (the token while it is open)."""
    state = _state(survey)
    token = (token or tokens.token_of(survey)) if state == "open" else None
    return {
        "id": survey.pk,
        "token": token,
        "url": ops.answer_path(token) if token else None,
        "record_type": survey.record_type,
        "record_label": survey.record_label,
        "state": state,
        "sent_at": survey.sent_at,
        "expires_at": survey.expires_at,
        "answered_at": survey.answered_at,
        "score": survey.score,
        "comment": survey.comment,
    }


def _follow_up_brief(survey: Survey) -> dict | None:
    follow_up = getattr(survey, "follow_up", None)
    if follow_up is None:
        return None
    return {"id": follow_up.pk, "status": follow_up.status, "owner": person_brief(follow_up.owner)}


def survey_staff_out(survey: Survey) -> dict:
    return {
        "id": survey.pk,
        "record_type": survey.record_type,
        "record_id": survey.record_id,
        "record_label": survey.record_label,
        "record_url": sources.ticket_url(survey.record_type, survey.record_label),
        "respondent": person_brief(survey.respondent),
        "organization": named_ref(survey.organization),
        "service": named_ref(survey.service),
        "group": named_ref(survey.group),
        "agent": person_brief(survey.agent),
        "state": _state(survey),
        "sent_at": survey.sent_at,
        "expires_at": survey.expires_at,
        "answered_at": survey.answered_at,
        "score": survey.score,
        "comment": survey.comment,
        "follow_up": _follow_up_brief(survey),
    }


def _staff_rows():
    return Survey.objects.select_related(
        "respondent", "organization", "service", "group", "agent", "follow_up__owner"
    )


@router.get(
    "/surveys",
    response={200: page_of(SurveyOut) | page_of(SurveyStaffOut), **ERRORS},
    summary="My open surveys with their tokens; or (mine=false, IT staff) every survey",
)
def list_surveys(request, filters: Query[SurveyListQuery], page: Query[PageParams]):
    """``mine=true`` (the default): the surveys waiting for me, newest first, each with the
    token of its link. ``mine=false``: IT staff read every survey (filtered by state, service,
    group, agent), without tokens; a requester reads their own."""
    user = request.auth
    if filters.mine or not user.is_it:
        if filters.mine:
            rows = queries.open_surveys(user)
        else:
            rows = Survey.objects.filter(respondent=user.pk).order_by("-sent_at", "-id")
        return paginate(rows, page, survey_out)
    rows = _staff_rows().for_user(user, "view")
    now = timezone.now()
    if filters.state == "answered":
        rows = rows.filter(answered_at__isnull=False)
    elif filters.state == "open":
        rows = rows.filter(answered_at__isnull=True, expires_at__gt=now)
    elif filters.state == "expired":
        rows = rows.filter(answered_at__isnull=True, expires_at__lte=now)
    for name in ("service", "group", "agent"):
        value = getattr(filters, name)
        if value is not None:
            rows = rows.filter(**{f"{name}_id": value})
    return paginate(rows.order_by("-sent_at", "-id"), page, survey_staff_out)


@router.get(
    "/surveys/{token}",
    response={200: SurveyOut, **ERRORS},
    summary="A survey, by the token of its link",
)
def get_survey(request, token: SurveyToken):
    """The token is the credential: whoever holds the link reads the survey (404 for an
    unknown token)."""
    return survey_out(ops.survey_for_token(token), token)


@router.post(
    "/surveys/{token}",
    response={200: SurveyOut, **ERRORS},
    summary="Answer a survey (once)",
)
def answer_survey(request, token: SurveyToken, payload: SurveyAnswerIn):
    """``{"score": 1-5, "comment": str}``. Once: a second answer is 409 "already answered",
    as is an expired survey."""
    survey = ops.answer(request.auth, token, score=payload.score, comment=payload.comment)
    return survey_out(survey, token)


@router.get(
    "/csat",
    response={200: CsatOut, **ERRORS},
    summary="Satisfaction results: CSAT, mean score and response rate (IT staff)",
    by_alias=True,
)
def csat(request, filters: Query[CsatQuery]):
    """Over the surveys sent in ``[from, to)`` (default: the last twelve months), in total and
    with ``by`` one row per service, group, agent or UTC month. CSAT is the share of answers
    scoring 4 or 5; the response rate the share of surveys answered."""
    if not rules.may_view_results(request.auth):
        raise PermissionDenied(_("The satisfaction results are for IT staff."))
    period = results.checked_period(filters.from_, filters.to)
    report = results.report(
        request.auth,
        period,
        filters.by or "",
        service=filters.service,
        group=filters.group,
        agent=filters.agent,
    )
    return {
        "from": period.start,
        "to": period.end,
        "by": report.by or None,
        "totals": report.totals.as_dict(),
        "rows": [{"key": r.key, "label": r.label, **r.figures.as_dict()} for r in report.rows],
    }


# --- follow-ups ---------------------------------------------------------------------------------


def follow_up_out(follow_up: FollowUp, user) -> dict:
    return {
        "id": follow_up.pk,
        "status": follow_up.status,
        "owner": person_brief(follow_up.owner),
        "notes": follow_up.notes,
        "done_at": follow_up.done_at,
        "done_by": person_brief(follow_up.done_by),
        "version": follow_up.version,
        "created_at": follow_up.created_at,
        "survey": survey_staff_out(follow_up.survey),
        "actions": sorted(rules.allowed_actions(user, follow_up)),
    }


def _follow_ups(user):
    return FollowUp.objects.for_user(user, "view").select_related(
        "owner",
        "done_by",
        "survey__respondent",
        "survey__organization",
        "survey__service",
        "survey__group",
        "survey__agent",
    )


def _follow_up(user, follow_up_id: int) -> FollowUp:
    row = _follow_ups(user).filter(pk=follow_up_id).first()
    if row is None:
        raise NotFound(_("Follow-up %(id)s not found.") % {"id": follow_up_id})
    return row


@router.get(
    "/survey-follow-ups",
    response={200: page_of(SurveyFollowUpOut), **ERRORS},
    summary="Follow-ups of low scores (IT staff)",
)
def list_follow_ups(request, filters: Query[SurveyFollowUpQuery], page: Query[PageParams]):
    """Oldest open first; ``mine=true``: those I answer for (mine, or my groups')."""
    user = request.auth
    rows = queries.follow_ups_for(user) if filters.mine else _follow_ups(user)
    if filters.mine:
        rows = rows.select_related("owner", "done_by", "survey__respondent", "survey__group")
    if filters.status:
        rows = rows.filter(status=filters.status)
    rows = rows.order_by("-status", "id") if not filters.status else rows.order_by("id")
    return paginate(rows, page, lambda f: follow_up_out(f, user))


@router.get(
    "/survey-follow-ups/{follow_up_id}",
    response={200: SurveyFollowUpOut, **ERRORS},
    summary="A follow-up of a low score",
)
def get_follow_up(request, follow_up_id: Id):
    return follow_up_out(_follow_up(request.auth, follow_up_id), request.auth)


@router.post(
    "/survey-follow-ups/{follow_up_id}/close",
    response={200: SurveyFollowUpOut, **ERRORS},
    summary="Close a follow-up with what was done (its owner, the group's manager, an admin)",
)
def close_follow_up(request, follow_up_id: Id, payload: SurveyFollowUpCloseIn):
    row = _follow_up(request.auth, follow_up_id)
    closed = ops.close_follow_up(request.auth, row, notes=payload.notes, version=payload.version)
    return follow_up_out(closed, request.auth)
