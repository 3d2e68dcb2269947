"""The admin data that steers changes: standard change templates, the risk questionnaire and
rules, change boards, who authorizes what, and the practice's settings. Administrators and
change managers keep them; every write is journaled on the row it changes. A write that moves
what the risk reads reassesses the changes not yet authorized (New, Assess)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from steward.changes.choices import AuthorityLevel, ChangeType, Risk, RiskRuleKind
from steward.changes.models import (
    AuthorityRule,
    ChangeBoard,
    ChangeRequest,
    ChangeSettings,
    ChangeTemplate,
    RiskAnswer,
    RiskQuestion,
    RiskRule,
)
from steward.changes.operations.approvals import reauthorize_open
from steward.changes.operations.common import invalid, require_admin_data
from steward.changes.operations.risk import reassess_open
from steward.core import journal
from steward.core.concurrency import save_versioned
from steward.core.errors import Conflict, ValidationError
from steward.core.operations import full_clean

TEMPLATE_FIELDS = [
    "name",
    "description",
    "owning_group",
    "implementation_plan",
    "backout_plan",
    "test_plan",
    "communication_plan",
    "risk",
    "impact",
    "outage_expected",
    "outage_minutes",
    "tasks",
    "is_active",
]
QUESTION_FIELDS = ["text", "help", "weight", "order", "is_active"]
RULE_FIELDS = ["name", "kind", "parameter", "minimum", "is_active"]
BOARD_FIELDS = ["group", "quorum", "change_manager_required", "meets_on"]
SETTINGS_FIELDS = [
    "moderate_from",
    "high_from",
    "template_success_threshold",
    "template_success_window",
]


def _unknown(fields: dict, allowed) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))},
            {k: ["unknown field"] for k in sorted(unknown)},
        )


def _lock(obj):
    fresh = type(obj).objects.select_for_update().get(pk=obj.pk)
    for f in type(obj)._meta.concrete_fields:
        setattr(obj, f.attname, getattr(fresh, f.attname))
    return obj


def _check_version(obj, version) -> None:
    from steward.core.errors import StaleVersion

    if version is not None and version != obj.version:
        raise StaleVersion(version, obj.version)


def _names(rows) -> list[str]:
    return sorted(str(r.name) for r in rows)


# --- standard change templates ------------------------------------------------------------------


def _tasks(tasks) -> list[str]:
    rows = [str(t).strip() for t in (tasks or ())]
    if any(not t for t in rows):
        raise invalid("tasks", _("A task cannot be empty."), "empty task")
    return rows


def _template_snapshot(template: ChangeTemplate) -> dict:
    snap = journal.snapshot(template, TEMPLATE_FIELDS)
    snap["services"] = _names(template.services.all())
    snap["cis"] = _names(template.cis.all())
    return snap


@transaction.atomic
def create_template(actor, *, services=(), cis=(), tasks=(), **fields) -> ChangeTemplate:
    """A standard change template: authorized once, for every change made from it."""
    require_admin_data(actor)
    _unknown(fields, TEMPLATE_FIELDS)
    template = ChangeTemplate(**fields, tasks=_tasks(tasks))
    if not template.outage_expected:
        template.outage_minutes = None
    full_clean(template)
    template.save()
    template.services.set(list(dict.fromkeys(services)))
    template.cis.set(list(dict.fromkeys(cis)))
    created = {
        k: [None, v] for k, v in _template_snapshot(template).items() if v not in ("", None, [])
    }
    journal.record(actor, template, "created", created)
    return template


@transaction.atomic
def update_template(actor, template: ChangeTemplate, *, version: int | None, **fields):
    """Change a template (``is_active=False`` retires it: no new changes from it). The changes
    already made from it keep what they took."""
    require_admin_data(actor)
    _unknown(fields, [*TEMPLATE_FIELDS, "services", "cis"])
    _lock(template)
    _check_version(template, version)
    services, cis = fields.pop("services", None), fields.pop("cis", None)
    if "tasks" in fields:
        fields["tasks"] = _tasks(fields["tasks"])
    before = _template_snapshot(template)
    for name, value in fields.items():
        setattr(template, name, value)
    if not template.outage_expected:
        template.outage_minutes = None
    full_clean(template)
    save_versioned(template, None, list(dict.fromkeys([*fields, "outage_minutes"])))
    if services is not None:
        template.services.set(list(dict.fromkeys(services)))
    if cis is not None:
        template.cis.set(list(dict.fromkeys(cis)))
    diff = journal.diff(before, _template_snapshot(template))
    if diff:
        journal.record(actor, template, "updated", diff)
    return template


# --- the risk questionnaire ---------------------------------------------------------------------


def _answer_rows(question: RiskQuestion, answers) -> list[RiskAnswer]:
    """The answers as given (``{"id"?, "text", "value", "order"}``), checked by place."""
    if not answers:
        raise invalid("answers", _("A question needs at least one answer."), "required")
    existing = {a.pk: a for a in question.answers.all()} if question.pk else {}
    rows, problems = [], {}
    for i, item in enumerate(answers):
        pk = item.get("id")
        if pk is not None and pk not in existing:
            problems[f"answers.{i}.id"] = ["not an answer of this question"]
            continue
        row = existing.get(pk) or RiskAnswer(question=question)
        row.text = str(item.get("text") or "").strip()
        row.value = item.get("value", 0) or 0
        row.order = item.get("order", 100) if item.get("order") is not None else 100
        if not row.text:
            problems[f"answers.{i}.text"] = ["required"]
        if not isinstance(row.value, int) or row.value < 0:
            problems[f"answers.{i}.value"] = ["a whole number, 0 or more"]
        rows.append(row)
    if problems:
        raise ValidationError(
            _("Some answers are not valid: %(which)s.") % {"which": ", ".join(problems)},
            problems,
        )
    return rows


def _answer_labels(question: RiskQuestion) -> list[str]:
    return [f"{a.text} ({a.value})" for a in question.answers.order_by("order", "id")]


def _save_answers(question: RiskQuestion, rows: list[RiskAnswer]) -> None:
    kept = {r.pk for r in rows if r.pk}
    try:
        question.answers.exclude(pk__in=kept).delete()
    except ProtectedError as exc:
        raise Conflict(
            _("An answer some changes gave cannot be removed: keep it (give its id)."),
            {"answers": ["an answer in use by changes cannot be removed"]},
        ) from exc
    for row in rows:
        row.question = question
        full_clean(row, exclude=["question"])
        row.save()


def _questionnaire_changes(question: RiskQuestion):
    return ChangeRequest.objects.filter(answers__question=question).distinct()


@transaction.atomic
def create_question(
    actor, *, text: str, answers, help: str = "", weight: int = 1, order: int = 100
):
    """A question of the risk questionnaire with its answers (each with a value)."""
    require_admin_data(actor)
    question = RiskQuestion(text=(text or "").strip(), help=help or "", weight=weight, order=order)
    full_clean(question)
    rows = _answer_rows(question, answers)
    question.save()
    _save_answers(question, rows)
    journal.record(
        actor,
        question,
        "created",
        {
            **{k: [None, v] for k, v in journal.snapshot(question, QUESTION_FIELDS).items()},
            "answers": [None, _answer_labels(question)],
        },
    )
    return question


@transaction.atomic
def update_question(actor, question: RiskQuestion, *, version: int | None, answers=None, **fields):
    """Change a question; ``answers`` replaces its answers (those given with an ``id`` are
    kept and changed; an answer changes gave cannot be removed). The changes not yet
    authorized that answered it are reassessed."""
    require_admin_data(actor)
    _unknown(fields, QUESTION_FIELDS)
    _lock(question)
    _check_version(question, version)
    before = {**journal.snapshot(question, QUESTION_FIELDS), "answers": _answer_labels(question)}
    for name, value in fields.items():
        setattr(question, name, value)
    full_clean(question)
    rows = _answer_rows(question, answers) if answers is not None else None
    save_versioned(question, None, list(fields))
    if rows is not None:
        _save_answers(question, rows)
    after = {**journal.snapshot(question, QUESTION_FIELDS), "answers": _answer_labels(question)}
    diff = journal.diff(before, after)
    if diff:
        journal.record(actor, question, "updated", diff)
        reassess_open(actor, _questionnaire_changes(question))
    return question


# --- risk rules ---------------------------------------------------------------------------------


def _check_rule(rule: RiskRule) -> None:
    if rule.kind in (RiskRuleKind.SERVICE_CRITICALITY, RiskRuleKind.NO_RECENT_SUCCESS):
        if rule.parameter is None:
            raise invalid(
                "parameter",
                _("This rule needs its parameter (the criticality, or the days)."),
                "required for this kind of rule",
            )
        if rule.kind == RiskRuleKind.SERVICE_CRITICALITY and not 1 <= rule.parameter <= 4:
            raise invalid("parameter", _("A criticality is 1 to 4."), "a criticality from 1 to 4")
        if rule.parameter < 1:
            raise invalid("parameter", _("At least one day."), "at least 1")
    elif rule.parameter is not None:
        rule.parameter = None


@transaction.atomic
def create_risk_rule(actor, *, name: str, kind: str, minimum: str, parameter=None, is_active=True):
    """A condition that sets a minimum risk when it holds."""
    require_admin_data(actor)
    rule = RiskRule(
        name=(name or "").strip(),
        kind=kind,
        minimum=minimum,
        parameter=parameter,
        is_active=is_active,
    )
    full_clean(rule)
    _check_rule(rule)
    rule.save()
    journal.record(
        actor,
        rule,
        "created",
        {k: [None, v] for k, v in journal.snapshot(rule, RULE_FIELDS).items() if v is not None},
    )
    reassess_open(actor, ChangeRequest.objects.all())
    return rule


@transaction.atomic
def update_risk_rule(actor, rule: RiskRule, *, version: int | None, **fields) -> RiskRule:
    require_admin_data(actor)
    _unknown(fields, RULE_FIELDS)
    _lock(rule)
    _check_version(rule, version)
    before = journal.snapshot(rule, RULE_FIELDS)
    for name, value in fields.items():
        setattr(rule, name, value)
    full_clean(rule)
    _check_rule(rule)
    save_versioned(rule, None, list(dict.fromkeys([*fields, "parameter"])))
    diff = journal.diff(before, journal.snapshot(rule, RULE_FIELDS))
    if diff:
        journal.record(actor, rule, "updated", diff)
        reassess_open(actor, ChangeRequest.objects.all())
    return rule


# --- change boards and the authority table ------------------------------------------------------


@transaction.atomic
def create_board(
    actor, *, group, quorum: int = 3, change_manager_required: bool = True, meets_on: str = ""
) -> ChangeBoard:
    """Mark a support group as a change authority (a CAB) with its quorum."""
    require_admin_data(actor)
    board = ChangeBoard(
        group=group,
        quorum=quorum,
        change_manager_required=change_manager_required,
        meets_on=meets_on or "",
    )
    full_clean(board)
    board.save()
    journal.record(
        actor,
        board,
        "created",
        {k: [None, v] for k, v in journal.snapshot(board, BOARD_FIELDS).items()},
    )
    return board


@transaction.atomic
def update_board(actor, board: ChangeBoard, *, version: int | None, **fields) -> ChangeBoard:
    """Change a board's quorum, its change manager requirement or when it meets. A change in
    Authorize is decided by the board as it stands: a new quorum asks its changes afresh (a
    new round), and whether the change manager must approve is read at each decision."""
    require_admin_data(actor)
    _unknown(fields, BOARD_FIELDS)
    _lock(board)
    _check_version(board, version)
    before = journal.snapshot(board, BOARD_FIELDS)
    for name, value in fields.items():
        setattr(board, name, value)
    full_clean(board)
    save_versioned(board, None, list(fields))
    diff = journal.diff(before, journal.snapshot(board, BOARD_FIELDS))
    if diff:
        journal.record(actor, board, "updated", diff)
    if "quorum" in diff:
        reauthorize_open(actor, ChangeRequest.objects.all())
    return board


@transaction.atomic
def set_authority(actor, *, type: str, risk: str, level: str, board=None) -> AuthorityRule:
    """Who authorizes changes of ``type`` at ``risk`` (a board only with level ``board``). A
    standard change is pre-authorized by its template, whatever its risk."""
    require_admin_data(actor)
    if type not in ChangeType.values:
        raise invalid("type", _("Unknown change type."), f"one of {', '.join(ChangeType.values)}")
    if risk not in Risk.values:
        raise invalid("risk", _("Unknown risk."), f"one of {', '.join(Risk.values)}")
    if level not in AuthorityLevel.values:
        raise invalid(
            "level", _("Unknown authority level."), f"one of {', '.join(AuthorityLevel.values)}"
        )
    if type == ChangeType.STANDARD and level != AuthorityLevel.NONE:
        raise invalid(
            "level",
            _("A standard change is pre-authorized by its template."),
            "a standard change needs no approval",
        )
    if level == AuthorityLevel.BOARD and board is None:
        raise invalid("board", _("Name the change board that decides."), "required for a board")
    if level != AuthorityLevel.BOARD:
        board = None
    rule = AuthorityRule.objects.select_for_update().filter(type=type, risk=risk).first()
    before = (
        {"level": rule.level, "board": str(rule.board) if rule.board_id else None} if rule else {}
    )
    if rule is None:
        rule = AuthorityRule(type=type, risk=risk)
    rule.level, rule.board = level, board
    full_clean(rule, exclude=["type", "risk"] if rule.pk else None)
    if rule.pk:
        save_versioned(rule, None, ["level", "board"])
    else:
        rule.save()
    after = {"level": rule.level, "board": str(board) if board else None}
    diff = journal.diff(before, after)
    if diff:
        journal.record(actor, rule, "authority_set", diff, f"{type} / {risk}")
        # the changes of this type and risk in Authorize: the new authority decides afresh
        reauthorize_open(actor, ChangeRequest.objects.filter(type=type, risk=risk))
    return rule


# --- settings -----------------------------------------------------------------------------------


@transaction.atomic
def update_settings(actor, *, version: int | None, **fields) -> ChangeSettings:
    """The questionnaire's thresholds and the templates' success watch. Moving a threshold
    reassesses the changes not yet authorized."""
    from steward.changes.risk import settings

    require_admin_data(actor)
    _unknown(fields, SETTINGS_FIELDS)
    row = _lock(settings())
    _check_version(row, version)
    before = journal.snapshot(row, SETTINGS_FIELDS)
    for name, value in fields.items():
        setattr(row, name, value)
    if None not in (row.high_from, row.moderate_from) and row.high_from <= row.moderate_from:
        field = "high_from" if "high_from" in fields else "moderate_from"
        raise ValidationError(
            _("High risk starts above moderate: %(high)s is not above %(moderate)s.")
            % {"high": row.high_from, "moderate": row.moderate_from},
            {field: [_("must keep high_from above moderate_from")]},
        )
    full_clean(row)
    save_versioned(row, None, list(fields))
    diff = journal.diff(before, journal.snapshot(row, SETTINGS_FIELDS))
    if diff:
        journal.record(actor, row, "updated", diff)
        if {"moderate_from", "high_from"} & set(diff):
            reassess_open(actor, ChangeRequest.objects.all())
    return row
