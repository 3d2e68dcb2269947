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

import json
import re
import types
import typing
from enum import Enum
from functools import cache
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Schema
from ninja.parser import Parser
from pydantic import AfterValidator, ConfigDict, ValidationInfo, field_validator

INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)

#: A row id: path parameters, id filters and references in bodies.
Id = Annotated[int, Field(ge=1, le=INT64_MAX)]

#: Control characters refused in any text: C0 but tab, line feed and carriage return; DEL; C1.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"[\t\n\r\u2028\u2029]")


def _single_line(value: str) -> str:
    if _LINE_BREAKS.search(value):
        raise ValueError("must be one line: no line breaks or tabs")
    return value


#: Append to a text type that is one line: ``Annotated[str, StringConstraints(...), SINGLE_LINE]``.
SINGLE_LINE = AfterValidator(_single_line)


def text_problem(value: str) -> str | None:
    """Why ``value`` cannot be stored as text, or None."""
    found = _CONTROL.search(value)
    if found is None:
        return None
    if found.group() == "\x00":
        return "must not contain NUL bytes"
    return f"must not contain control characters (found U+{ord(found.group()):04X})"


def _value_problem(value: Any) -> str | None:
    """The first problem in a validated value (a string, an integer or a list/dict of them)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        if not INT64_MIN <= value <= INT64_MAX:
            return f"must be between {INT64_MIN} and {INT64_MAX}"
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
    if leaves and all(isinstance(t, type) and issubclass(t, int) for t in leaves):
        return "int"
    return None


def _wrong_json_type(kind: str | None, value: Any) -> str | None:
    if kind == "bool" and value is not None and not isinstance(value, bool):
        return "must be true or false"
    if kind == "int":
        items = value if isinstance(value, list) else [value]
        if any(v is not None and (isinstance(v, bool) or not isinstance(v, int)) for v in items):
            return "must be a whole number (not text, a fraction or true/false)"
    return None


_NUMBER = re.compile(r"^[+-]?[0-9]{1,30}$")


def _query_number(value: Any) -> Any:
    """A query parameter's text as the number a Literal of numbers compares with (pydantic
    would compare "1" with 1 and refuse it); other text is left for the field to judge."""
    if isinstance(value, list):
        return [_query_number(v) for v in value]
    return int(value) if isinstance(value, str) and _NUMBER.match(value) else value


class StrictSchema(Schema):
    """A JSON request body: unknown fields refused, JSON types taken strictly, integers and text
    checked (see the module's docstring)."""

    model_config = ConfigDict(extra="forbid")
    #: Query parameters arrive as text: :class:`QuerySchema` turns the strict JSON types off.
    _json_types: typing.ClassVar[bool] = True

    @field_validator("*", mode="before")
    @classmethod
    def _strict_json_types(cls, value: Any, info: ValidationInfo) -> Any:
        kind = _json_kind(cls, info.field_name)
        if not cls._json_types:
            return _query_number(value) if kind == "int" else value
        if problem := _wrong_json_type(kind, value):
            raise ValueError(problem)
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _storable(cls, value: Any, info: ValidationInfo) -> Any:
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
                f"Send the body as JSON with 'Content-Type: application/json' "
                f"(got {content_type or 'none'!r}).",
                "must be sent as application/json",
            )
        try:
            return json.loads(request.body)
        except (UnicodeDecodeError, ValueError) as exc:
            raise BodyError(
                400, f"The body is not valid JSON: {exc}.", f"not valid JSON: {exc}"
            ) from exc
