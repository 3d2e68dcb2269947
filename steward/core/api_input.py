"""How the API takes input: JSON bodies only, strict JSON types, bounded integers, clean text.

Every input schema derives from :class:`StrictSchema` (a JSON body) or :class:`QuerySchema`
(query parameters), so each rule below holds for every endpoint, present and future, without
the endpoint doing anything:

- unknown fields are refused (no silent mass assignment);
- in a JSON body a number field takes a JSON number, not ``true`` or ``"5"``, and a
  true/false field takes ``true`` or ``false``, not ``"yes"`` or ``0``;
- every integer fits the database's 64-bit columns;
- no text carries a NUL byte or another control character (ANSI escapes included) but tab and
  line breaks; single-line text (:data:`SINGLE_LINE`: titles, names, reasons) takes no line
  breaks either.

A body must be sent as ``application/json`` (:class:`JsonParser`); a malformed one is a 400
naming ``body``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import types
import typing
from enum import Enum
from functools import cache
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.parser import Parser
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BeforeValidator,
    ConfigDict,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)

#: A row id: path parameters, id filters and references in bodies.
Id = Annotated[int, Field(ge=1, le=INT64_MAX)]

#: Control characters refused in any text: C0 but tab, line feed and carriage return; DEL; C1.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"[\t\n\r\u2028\u2029]")
#: The same rules as patterns, for the OpenAPI document (clients and fuzzers read them there;
#: the validators above give the clearer message).
TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"
LINE_PATTERN = r"^[^\x00-\x1f\x7f-\x9f\u2028\u2029]*$"


def _single_line(value: str) -> str:
    if _LINE_BREAKS.search(value):
        raise ValueError(_("must be one line: no line breaks or tabs"))
    return value


def _document(pattern: str):
    return Field(json_schema_extra={"pattern": pattern})


def _clean_text(value: str) -> str:
    if problem := text_problem(value):
        raise ValueError(problem)
    return value


#: Append to a text type that is one line: ``Annotated[str, StringConstraints(...), SINGLE_LINE]``.
SINGLE_LINE = AfterValidator(_single_line)

#: Search text in a query parameter (outside a :class:`QuerySchema`).
SearchText = Annotated[
    str, StringConstraints(max_length=200), AfterValidator(_clean_text), _document(TEXT_PATTERN)
]
#: A record's number in a path (``INC0000042``): one line of printable text; an unknown one is
#: a 404 like any missing record.
RecordNumber = Annotated[
    str,
    StringConstraints(min_length=1, max_length=32),
    AfterValidator(_clean_text),
    AfterValidator(_single_line),
    _document(LINE_PATTERN),
]

_NUMERIC = re.compile(r"^\s*[+-]?[0-9]+(\.[0-9]*)?\s*$")


def _iso_text(value: Any) -> Any:
    """Dates and times are ISO 8601 text: pydantic would also read a number (or numeric text)
    as Unix time, which no client means."""
    if value is None or isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or _NUMERIC.match(value):
        raise ValueError(_("must be an ISO 8601 date or time, e.g. 2026-04-24T13:30:00Z"))
    return value


def _in_utc(value: dt.datetime) -> dt.datetime:
    """An aware time in UTC (stored so anyway; PostgreSQL refuses offsets past ±15:59)."""
    if value.tzinfo is None:
        return value
    try:
        return value.astimezone(dt.UTC)
    except OverflowError as exc:
        raise ValueError(_("is out of range")) from exc


#: A moment in a query parameter (outside a :class:`QuerySchema`).
Moment = Annotated[dt.datetime, BeforeValidator(_iso_text), AfterValidator(_in_utc)]


def text_problem(value: str) -> str | None:
    """Why ``value`` cannot be stored as text, or None."""
    found = _CONTROL.search(value)
    if found is None:
        return None
    if found.group() == "\x00":
        return _("must not contain NUL bytes")
    return _("must not contain control characters (found U+%(code)s)") % {
        "code": f"{ord(found.group()):04X}"
    }


def _value_problem(value: Any) -> str | None:
    """The first problem in a validated value (a string, an integer or a list/dict of them)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        if not INT64_MIN <= value <= INT64_MAX:
            return _("must be between %(min)s and %(max)s") % {"min": INT64_MIN, "max": INT64_MAX}
        return None
    if isinstance(value, str):
        return None if isinstance(value, Enum) else text_problem(value)
    if isinstance(value, list | tuple | set | frozenset):
        for item in value:
            if problem := _value_problem(item):
                return problem
    if isinstance(value, dict):
        for key, item in value.items():
            if problem := _value_problem(key) or _value_problem(item):
                return problem
    return None


def _leaves(annotation) -> set:
    """The scalar types a field annotation accepts (Optional, unions, Annotated and lists
    unwrapped; a Literal of ints counts as int)."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _leaves(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return set().union(*(_leaves(a) for a in typing.get_args(annotation)))
    if origin is Literal:
        return {type(v) for v in typing.get_args(annotation)}
    if origin in (list, set, tuple, frozenset):
        return set().union(*(_leaves(a) for a in typing.get_args(annotation) if a is not ...))
    if annotation is type(None):
        return set()
    return {annotation}


@cache
def _json_kind(cls: type, name: str) -> str | None:
    field = cls.model_fields.get(name)
    if field is None:
        return None
    leaves = _leaves(field.annotation)
    if leaves == {bool}:
        return "bool"
    if leaves and all(t is AwareDatetime or issubclass(t, dt.date) for t in leaves if t):
        return "time"
    if leaves and all(isinstance(t, type) and issubclass(t, int) for t in leaves):
        return "int"
    return None


def _wrong_json_type(kind: str | None, value: Any) -> str | None:
    if kind == "bool" and value is not None and not isinstance(value, bool):
        return _("must be true or false")
    if kind == "int":
        items = value if isinstance(value, list) else [value]
        if any(v is not None and (isinstance(v, bool) or not isinstance(v, int)) for v in items):
            return _("must be a whole number (not text, a fraction or true/false)")
    return None


_NUMBER = re.compile(r"^[+-]?[0-9]{1,30}$")


def _query_number(value: Any) -> Any:
    """A query parameter's text as the number a Literal of numbers compares with (pydantic
    would compare "1" with 1 and refuse it); other text is left for the field to judge."""
    if isinstance(value, list):
        return [_query_number(v) for v in value]
    return int(value) if isinstance(value, str) and _NUMBER.match(value) else value


def _document_text_rules(schema: dict, model: type) -> None:
    """Give every free-text property of an input schema the pattern its text is checked
    against, and every integer the 64-bit bounds it is checked against, so the OpenAPI
    document says what the API refuses."""
    for name, prop in schema.get("properties", {}).items():
        field = model.model_fields.get(name)
        single = field is not None and any(
            m is SINGLE_LINE for m in _metadata_of(field.annotation) + list(field.metadata)
        )
        _add_pattern(prop, LINE_PATTERN if single else TEXT_PATTERN)
        _add_int64_bounds(prop)


def _add_int64_bounds(prop: dict) -> None:
    for key in ("anyOf", "oneOf", "allOf"):
        for option in prop.get(key, []):
            _add_int64_bounds(option)
    if prop.get("type") == "array" and isinstance(prop.get("items"), dict):
        _add_int64_bounds(prop["items"])
    if prop.get("type") == "integer":
        prop.setdefault("minimum", INT64_MIN)
        prop.setdefault("maximum", INT64_MAX)


def _metadata_of(annotation) -> list:
    found = []
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        found.extend(annotation.__metadata__)
        found.extend(_metadata_of(typing.get_args(annotation)[0]))
    elif origin in (typing.Union, types.UnionType, list):
        for arg in typing.get_args(annotation):
            found.extend(_metadata_of(arg))
    return found


def _add_pattern(prop: dict, pattern: str) -> None:
    for key in ("anyOf", "oneOf", "allOf"):
        for option in prop.get(key, []):
            _add_pattern(option, pattern)
    if prop.get("type") == "array" and isinstance(prop.get("items"), dict):
        _add_pattern(prop["items"], pattern)
    if prop.get("type") == "string" and not {"pattern", "format", "enum", "const", "$ref"} & set(
        prop
    ):
        prop["pattern"] = pattern


class StrictSchema(Schema):
    """A JSON request body: unknown fields refused, JSON types taken strictly, integers and text
    checked (see the module's docstring)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_document_text_rules)
    #: Query parameters arrive as text: :class:`QuerySchema` turns the strict JSON types off.
    _json_types: typing.ClassVar[bool] = True

    @field_validator("*", mode="before")
    @classmethod
    def _strict_json_types(cls, value: Any, info: ValidationInfo) -> Any:
        kind = _json_kind(cls, info.field_name)
        if kind == "time":
            return [_iso_text(v) for v in value] if isinstance(value, list) else _iso_text(value)
        if not cls._json_types:
            return _query_number(value) if kind == "int" else value
        if problem := _wrong_json_type(kind, value):
            raise ValueError(problem)
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _storable(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, dt.datetime):
            return _in_utc(value)
        if problem := _value_problem(value):
            raise ValueError(problem)
        return value


class QuerySchema(StrictSchema):
    """Query parameters: as :class:`StrictSchema`, with text converted to numbers and booleans."""

    _json_types: typing.ClassVar[bool] = False


class BodyError(Exception):
    """A request body that is not a JSON document (raised by :class:`JsonParser`)."""

    def __init__(self, status: int, message: str, problem: str):
        super().__init__(message)
        self.status = status
        self.message = message
        self.problem = problem


_JSON_TYPE = re.compile(r"^application/([\w.+-]+\+)?json$")


class JsonParser(Parser):
    """Parses a JSON body, only when it is sent as ``application/json``: a form or text/plain
    post from another site (or a careless script) is refused, not processed."""

    def parse_body(self, request: HttpRequest):
        content_type = (request.content_type or "").strip().lower()
        if not _JSON_TYPE.match(content_type):
            raise BodyError(
                415,
                _("Send the body as JSON with 'Content-Type: application/json' (got %(got)s).")
                % {"got": repr(content_type or "none")},
                _("must be sent as application/json"),
            )
        try:
            return json.loads(request.body)
        except (UnicodeDecodeError, ValueError) as exc:
            raise BodyError(
                400,
                _("The body is not valid JSON: %(problem)s.") % {"problem": exc},
                _("not valid JSON: %(problem)s") % {"problem": exc},
            ) from exc
