"""Domain errors. Operations raise these; the API and UI turn them into responses.

Every error carries a machine code, a sentence for people and, where it is about input, the
fields with their problems: the one JSON shape of the API is built from exactly these parts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.utils.translation import gettext as _


class DomainError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, fields: Mapping[str, Iterable[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = {k: list(v) for k, v in (fields or {}).items()}
        #: HTTP headers the answer carries (``Retry-After`` of a 429, say).
        self.headers: dict[str, str] = {}

    def as_dict(self) -> dict:
        return {"error": {"code": self.code, "message": self.message, "fields": self.fields}}


class ValidationError(DomainError):
    status = 422
    code = "invalid"

    @classmethod
    def field(cls, name: str, problem: str) -> ValidationError:
        return cls(f"{name}: {problem}", {name: [problem]})


class NotFound(DomainError):
    status = 404
    code = "not_found"


class PermissionDenied(DomainError):
    status = 403
    code = "forbidden"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class StaleVersion(Conflict):
    code = "stale_version"

    def __init__(self, expected: int, current: int):
        super().__init__(
            _(
                "The record was changed by someone else: you sent version %(expected)s, "
                "it is now at version %(current)s. Reload it and apply your change again."
            )
            % {"expected": expected, "current": current},
            {"version": [_("stale: current version is %(current)s") % {"current": current}]},
        )
        self.current = current


class TransitionNotAllowed(Conflict):
    code = "transition_not_allowed"

    def __init__(self, current: str, target: str, allowed: Iterable[str], field: str = "to"):
        allowed = sorted(allowed)
        allowed_text = ", ".join(allowed) if allowed else _("none (final state)")
        values = {"current": repr(current), "target": repr(target), "allowed": allowed_text}
        super().__init__(
            _("Cannot go from %(current)s to %(target)s. Allowed from %(current)s: %(allowed)s.")
            % values,
            {field: [_("not allowed from %(current)s; allowed: %(allowed)s") % values]},
        )
        self.current = current
        self.allowed = allowed


class Throttled(DomainError):
    """429: too many attempts; the answer says when to try again (``Retry-After``)."""

    status = 429
    code = "throttled"

    def __init__(self, message: str, retry_after_seconds: int):
        super().__init__(message)
        self.retry_after = max(1, int(retry_after_seconds))
        self.headers["Retry-After"] = str(self.retry_after)


class JournalImmutableError(DomainError):
    status = 405
    code = "journal_immutable"

    def __init__(self):
        super().__init__(_("Journal entries are append-only: they cannot be changed or deleted."))
