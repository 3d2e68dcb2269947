"""What the changes administration pages share: who may open them (administrators and change
managers; other IT staff are refused with a 403, everyone else finds nothing), the
Administration area's tab bar, and running an operation for a form — a stale save shows who
changed what while the person edited and keeps their input, an operation's error is put
beside its field."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from steward.changes import rules
from steward.changes.views.common import staff
from steward.core import journal
from steward.core.errors import DomainError, StaleVersion
from steward.people import conflicts
from steward.people.admin_area import admin_context
from steward.people.forms import add_domain_error

HISTORY_LIMIT = 30


def keeper(request):
    """The person at the page, if they keep the change practice's admin data."""
    user = staff(request)
    if not rules.may_keep_admin_data(user):
        raise PermissionDenied
    return user


def area(request, current: str) -> dict:
    return {**admin_context(request, current), "in_admin_area": request.user.is_admin}


def history(record):
    return journal.history(record).order_by("-id")[:HISTORY_LIMIT]


def attempt(form, record, write, *, rename=None):
    """Run ``write()``; answer ``(ok, conflict, status)``. A stale version shows the changes
    made meanwhile (``record`` is the row being edited); any other refusal goes beside the
    field it names (``rename`` maps an operation's field name to the form's)."""
    try:
        write()
    except StaleVersion as exc:
        return False, conflicts.stale_edit(form, record, exc.current), 409
    except DomainError as exc:
        shown = exc
        if rename is not None:
            renamed: dict[str, list[str]] = {}
            for name, problems in exc.fields.items():
                renamed.setdefault(rename(name), []).extend(problems)
            shown = DomainError(exc.message, renamed)
        add_domain_error(form, shown)
        return False, None, exc.status
    return True, None, 200
