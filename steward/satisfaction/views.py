"""The satisfaction pages.

- ``answer`` (``/satisfaction/s/<token>/``): the one question, for whoever holds the link
  (signed in or not: the token is the credential); a focused page of its own, like the sign-in.
- ``results`` (``/satisfaction/``) and its CSV: CSAT, mean score and response rate over a
  period, per month (charts and table) and per service, group or agent; the latest comments.
- ``survey`` (``/satisfaction/surveys/<id>/``): one survey and its follow-up.
- ``follow_ups`` and ``follow_up``: the follow-ups of low scores, and closing one.

Everything but the answer page is for IT staff; anyone else gets a 404, as for a page that
does not exist."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from steward.core.errors import DomainError, NotFound
from steward.knowledge import charts
from steward.people.forms import add_domain_error
from steward.satisfaction import operations as ops
from steward.satisfaction import queries, results, rules, sources
from steward.satisfaction.choices import SCORES, FollowUpStatus
from steward.satisfaction.forms import AnswerForm, CloseFollowUpForm, ResultsForm
from steward.satisfaction.models import FollowUp, Survey

DEFAULT_BY = "group"
COMMENTS_SHOWN = 10
FOLLOW_UPS_SHOWN = 200
SCORE_LABELS = dict(SCORES)


def _staff(request):
    if not rules.may_view_results(request.user):
        raise Http404
    return request.user


# --- the answer page ---------------------------------------------------------------------------


@never_cache
def answer(request, token: str):
    """GET: the question (or, once answered, the answer; or why it cannot be answered).
    POST: the answer (then GET again: a reload does not send it twice)."""
    try:
        survey = ops.survey_for_token(token)
    except NotFound as exc:
        raise Http404 from exc
    expired = survey.answered_at is None and survey.expires_at <= timezone.now()
    form = AnswerForm(request.POST or None) if request.method == "POST" else AnswerForm()
    if request.method == "POST" and survey.answered_at is None and not expired:
        if form.is_valid():
            try:
                ops.answer(
                    request.user,
                    token,
                    score=form.cleaned_data["score"],
                    comment=form.cleaned_data["comment"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                return redirect("satisfaction:answer", token=token)
        survey.refresh_from_db()
    elif request.method == "POST":
        survey.refresh_from_db()
    return render(
        request,
        "satisfaction/answer.html",
        {
            "survey": survey,
            "form": form,
            "expired": expired,
            "score_label": SCORE_LABELS.get(survey.score, ""),
            "followed_up": survey.answered_at is not None
            and FollowUp.objects.filter(survey=survey).exists(),
        },
        status=422 if request.method == "POST" and form.errors else 200,
    )


# --- results -----------------------------------------------------------------------------------


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def _chosen(request) -> tuple[ResultsForm, results.Period, str]:
    """The form, the period (UTC days, the end day included; the last twelve months by
    default) and the dimension."""
    form = ResultsForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    default = results.checked_period(None, None)
    start_day = data.get("start") or default.start.date()
    end_day = data.get("end") or (default.end - dt.timedelta(days=1)).date()
    if start_day > end_day or (end_day - start_day).days >= results.MAX_DAYS:
        start_day, end_day = default.start.date(), (default.end - dt.timedelta(days=1)).date()
    by = data.get("by") or DEFAULT_BY
    if not request.GET or not form.is_bound:
        form = ResultsForm(initial={"start": start_day, "end": end_day, "by": by})
    period = results.Period(_midnight(start_day), _midnight(end_day + dt.timedelta(days=1)))
    return form, period, by


def _num(value, suffix: str = "") -> str:
    if value is None:
        return "—"
    value = round(float(value), 2)
    shown = formats.number_format(int(value) if value.is_integer() else value, use_l10n=True)
    return f"{shown}{suffix}"


def _cells(f: results.Figures) -> list[tuple[str, str, str]]:
    """One table row: (column, figure, what it is made of; nothing under a dash)."""

    def of(n, total):
        return _("%(n)s of %(of)s") % {"n": n, "of": total} if total else ""

    return [
        (_("CSAT"), _num(f.csat, " %"), of(f.satisfied, f.answered)),
        (_("Mean score"), _num(f.mean_score), ""),
        (_("Response rate"), _num(f.response_rate, " %"), of(f.answered, f.sent)),
        (_("Sent"), _num(f.sent), ""),
    ]


def _tiles(t: results.Figures) -> list[dict]:
    return [
        {
            "title": _("CSAT"),
            "value": _num(t.csat),
            "unit": "%",
            "detail": _("%(n)s of %(of)s answers scored 4 or 5")
            % {"n": t.satisfied, "of": t.answered},
        },
        {
            "title": _("Mean score"),
            "value": _num(t.mean_score),
            "unit": _("of 5"),
            "detail": _("over %(n)s answers") % {"n": t.answered},
        },
        {
            "title": _("Response rate"),
            "value": _num(t.response_rate),
            "unit": "%",
            "detail": _("%(n)s of %(of)s surveys sent were answered")
            % {"n": t.answered, "of": t.sent},
        },
    ]


def _charts(months: list[results.Row]) -> list[dict]:
    csat = [(r.key, r.label, r.figures.csat) for r in months]
    rate = [(r.key, r.label, r.figures.response_rate) for r in months]
    return [
        {
            "key": "csat",
            "title": _("CSAT per month"),
            "chart": charts.months(csat, suffix=" %", top=100),
        },
        {
            "key": "response",
            "title": _("Response rate per month"),
            "chart": charts.months(rate, suffix=" %", top=100),
        },
    ]


def _distribution(t: results.Figures) -> list[dict]:
    most = max(t.scores) if any(t.scores) else 1
    return [
        {
            "score": n,
            "label": SCORE_LABELS[n],
            "count": count,
            "width": round(100 * count / most) if most else 0,
        }
        for n, count in zip(range(1, len(t.scores) + 1), t.scores, strict=True)
    ]


@login_required
def results_page(request):
    user = _staff(request)
    form, period, by = _chosen(request)
    report = results.report(user, period, by)
    months = results.report(user, period, "month").rows if by != "month" else report.rows
    latest = (
        results.surveys(user, period)
        .filter(answered_at__isnull=False)
        .exclude(comment="")
        .select_related("group", "agent")
        .order_by("-answered_at", "-id")[:COMMENTS_SHOWN]
    )
    return render(
        request,
        "satisfaction/results.html",
        {
            "form": form,
            "period": period,
            "last_day": period.end - dt.timedelta(days=1),
            "by": by,
            "by_label": results.BY_LABELS[by],
            "tiles": _tiles(report.totals),
            "charts": _charts(months) if len(months) > 1 else [],
            "columns": [c for c, _m, _n in _cells(report.totals)],
            # the charts show every month; the table the months with surveys
            "months": [(r.label, _cells(r.figures)) for r in months if r.figures.sent],
            "rows": [(r.label, _cells(r.figures)) for r in report.rows] if by != "month" else [],
            "totals": _cells(report.totals),
            "distribution": _distribution(report.totals),
            "latest": latest,
            "score_labels": SCORE_LABELS,
            "csv_query": request.GET.urlencode(),
        },
    )


@login_required
def results_csv(request):
    user = _staff(request)
    _form, period, by = _chosen(request)
    report = results.report(user, period, by)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            results.BY_LABELS[by],
            "key",
            "sent",
            "answered",
            "response_rate_percent",
            "mean_score",
            "csat_percent",
            "score_1",
            "score_2",
            "score_3",
            "score_4",
            "score_5",
        ]
    )

    def line(key, label, f):
        writer.writerow(
            [
                label,
                key,
                f.sent,
                f.answered,
                "" if f.response_rate is None else f.response_rate,
                "" if f.mean_score is None else f.mean_score,
                "" if f.csat is None else f.csat,
                *f.scores,
            ]
        )

    for row in report.rows:
        line(row.key, row.label, row.figures)
    line("", _("Total"), report.totals)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"satisfaction-{period.start:%Y%m%d}-{(period.end - dt.timedelta(days=1)):%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- a survey ----------------------------------------------------------------------------------


@login_required
def survey_detail(request, pk: int):
    user = _staff(request)
    survey = (
        Survey.objects.for_user(user, "view")
        .select_related("respondent", "organization", "service", "group", "agent")
        .filter(pk=pk)
        .first()
    )
    if survey is None:
        raise Http404
    follow_up = FollowUp.objects.filter(survey=survey).select_related("owner", "done_by").first()
    return render(
        request,
        "satisfaction/survey.html",
        {
            "survey": survey,
            "ticket_url": sources.ticket_url(survey.record_type, survey.record_label),
            "score_label": SCORE_LABELS.get(survey.score, ""),
            "follow_up": follow_up,
            "expired": survey.answered_at is None and survey.expires_at <= timezone.now(),
        },
    )


# --- follow-ups --------------------------------------------------------------------------------

TABS = ("mine", "open", "done")


@login_required
def follow_ups(request):
    user = _staff(request)
    tab = request.GET.get("tab")
    mine = queries.follow_ups_for(user)
    if tab not in TABS:
        tab = "mine" if mine.exists() else "open"
    if tab == "mine":
        rows = mine.order_by("id")
    else:
        status = FollowUpStatus.OPEN if tab == "open" else FollowUpStatus.DONE
        rows = FollowUp.objects.for_user(user, "view").filter(status=status)
        rows = rows.order_by("id") if tab == "open" else rows.order_by("-done_at", "-id")
    rows = rows.select_related("owner", "survey", "survey__group", "survey__respondent")
    labels = {
        "mine": _("Mine"),
        "open": _("Open"),
        "done": _("Done"),
    }
    return render(
        request,
        "satisfaction/follow_ups.html",
        {
            "tab": tab,
            "tabs": [(t, labels[t]) for t in TABS],
            "follow_ups": list(rows[:FOLLOW_UPS_SHOWN]),
            "score_labels": SCORE_LABELS,
        },
    )


def _follow_up_for(user, pk: int) -> FollowUp:
    row = (
        FollowUp.objects.for_user(user, "view")
        .select_related(
            "owner", "done_by", "survey", "survey__group", "survey__respondent", "survey__agent"
        )
        .filter(pk=pk)
        .first()
    )
    if row is None:
        raise Http404
    return row


@login_required
def follow_up_detail(request, pk: int):
    user = _staff(request)
    follow_up = _follow_up_for(user, pk)
    form = CloseFollowUpForm(initial={"version": follow_up.version})
    status = 200
    if request.method == "POST":
        form = CloseFollowUpForm(request.POST)
        if form.is_valid():
            try:
                ops.close_follow_up(
                    user,
                    follow_up,
                    notes=form.cleaned_data["notes"],
                    version=form.cleaned_data["version"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                follow_up = _follow_up_for(user, pk)
            else:
                messages.success(request, _("The follow-up is done."))
                return redirect(follow_up)
        status = 422
    survey = follow_up.survey
    return render(
        request,
        "satisfaction/follow_up.html",
        {
            "follow_up": follow_up,
            "survey": survey,
            "score_label": SCORE_LABELS.get(survey.score, ""),
            "ticket_url": sources.ticket_url(survey.record_type, survey.record_label),
            "form": form,
            "actions": rules.allowed_actions(user, follow_up),
        },
        status=status,
    )
