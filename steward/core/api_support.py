"""What every app's API shares: strict input schemas, pagination, the error shape.

Every error leaves the API as::

    {"error": {"code": "...", "message": "...", "fields": {"field": ["problem", ...]}}}
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import DataError
from django.http import Http404, HttpRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Field, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import create_model

from steward.core.api_input import INT64_MAX, BodyError, QuerySchema, StrictSchema
from steward.core.errors import DomainError, ValidationError

__all__ = [
    "ERRORS",
    "ErrorOut",
    "PageParams",
    "StrictSchema",
    "error_response",
    "named_ref",
    "paginate",
    "person_brief",
    "ref_or_422",
    "visible_ref",
    "visible_refs",
]

log = logging.getLogger(__name__)

_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    414: "uri_too_long",
    415: "unsupported_media_type",
    422: "invalid",
    429: "throttled",
    500: "server_error",
    503: "unavailable",
}


class ErrorBody(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


class ErrorOut(Schema):
    """The one error shape of the API."""

    error: ErrorBody


class PageParams(QuerySchema):
    limit: int = Field(
        settings.API_PAGE_SIZE,
        ge=1,
        le=settings.API_MAX_PAGE_SIZE,
        description=f"Rows per page (at most {settings.API_MAX_PAGE_SIZE})",
    )
    offset: int = Field(0, ge=0, le=INT64_MAX, description="Rows to skip")


_pages: dict[type, type] = {}


def page_of(item: type[Schema]) -> type[Schema]:
    """The response schema of a list endpoint: ``{count, limit, offset, items: [item]}``."""
    if item not in _pages:
        _pages[item] = create_model(
            f"{item.__name__.removesuffix('Out')}Page",
            __base__=Schema,
            count=(int, ...),
            limit=(int, ...),
            offset=(int, ...),
            items=(list[item], ...),
        )
    return _pages[item]


def paginate(queryset, page: PageParams, serialize=None) -> dict[str, Any]:
    """One page of ``queryset`` (already filtered and ordered in SQL) plus the total count."""
    count = queryset.count()
    rows = list(queryset[page.offset : page.offset + page.limit])
    items = [serialize(r) for r in rows] if serialize else rows
    return {"count": count, "limit": page.limit, "offset": page.offset, "items": items}


def error_response(status: int, message: str, fields: dict | None = None, code: str | None = None):
    body = {
        "error": {
            "code": code or _CODES.get(status, "error"),
            "message": message,
            "fields": fields or {},
        }
    }
    return JsonResponse(body, status=status)


_PYDANTIC_SECTIONS = {"body", "query", "path", "header", "cookie", "form", "file"}
#: Names ninja wraps a schema in ("payload", "page", "filters" ...): not the client's field names.
_WRAPPERS = {"payload", "page", "filters", "data"}


def _field_name(loc: tuple | list) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in _PYDANTIC_SECTIONS:
        parts = parts[1:]
        if parts and parts[0] in _WRAPPERS:
            parts = parts[1:]
    return ".".join(parts) or "body"


#: pydantic's own problems (English only) said as sentences in the reader's language; the
#: context values (``max_length``, ``ge``...) are pydantic's.
_PYDANTIC_PROBLEMS = {
    "string_too_long": gettext_noop("at most %(max_length)s characters"),
    "string_too_short": gettext_noop("at least %(min_length)s characters"),
    "too_long": gettext_noop("at most %(max_length)s items"),
    "too_short": gettext_noop("at least %(min_length)s items"),
    "greater_than_equal": gettext_noop("must be %(ge)s or more"),
    "greater_than": gettext_noop("must be more than %(gt)s"),
    "less_than_equal": gettext_noop("must be %(le)s or less"),
    "less_than": gettext_noop("must be less than %(lt)s"),
    "string_type": gettext_noop("must be text"),
    "int_type": gettext_noop("must be a whole number"),
    "int_parsing": gettext_noop("must be a whole number"),
    "int_from_float": gettext_noop("must be a whole number"),
    "bool_type": gettext_noop("must be true or false"),
    "bool_parsing": gettext_noop("must be true or false"),
    "list_type": gettext_noop("must be a list"),
    "datetime_parsing": gettext_noop("must be an ISO 8601 date and time"),
    "datetime_from_date_parsing": gettext_noop("must be an ISO 8601 date and time"),
    "date_parsing": gettext_noop("must be an ISO 8601 date"),
    "date_from_datetime_parsing": gettext_noop("must be an ISO 8601 date"),
    "enum": gettext_noop("must be one of %(expected)s"),
    "literal_error": gettext_noop("must be one of %(expected)s"),
}


def _problem(err: dict, field: str) -> str:
    kind = err.get("type", "")
    if kind == "extra_forbidden":
        return _("unknown field")
    if err.get("null_input"):
        return _("cannot be null")
    if kind == "missing":
        return _("a JSON object is required") if field == "body" else _("required")
    if kind in {"model_type", "model_attributes_type", "dict_type"} and field == "body":
        return _("must be a JSON object")
    if kind in _PYDANTIC_PROBLEMS:
        try:
            return _(_PYDANTIC_PROBLEMS[kind]) % {
                k: str(v) for k, v in (err.get("ctx") or {}).items()
            }
        except (KeyError, TypeError, ValueError):
            pass
    return str(err.get("msg", "invalid")).removeprefix("Value error, ")


def mark_null_inputs(exc: NinjaValidationError, error_contexts) -> NinjaValidationError:
    """Flag the errors whose input was an explicit null (ninja removes the inputs themselves,
    which may be secrets). ``exc.errors`` are in the order of the contexts' errors."""
    nulls = [
        err.get("input", ...) is None
        for context in error_contexts
        for err in context.pydantic_validation_error.errors(include_url=False)
    ]
    for err, null in zip(exc.errors, nulls, strict=False):
        if null:
            err["null_input"] = True
    return exc


#: The challenge a 401 carries (RFC 6750): a bearer token, or the browser session.
WWW_AUTHENTICATE = 'Bearer realm="steward"'


def install_error_handlers(api) -> None:
    """Route every failure the API can meet into the one error shape."""

    @api.exception_handler(NinjaValidationError)
    def _validation(request: HttpRequest, exc: NinjaValidationError):
        fields: dict[str, list[str]] = {}
        for err in exc.errors:
            name = _field_name(err.get("loc", ()))
            fields.setdefault(name, []).append(_problem(err, name))
        summary = "; ".join(f"{k}: {', '.join(v)}" for k, v in fields.items())
        return error_response(422, _("Invalid input — %(summary)s") % {"summary": summary}, fields)

    @api.exception_handler(DomainError)
    def _domain(request: HttpRequest, exc: DomainError):
        response = JsonResponse(exc.as_dict(), status=exc.status)
        for name, value in exc.headers.items():
            response[name] = value
        return response

    @api.exception_handler(AuthenticationError)
    def _auth(request: HttpRequest, exc: AuthenticationError):
        response = error_response(
            401, _("Authentication required: sign in, or send 'Authorization: Bearer <token>'.")
        )
        response["WWW-Authenticate"] = WWW_AUTHENTICATE
        return response

    @api.exception_handler(HttpError)
    def _http(request: HttpRequest, exc: HttpError):
        body = exc.__cause__
        if isinstance(body, BodyError):  # ninja wraps what the parser raises in a 400
            return error_response(body.status, body.message, {"body": [body.problem]})
        return error_response(exc.status_code, str(exc))

    @api.exception_handler(Http404)
    def _404(request: HttpRequest, exc: Http404):
        return error_response(404, _("Not found."))

    @api.exception_handler(RequestDataTooBig)
    def _too_big(request: HttpRequest, exc: RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return error_response(
            413,
            _("Request body is larger than the limit of %(limit)s bytes.") % {"limit": limit},
            {"body": [_("larger than %(limit)s bytes") % {"limit": limit}]},
        )

    @api.exception_handler(TooManyFieldsSent)
    def _too_many(request: HttpRequest, exc: TooManyFieldsSent):
        return error_response(
            413, _("Too many fields in the request."), {"body": [_("too many fields")]}
        )

    @api.exception_handler(MultiPartParserError)
    def _multipart(request: HttpRequest, exc: MultiPartParserError):
        return error_response(
            400,
            _("The multipart body cannot be read: %(problem)s.") % {"problem": exc},
            {"body": [_("malformed multipart")]},
        )

    @api.exception_handler(DataError)
    def _data(request: HttpRequest, exc: DataError):
        # A safety net: the input schemas refuse what the database cannot store, naming the
        # field. Reaching this means one of them let a value through: log it, answer 422.
        log.warning("database refused a value the input schemas let through: %s", exc)
        return error_response(422, _("A value cannot be stored: it is too long or out of range."))


#: Responses every endpoint may give, for the OpenAPI document (all in the one error shape).
ERRORS = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    405: ErrorOut,
    409: ErrorOut,
    413: ErrorOut,
    414: ErrorOut,
    415: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
}


def person_brief(user) -> dict | None:
    """A person as every API answer names one: ``{id, username, name}`` (``UserBrief``)."""
    if user is None:
        return None
    return {"id": user.pk, "username": user.username, "name": user.display_name}


class NamedRef(Schema):
    """A record as answers refer to one (the shape :func:`named_ref` gives)."""

    id: int
    name: str


def named_ref(obj) -> dict | None:
    """A record as answers refer to one: ``{id, name}`` (a group, a service, a CI, a category)."""
    return None if obj is None else {"id": obj.pk, "name": obj.name}


def ref_or_422(queryset, field: str, pk: int | None, label: str):
    """The row ``pk`` of ``queryset`` for an input field; a missing one is a 422 naming the
    field. ``None`` stays ``None``."""
    if pk is None:
        return None
    row = queryset.filter(pk=pk).first()
    if row is None:
        raise ValidationError.field(
            field, _("%(label)s %(pk)s does not exist") % {"label": label, "pk": pk}
        )
    return row


def visible_ref(queryset, actor, field: str, pk: int | None, label: str):
    """Like :func:`ref_or_422`, among the rows ``actor`` may see: an invisible row answers
    exactly like a missing one."""
    if pk is None:
        return None
    return ref_or_422(queryset.for_user(actor, "view"), field, pk, label)


def visible_refs(queryset, actor, field: str, pks: list[int], label_plural: str) -> list:
    """Like :func:`visible_ref` for a list of ids: the rows in the order given, duplicates once."""
    found = {r.pk: r for r in queryset.for_user(actor, "view").filter(pk__in=pks)}
    missing = [pk for pk in pks if pk not in found]
    if missing:
        raise ValidationError.field(
            field, _("%(label)s %(pks)s do not exist") % {"label": label_plural, "pks": missing}
        )
    return [found[pk] for pk in dict.fromkeys(pks)]
