"""The risk pages: the questionnaire (questions with their answers, values and weights, in
order) and the risk rules, each with its form; the thresholds live on the settings page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from steward.changes import operations as ops
from steward.changes.forms_admin import QuestionForm, RiskRuleForm
from steward.changes.models import RiskAnswer, RiskQuestion, RiskRule
from steward.changes.operations.admin_removals import delete_risk_rule
from steward.changes.risk import settings
from steward.changes.views.admin_common import area, attempt, history, keeper
from steward.core.errors import DomainError
from steward.people import conflicts

SECTION = "change_risk"


def _questions(user):
    return (
        RiskQuestion.objects.for_user(user, "view")
        .prefetch_related(Prefetch("answers", queryset=RiskAnswer.objects.order_by("order", "id")))
        .order_by("-is_active", "order", "id")
    )


@login_required
def risk_overview(request):
    user = keeper(request)
    context = {
        "questions": _questions(user),
        "rules": RiskRule.objects.for_user(user, "view").order_by("-is_active", "id"),
        "settings": settings(),
        **area(request, SECTION),
    }
    return render(request, "changes/admin/risk.html", context)


def _question(user, pk: int) -> RiskQuestion:
    question = _questions(user).filter(pk=pk).first()
    if question is None:
        raise Http404
    return question


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def question_create(request):
    user = keeper(request)
    status = 200
    if request.method == "POST":
        form = QuestionForm(request.POST)
        status = 422
        if form.is_valid():
            values = form.values()
            ok, _conflict, status = attempt(
                form,
                None,
                lambda: ops.create_question(user, **values),
                rename=form.field_for,
            )
            if ok:
                messages.success(request, _("The question has been added."))
                return redirect("changes:admin_risk")
    else:
        form = QuestionForm()
    context = {"form": form, "question": None, **area(request, SECTION)}
    return render(request, "changes/admin/question_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def question_edit(request, pk: int):
    user = keeper(request)
    question = _question(user, pk)
    answers = list(question.answers.all())
    conflict, status = None, 200
    if request.method == "POST":
        form = QuestionForm(request.POST, answers=answers)
        status = 422
        if form.is_valid():
            version = form.cleaned_data.get("version") or 0
            values = form.values() | {"is_active": form.cleaned_data["is_active"]}
            ok, conflict, status = attempt(
                form,
                question,
                lambda: ops.update_question(user, question, version=version, **values),
                rename=form.field_for,
            )
            if ok:
                messages.success(request, _("The question has been saved."))
                return redirect("changes:admin_risk")
    else:
        initial = {
            "text": question.text,
            "help": question.help,
            "weight": question.weight,
            "order": question.order,
            "is_active": question.is_active,
            "version": question.version,
            "seen": conflicts.last_seen(question),
        }
        form = QuestionForm(initial=initial, answers=answers)
    context = {
        "form": form,
        "question": question,
        "conflict": conflict,
        "history": history(question),
        **area(request, SECTION),
    }
    return render(request, "changes/admin/question_form.html", context, status=status)


def _rule(user, pk: int) -> RiskRule:
    rule = RiskRule.objects.for_user(user, "view").filter(pk=pk).first()
    if rule is None:
        raise Http404
    return rule


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def rule_create(request):
    user = keeper(request)
    status = 200
    if request.method == "POST":
        form = RiskRuleForm(request.POST)
        status = 422
        if form.is_valid():
            values = form.values()
            ok, _conflict, status = attempt(
                form, None, lambda: ops.create_risk_rule(user, **values)
            )
            if ok:
                messages.success(
                    request, _("Risk rule “%(name)s” has been added.") % {"name": values["name"]}
                )
                return redirect("changes:admin_risk")
    else:
        form = RiskRuleForm()
    context = {"form": form, "rule": None, **area(request, SECTION)}
    return render(request, "changes/admin/rule_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def rule_edit(request, pk: int):
    user = keeper(request)
    rule = _rule(user, pk)
    conflict, status = None, 200
    if request.method == "POST":
        form = RiskRuleForm(request.POST)
        status = 422
        if form.is_valid():
            version = form.cleaned_data.get("version") or 0
            values = form.values()
            ok, conflict, status = attempt(
                form, rule, lambda: ops.update_risk_rule(user, rule, version=version, **values)
            )
            if ok:
                messages.success(
                    request, _("Risk rule “%(name)s” has been saved.") % {"name": rule}
                )
                return redirect("changes:admin_risk")
    else:
        initial = RiskRuleForm.initial_for(rule) | {"seen": conflicts.last_seen(rule)}
        form = RiskRuleForm(initial=initial)
    context = {
        "form": form,
        "rule": rule,
        "conflict": conflict,
        "history": history(rule),
        **area(request, SECTION),
    }
    return render(request, "changes/admin/rule_form.html", context, status=status)


@login_required
@require_POST
def rule_delete(request, pk: int):
    user = keeper(request)
    rule = _rule(user, pk)
    try:
        delete_risk_rule(user, rule)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("changes:admin_rule", rule.pk)
    messages.success(request, _("Risk rule “%(name)s” has been removed.") % {"name": rule.name})
    return redirect("changes:admin_risk")
