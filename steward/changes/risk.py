"""A change's risk and what set it: the higher of the questionnaire and the risk rules.

The questionnaire: each answer the change gave scores ``answer.value * question.weight``
(active questions only); the sum is at least moderate from ``ChangeSettings.moderate_from`` and
high from ``high_from``. The rules (``RiskRule``, active ones) each set a minimum risk when they
hold: a service of the change (named, or delivered by one of its CIs) of criticality at or
below the parameter (1 is the most critical); a CI of the change without a change closed
``successful`` in the last ``parameter`` days; an outage expected.

``reasons`` lists everything that reached the final risk, as ``{"source", "label", "risk"}``
(the change page explains the risk from it); nothing raised a low risk when it is empty. A
standard change keeps its template's risk (``source`` ``template``). Reads only: the operations
store the result."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.changes.choices import ChangeType, Outcome, Risk, RiskRuleKind, Status, higher_risk
from steward.changes.models import ChangeRequest, ChangeRiskAnswer, ChangeSettings, RiskRule
from steward.services.models import ConfigurationItem, Service, ServiceCI

Reason = dict[str, str]


def settings() -> ChangeSettings:
    """The practice's settings row (the data migration makes it; made here if it was lost)."""
    row = ChangeSettings.objects.order_by("pk").first()
    return row if row is not None else ChangeSettings.objects.create()


def score_risk(score: int, row: ChangeSettings) -> str:
    if score >= row.high_from:
        return Risk.HIGH
    if score >= row.moderate_from:
        return Risk.MODERATE
    return Risk.LOW


def questionnaire(change: ChangeRequest, answers=None) -> tuple[int, str, Reason | None]:
    """The change's score, the risk it maps to and the reason naming the answers that scored
    (None when nothing scored). ``answers``: unsaved ``(question, answer)`` pairs to read
    instead of the stored ones."""
    if answers is None:
        rows = ChangeRiskAnswer.objects.filter(
            change=change, question__is_active=True
        ).select_related("question", "answer")
        answers = [(r.question, r.answer) for r in rows.order_by("question__order", "id")]
    scored = [
        (q, a, a.value * q.weight) for q, a in answers if q.is_active and a.value * q.weight > 0
    ]
    score = sum(points for _q, _a, points in scored)
    risk = score_risk(score, settings())
    if not scored:
        return score, risk, None
    parts = "; ".join(f"{q.text}: {a.text} (+{points})" for q, a, points in scored)
    label = _("Questionnaire score %(score)s — %(answers)s") % {"score": score, "answers": parts}
    return score, risk, {"source": "questionnaire", "label": label, "risk": risk}


def _names(rows) -> str:
    return ", ".join(sorted(str(r.name) for r in rows))


def _services(change: ChangeRequest, criticality: int) -> list[Service]:
    """The change's services (named, or delivered by its CIs) at ``criticality`` or more
    critical."""
    delivered = ServiceCI.objects.filter(ci__in=change.cis.values("pk")).values("service_id")
    return list(
        Service.objects.filter(criticality__lte=criticality)
        .filter(Q(pk__in=change.services.values("pk")) | Q(pk__in=delivered))
        .order_by("name")
    )


def _without_recent_success(change: ChangeRequest, days: int) -> list[ConfigurationItem]:
    since = timezone.now() - dt.timedelta(days=days)
    succeeded = ChangeRequest.objects.filter(
        status=Status.CLOSED, outcome=Outcome.SUCCESSFUL, closed_at__gte=since
    ).exclude(pk=change.pk)
    recent = ChangeRequest.cis.through.objects.filter(changerequest__in=succeeded).values(
        "configurationitem_id"
    )
    return list(change.cis.exclude(pk__in=recent).order_by("name"))


def rule_holds(rule: RiskRule, change: ChangeRequest) -> str | None:
    """What makes ``rule`` hold for ``change`` (a label for people), or None."""
    if rule.kind == RiskRuleKind.OUTAGE_EXPECTED:
        return str(rule.name) if change.outage_expected else None
    if change.pk is None or rule.parameter is None:
        return None
    if rule.kind == RiskRuleKind.SERVICE_CRITICALITY:
        found = _services(change, rule.parameter)
    elif rule.kind == RiskRuleKind.NO_RECENT_SUCCESS:
        found = _without_recent_success(change, rule.parameter)
    else:
        return None
    return f"{rule.name}: {_names(found)}" if found else None


def rules(change: ChangeRequest) -> list[Reason]:
    """The active rules that hold, each as a reason with its minimum risk."""
    held = []
    for rule in RiskRule.objects.filter(is_active=True).order_by("id"):
        label = rule_holds(rule, change)
        if label is not None:
            held.append({"source": "rule", "label": label, "risk": rule.minimum})
    return held


def assess(change: ChangeRequest, answers=None) -> tuple[str, list[Reason]]:
    """``(risk, reasons)`` of ``change`` as it stands (its saved answers, CIs and services;
    ``answers`` as in :func:`questionnaire`)."""
    if change.type == ChangeType.STANDARD and change.template_id:
        template = change.template
        return template.risk, [
            {"source": "template", "label": str(template.name), "risk": template.risk}
        ]
    _score, risk, reason = questionnaire(change, answers)
    candidates = ([reason] if reason else []) + rules(change)
    for held in candidates:
        risk = higher_risk(risk, held["risk"])
    return risk, [r for r in candidates if r["risk"] == risk]
