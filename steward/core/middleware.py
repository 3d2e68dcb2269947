"""Security headers Django 5.2 does not set itself: a Content-Security-Policy without inline
script (and frame-ancestors 'none'). nosniff, Referrer-Policy, COOP and X-Frame-Options come
from Django's SecurityMiddleware / XFrameOptionsMiddleware with the values in settings."""

from __future__ import annotations

from http import HTTPStatus

from django.http import HttpResponseBadRequest

from steward.core.api_input import text_problem
from steward.core.api_support import error_response

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# The bundled Swagger UI sets element styles from its script; it still runs no inline script.
CSP_API_DOCS = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = CSP_API_DOCS if request.path.startswith("/api/v1/docs") else CSP
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


#: Longer request lines are refused with 414 before routing (gunicorn's own limit is higher,
#: see ``manage.py serve``, so a client meets this answer, in the API's error shape).
MAX_URL_LENGTH = 4096


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def _url_problem(request) -> tuple[str, str] | None:
    """(parameter, problem) for a URL that carries control characters, or None."""
    if problem := text_problem(request.path_info):
        return "path", problem
    for key, values in request.GET.lists():
        for value in [key, *values]:
            if problem := text_problem(value):
                return key, problem
    return None


class ApiResponseMiddleware:
    """The edge of the API: every answer under ``/api/`` is JSON in the one error shape (405,
    an unknown path, a 414 and Django's own 400/500 pages included) and is never cached
    (``Cache-Control: no-store``: answers carry personal data and new tokens' secrets). A URL
    with NUL bytes or other control characters is refused for pages and API alike, before any
    view reads it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        api = _is_api(request)
        if api and len(request.get_full_path()) > MAX_URL_LENGTH:
            response = error_response(
                414,
                f"The URL is longer than {MAX_URL_LENGTH} characters: send fewer or shorter "
                "query parameters.",
                {"url": [f"longer than {MAX_URL_LENGTH} characters"]},
            )
        elif found := _url_problem(request):
            name, problem = found
            if api:
                response = error_response(400, f"{name}: {problem}.", {name: [problem]})
            else:
                response = HttpResponseBadRequest(f"Bad request: {name} {problem}.")
        else:
            response = self.get_response(request)
        if api:
            response = _json_error(response)
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def _phrase(status: int) -> str:
    try:
        return f"{HTTPStatus(status).phrase}."
    except ValueError:
        return "Error."


def _json_error(response):
    if response.status_code < 400 or response.get("Content-Type", "").startswith(
        "application/json"
    ):
        return response
    status = response.status_code
    message = {
        404: "No API endpoint at this address.",
        405: "This method is not allowed here.",
        500: "Something went wrong on the server; it has been logged.",
    }.get(status) or _phrase(status)
    fields = {}
    if status == 405 and response.has_header("Allow"):
        fields = {"method": [f"allowed: {response['Allow']}"]}
    converted = error_response(status, message, fields)
    for header in ("Allow", "Retry-After", "WWW-Authenticate"):
        if response.has_header(header):
            converted[header] = response[header]
    return converted
