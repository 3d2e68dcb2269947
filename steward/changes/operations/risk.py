"""The risk questionnaire's answers of a change, and keeping its risk current: the operations
that move what the risk reads (answers, CIs, services, the outage) reassess it in the same
transaction (``steward.changes.risk`` says how)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils.translation import gettext as _

from steward.changes import rules
from steward.changes.choices import Status
from steward.changes.models import ChangeRequest, ChangeRiskAnswer, RiskAnswer, RiskQuestion
from steward.changes.operations.approvals import reauthorize
from steward.changes.operations.common import (
    check_version,
    invalid,
    locked,
    reason_labels,
    reassess,
    require_editable,
    require_staff,
)
from steward.core import journal
from steward.core.concurrency import save_versioned
from steward.core.errors import Conflict, ValidationError


def resolve_answers(answers: Mapping[int, int] | None) -> list[tuple[RiskQuestion, RiskAnswer]]:
    """``{question_id: answer_id}`` as ``(question, answer)`` pairs, every problem named by
    question (``answers.<id>``): an unknown or retired question, an answer of another one."""
    if not answers:
        return []
    try:
        wanted = {int(q): int(a) for q, a in answers.items()}
    except (TypeError, ValueError) as exc:
        raise invalid(
            "answers", _("Answers are given as question id: answer id."), "ids expected"
        ) from exc
    questions = RiskQuestion.objects.in_bulk(list(wanted))
    found = RiskAnswer.objects.in_bulk(list(wanted.values()))
    problems: dict[str, list[str]] = {}
    pairs = []
    for question_id, answer_id in sorted(wanted.items()):
        question = questions.get(question_id)
        answer = found.get(answer_id)
        key = f"answers.{question_id}"
        if question is None or not question.is_active:
            problems[key] = ["no such active question"]
        elif answer is None or answer.question_id != question_id:
            problems[key] = [f"answer {answer_id} is not an answer to this question"]
        else:
            pairs.append((question, answer))
    if problems:
        raise ValidationError(
            _("Some answers of the risk questionnaire are not valid: %(which)s.")
            % {"which": ", ".join(problems)},
            problems,
        )
    return pairs


def answer_labels(change: ChangeRequest) -> list[str]:
    rows = ChangeRiskAnswer.objects.filter(change=change).select_related("question", "answer")
    return [f"{r.question.text}: {r.answer.text}" for r in rows.order_by("question__order", "id")]


def store_answers(change: ChangeRequest, pairs: Iterable[tuple[RiskQuestion, RiskAnswer]]) -> None:
    """Set the change's answer to each question given (others stay as they were)."""
    pairs = list(pairs)
    if not pairs:
        return
    ChangeRiskAnswer.objects.filter(change=change, question__in=[q for q, _a in pairs]).delete()
    ChangeRiskAnswer.objects.bulk_create(
        [ChangeRiskAnswer(change=change, question=q, answer=a) for q, a in pairs]
    )


@transaction.atomic
def answer_risk(
    actor, change: ChangeRequest, *, version: int | None, answers: Mapping[int, int]
) -> ChangeRequest:
    """Answer (or re-answer) questions of the risk questionnaire; the risk follows."""
    require_staff(actor)
    locked(change)
    check_version(change, version)
    require_editable(change)
    if not rules.may_answer_risk(actor, change):
        raise Conflict(
            _("A standard change keeps its template's risk: it has no questionnaire."),
            {"answers": ["a standard change has no questionnaire"]},
        )
    pairs = resolve_answers(answers)
    if not pairs:
        raise invalid("answers", _("Give at least one answer."), "required")
    before = {"answers": answer_labels(change), "risk": change.risk}
    before_reasons = reason_labels(change.risk_reasons)
    store_answers(change, pairs)
    reassess(change)
    save_versioned(change, None, ["risk", "risk_reasons"])
    after = {"answers": answer_labels(change), "risk": change.risk}
    diff = journal.diff(before, after)
    if reason_labels(change.risk_reasons) != before_reasons:
        diff["risk_reasons"] = [before_reasons, reason_labels(change.risk_reasons)]
    journal.record(actor, change, "risk_answered", diff)
    reauthorize(actor, change)  # a risk moved in Authorize is authorized afresh
    return change


def reassess_open(actor, changes) -> int:
    """Reassess the risk of ``changes`` not yet authorized (New, Assess) after the admin data
    it reads moved (questions, rules, thresholds); journal each that moved. Changes further
    along keep the risk they were authorized at."""
    moved = 0
    pending = changes.filter(status__in=[Status.NEW, Status.ASSESS]).select_related("template")
    for change in pending.order_by("pk"):
        before = {"risk": change.risk, "risk_reasons": reason_labels(change.risk_reasons)}
        if reassess(change):
            save_versioned(change, None, ["risk", "risk_reasons"])
            after = {"risk": change.risk, "risk_reasons": reason_labels(change.risk_reasons)}
            journal.record(actor, change, "risk_reassessed", journal.diff(before, after))
            moved += 1
    return moved
