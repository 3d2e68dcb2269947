"""A catalog item's order form, approval flow and task templates as data, and the one server
validation of the answers to an order form.

The definitions are pydantic models (also the API's input and output shapes for them):

- :class:`CatalogFormField` — one question: ``name`` (a slug), ``label``, ``type`` (text,
  textarea, number, date, choice, multichoice, user, ci, attachment, checkbox), ``required``,
  ``help``, ``choices``, ``min``/``max`` (number), ``max_length`` (text), ``visible_if``
  (``{"field": name, "equals": value}`` or ``{"field": name, "in": [values]}``, naming an
  earlier question);
- :class:`CatalogApprovalStep` — one step of approval: who approves (the requester's line
  manager, the service owner, a support group, a named person), ``mode`` any/all, and an
  optional ``condition`` on the answers (``{"field": "cost", "op": "gt", "value": 1000}``);
- :class:`CatalogTaskTemplate` — one task generated once the item is approved: ``name``,
  ``group`` (a support group id), ``stage`` (same stage in parallel, stages in sequence).

:func:`validate_answers` checks an order's answers against the form: every error names its
field as ``answers.<name>``; a question hidden by its ``visible_if`` is dropped, never
required. The portal's form (``forms_runtime``) and the API both end here.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from django.utils.translation import gettext as _
from pydantic import Field, StringConstraints, model_serializer, model_validator
from pydantic import ValidationError as PydanticError

from steward.core.api_input import SINGLE_LINE, Id, StrictSchema
from steward.core.errors import ValidationError
from steward.fulfilment.choices import (
    ApprovalMode,
    ApproverSource,
    ConditionOp,
    FieldType,
)

#: Limits of a form (a catalog item is ordered by people, not machines).
MAX_FIELDS = 50
MAX_CHOICES = 100
MAX_STEPS = 10
MAX_TASKS = 30
#: Text answers without their own ``max_length``.
TEXT_MAX = 200
TEXTAREA_MAX = 4000

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
Label = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
Line = Annotated[str, StringConstraints(max_length=200), SINGLE_LINE]
HelpText = Annotated[str, StringConstraints(max_length=1000)]
Scalar = str | int | float | bool


class CatalogFieldChoice(StrictSchema):
    """One option of a choice question."""

    value: Annotated[str, StringConstraints(min_length=1, max_length=100), SINGLE_LINE]
    label: Annotated[str, StringConstraints(min_length=1, max_length=200), SINGLE_LINE]


class CatalogVisibleIf(StrictSchema):
    """Show a question only when an earlier answer equals a value, or is one of values."""

    field: Slug
    equals: Scalar | None = None
    in_: list[Scalar] | None = Field(default=None, alias="in")

    model_config = {**StrictSchema.model_config, "populate_by_name": True}

    @model_validator(mode="after")
    def _one_test(self):
        if (self.equals is None) == (self.in_ is None):
            raise ValueError(_("give either “equals” or “in”"))
        return self

    @model_serializer(mode="wrap")
    def _as_stored(self, handler):
        """As stored and answered: ``field`` with ``equals`` or ``in`` (never both)."""
        handler(self)
        if self.in_ is not None:
            return {"field": self.field, "in": self.in_}
        return {"field": self.field, "equals": self.equals}


class CatalogFormField(StrictSchema):
    """One question of an order form."""

    name: Slug
    label: Label
    type: FieldType
    required: bool = False
    help: HelpText = ""
    choices: list[CatalogFieldChoice] = Field(default_factory=list, max_length=MAX_CHOICES)
    min: float | None = None
    max: float | None = None
    max_length: int | None = Field(default=None, ge=1, le=TEXTAREA_MAX)
    visible_if: CatalogVisibleIf | None = None

    @model_validator(mode="after")
    def _consistent(self):
        if self.type in (FieldType.CHOICE, FieldType.MULTICHOICE):
            if not self.choices:
                raise ValueError(_("a choice question needs its choices"))
            values = [c.value for c in self.choices]
            if len(set(values)) != len(values):
                raise ValueError(_("two choices have the same value"))
        elif self.choices:
            raise ValueError(_("only choice questions have choices"))
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(_("the minimum is above the maximum"))
        return self

    def choice_values(self) -> list[str]:
        return [c.value for c in self.choices]


class CatalogStepCondition(StrictSchema):
    """Ask this step only when an answer compares so (``cost`` ``gt`` ``1000``)."""

    field: Slug
    op: ConditionOp
    value: Scalar | list[Scalar]


class CatalogApprovalStep(StrictSchema):
    """One step of an item's approval flow (steps run in sequence)."""

    name: Line = ""
    approver: ApproverSource
    group: Id | None = None
    user: Id | None = None
    mode: ApprovalMode = ApprovalMode.ANY
    quorum: int = Field(default=1, ge=1, le=50)
    condition: CatalogStepCondition | None = None

    @model_validator(mode="after")
    def _who(self):
        if self.approver == ApproverSource.GROUP and self.group is None:
            raise ValueError(_("a group step names its group"))
        if self.approver == ApproverSource.USER and self.user is None:
            raise ValueError(_("a named-person step names the person"))
        return self


class CatalogTaskTemplate(StrictSchema):
    """One task generated when an item is approved."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=200), SINGLE_LINE]
    group: Id
    stage: int = Field(default=1, ge=1, le=20)
    description: Annotated[str, StringConstraints(max_length=4000)] = ""


# --- the definitions -----------------------------------------------------------------------------


def _problems(exc: PydanticError, prefix: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for err in exc.errors():
        loc = "".join(
            f"[{p}]" if isinstance(p, int) else f".{p}" for p in err["loc"] if p != "__root__"
        )
        key = f"{prefix}{loc}"
        msg = err["msg"].removeprefix("Value error, ")
        out.setdefault(key, []).append(msg)
    return out


def _parse_list(model, data, prefix: str, limit: int) -> tuple[list, dict]:
    if data is None:
        return [], {}
    if not isinstance(data, list):
        return [], {prefix: [_("must be a list")]}
    if len(data) > limit:
        return [], {prefix: [_("at most %(n)d entries") % {"n": limit}]}
    parsed, problems = [], {}
    for i, row in enumerate(data):
        try:
            parsed.append(model.model_validate(row))
        except PydanticError as exc:
            problems.update(_problems(exc, f"{prefix}[{i}]"))
    return parsed, problems


def parse_form(data) -> list[CatalogFormField]:
    """The form's questions, checked (names unique, ``visible_if`` naming an earlier question
    with a value it can take); ``ValidationError`` naming ``form.<i>.<field>`` otherwise."""
    fields, problems = _parse_list(CatalogFormField, data, "form", MAX_FIELDS)
    seen: dict[str, CatalogFormField] = {}
    for i, f in enumerate(fields):
        if f.name in seen:
            problems.setdefault(f"form[{i}].name", []).append(
                _("another question is already called “%(name)s”") % {"name": f.name}
            )
        cond = f.visible_if
        if cond is not None:
            target = seen.get(cond.field)
            if target is None:
                problems.setdefault(f"form[{i}].visible_if.field", []).append(
                    _("name a question above this one")
                )
            elif target.type in (FieldType.CHOICE, FieldType.MULTICHOICE):
                wanted = [cond.equals] if cond.in_ is None else cond.in_
                unknown = [str(v) for v in wanted if str(v) not in target.choice_values()]
                if unknown:
                    problems.setdefault(f"form[{i}].visible_if", []).append(
                        _("“%(value)s” is not a choice of “%(field)s”")
                        % {"value": unknown[0], "field": target.name}
                    )
        seen.setdefault(f.name, f)
    if problems:
        raise ValidationError(_("The order form is not valid."), problems)
    return fields


def parse_flow(data, form: list[CatalogFormField]) -> list[CatalogApprovalStep]:
    """The approval steps, checked (a condition names a question of the form)."""
    steps, problems = _parse_list(CatalogApprovalStep, data, "approval_flow", MAX_STEPS)
    names = {f.name for f in form}
    for i, step in enumerate(steps):
        if step.condition is not None and step.condition.field not in names:
            problems.setdefault(f"approval_flow[{i}].condition.field", []).append(
                _("name a question of the order form")
            )
    if problems:
        raise ValidationError(_("The approval flow is not valid."), problems)
    return steps


def parse_tasks(data) -> list[CatalogTaskTemplate]:
    tasks, problems = _parse_list(CatalogTaskTemplate, data, "task_templates", MAX_TASKS)
    if problems:
        raise ValidationError(_("The task templates are not valid."), problems)
    return tasks


def dump(rows) -> list[dict]:
    """The definitions as stored (JSON), without the defaults left empty."""
    return [r.model_dump(mode="json", by_alias=True, exclude_none=True) for r in rows]


# --- visible-if and conditions -------------------------------------------------------------------


def _norm(value):
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float | Decimal):
        return float(value)
    return str(value)


def _matches(answer, wanted: list) -> bool:
    wanted_n = [_norm(v) for v in wanted]
    if isinstance(answer, list):
        return any(_norm(a) in wanted_n for a in answer)
    return _norm(answer) in wanted_n


def visible(field: CatalogFormField, answers: dict, shown: set[str]) -> bool:
    """Whether ``field`` is asked, given the (cleaned) answers of the questions before it and
    which of them were shown (a question that depends on a hidden one is hidden)."""
    cond = field.visible_if
    if cond is None:
        return True
    if cond.field not in shown:
        return False
    answer = answers.get(cond.field, False if cond.equals is False else None)
    wanted = [cond.equals] if cond.in_ is None else cond.in_
    return _matches(answer, wanted)


def condition_holds(condition: CatalogStepCondition | None, answers: dict) -> bool:
    """Whether an approval step's condition holds for the answers (no condition: it does).
    A number compared with a missing or non-numeric answer does not hold."""
    if condition is None:
        return True
    answer = answers.get(condition.field)
    op, value = condition.op, condition.value
    if op == ConditionOp.IN:
        wanted = value if isinstance(value, list) else [value]
        return answer is not None and _matches(answer, wanted)
    if op == ConditionOp.EQ:
        return answer is not None and _matches(answer, [value])
    try:
        left, right = float(answer), float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    if op == ConditionOp.GT:
        return left > right
    if op == ConditionOp.GTE:
        return left >= right
    return left < right


# --- answers -------------------------------------------------------------------------------------


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value is False


def _as_number(value):
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float):
        return value
    if isinstance(value, Decimal | str):
        number = Decimal(str(value).strip())
        if not number.is_finite():
            raise ValueError
        return int(number) if number == number.to_integral_value() else float(number)
    raise ValueError


def _as_id(value) -> int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or value < 1 or value > 2**63 - 1:
        raise ValueError
    return value


class Lookups:
    """How answers that refer to rows are checked (users, CIs, uploads): given to
    :func:`validate_answers` by the operation, which knows who orders what."""

    def user_ok(self, user_id: int) -> bool:  # pragma: no cover - replaced by the operation's
        return True

    def ci_ok(self, ci_id: int) -> bool:  # pragma: no cover
        return True

    def attachment_ok(self, attachment_id: int) -> bool:  # pragma: no cover
        return True


def _clean_one(field: CatalogFormField, value, lookups: Lookups):
    """The cleaned answer to one question, or raise ValueError with the sentence people see."""
    t = field.type
    if t in (FieldType.TEXT, FieldType.TEXTAREA):
        if not isinstance(value, str):
            raise ValueError(_("must be text"))
        value = value.strip()
        limit = field.max_length or (TEXT_MAX if t == FieldType.TEXT else TEXTAREA_MAX)
        if len(value) > limit:
            raise ValueError(_("at most %(n)d characters") % {"n": limit})
        if t == FieldType.TEXT and re.search(r"[\r\n\t]", value):
            raise ValueError(_("must be one line: no line breaks or tabs"))
        if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", value):
            raise ValueError(_("must not contain control characters"))
        return value
    if t == FieldType.NUMBER:
        try:
            number = _as_number(value)
        except (ValueError, InvalidOperation):
            raise ValueError(_("must be a number")) from None
        if field.min is not None and number < field.min:
            raise ValueError(_("must be at least %(n)s") % {"n": _fmt(field.min)})
        if field.max is not None and number > field.max:
            raise ValueError(_("must be at most %(n)s") % {"n": _fmt(field.max)})
        return number
    if t == FieldType.DATE:
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return value.isoformat()
        try:
            return dt.date.fromisoformat(str(value).strip()).isoformat()
        except ValueError:
            raise ValueError(_("must be a date (YYYY-MM-DD)")) from None
    if t == FieldType.CHOICE:
        if not isinstance(value, str) or value not in field.choice_values():
            raise ValueError(_("choose one of the offered options"))
        return value
    if t == FieldType.MULTICHOICE:
        values = value if isinstance(value, list) else [value]
        if not all(isinstance(v, str) and v in field.choice_values() for v in values):
            raise ValueError(_("choose from the offered options"))
        return [v for v in field.choice_values() if v in values]
    if t == FieldType.CHECKBOX:
        if not isinstance(value, bool):
            raise ValueError(_("must be true or false"))
        return value
    if t == FieldType.USER:
        try:
            user_id = _as_id(value)
        except ValueError:
            raise ValueError(_("must be a person's id")) from None
        if not lookups.user_ok(user_id):
            raise ValueError(_("no such person"))
        return user_id
    if t == FieldType.CI:
        try:
            ci_id = _as_id(value)
        except ValueError:
            raise ValueError(_("must be a configuration item's id")) from None
        if not lookups.ci_ok(ci_id):
            raise ValueError(_("choose a configuration item of this service"))
        return ci_id
    if t == FieldType.ATTACHMENT:
        try:
            attachment_id = _as_id(value)
        except ValueError:
            raise ValueError(_("must be the id of a file you uploaded")) from None
        if not lookups.attachment_ok(attachment_id):
            raise ValueError(_("upload the file first: no file of yours has this id"))
        return attachment_id
    raise ValueError(_("unknown question type"))  # pragma: no cover - FieldType is closed


def _fmt(n: float) -> str:
    return str(int(n)) if float(n).is_integer() else str(n)


def validate_answers(form, answers, lookups: Lookups | None = None) -> dict[str, Any]:
    """The cleaned answers to ``form`` (a list of definitions or of :class:`CatalogFormField`),
    in the form's order. Hidden questions are dropped; a required visible question must be
    answered (a required checkbox ticked); answers to questions the form does not ask are
    refused. Raises ``ValidationError`` naming every problem as ``answers.<name>``."""
    if not form or not isinstance(form[0], CatalogFormField):
        form = [CatalogFormField.model_validate(f) for f in form or []]
    lookups = lookups or Lookups()
    if answers is None:
        answers = {}
    if not isinstance(answers, dict):
        raise ValidationError.field("answers", _("must be an object of answers by question"))
    problems: dict[str, list[str]] = {}
    known = {f.name for f in form}
    for key in answers:
        if key not in known:
            problems[f"answers.{key}"] = [_("this form asks no such question")]
    cleaned: dict[str, Any] = {}
    shown: set[str] = set()
    for f in form:
        if not visible(f, cleaned, shown):
            continue
        shown.add(f.name)
        value = answers.get(f.name)
        if f.type == FieldType.CHECKBOX and value is None:
            value = False
        if _empty(value) and not (f.type == FieldType.CHECKBOX and value is False):
            if f.required:
                problems[f"answers.{f.name}"] = [_("this question must be answered")]
            continue
        if f.type == FieldType.CHECKBOX and value is False and f.required:
            problems[f"answers.{f.name}"] = [_("this box must be ticked")]
            continue
        try:
            cleaned[f.name] = _clean_one(f, value, lookups)
        except ValueError as exc:
            problems[f"answers.{f.name}"] = [str(exc)]
    if problems:
        first = next(iter(problems))
        raise ValidationError(
            _("Some answers are not valid: %(field)s: %(problem)s")
            % {"field": first.removeprefix("answers."), "problem": problems[first][0]},
            problems,
        )
    return cleaned
