"""What the fulfilment staff pages share: who may open them (IT staff; anyone else finds
nothing), reading a record through ``for_user`` (404 when it is not visible), and running an
operation for a form — a stale save shows who changed what while the person edited, any other
refusal goes beside the field it names."""

from __future__ import annotations

from django.http import Http404

from steward.core import journal
from steward.core.errors import DomainError, StaleVersion
from steward.people import conflicts
from steward.people.forms import add_domain_error

PAGE_SIZE = 50
HISTORY_LIMIT = 50


def staff(request):
    """IT staff only: anyone else is answered 404 (requesters use the portal)."""
    if not (request.user.is_authenticated and request.user.is_it):
        raise Http404
    return request.user


def one(queryset, **lookup):
    """The one row of ``queryset`` matching ``lookup``, or 404."""
    row = queryset.filter(**lookup).first()
    if row is None:
        raise Http404
    return row


def clean_number(number: str) -> str:
    return (number or "").upper()[:16]


def history(record):
    return journal.history(record).order_by("-id")[:HISTORY_LIMIT]


def attempt(form, record, write):
    """Run ``write()``; answer ``(ok, conflict, status)``: a stale version shows the changes
    made meanwhile (``record`` is the row being edited), any other refusal goes beside the
    field it names."""
    try:
        write()
    except StaleVersion as exc:
        if record is None or not hasattr(form, "cleaned_data"):
            form.add_error(None, exc.message)
            return False, None, 409
        record.refresh_from_db()
        return False, conflicts.stale_edit(form, record, exc.current), 409
    except DomainError as exc:
        add_domain_error(form, exc)
        return False, None, exc.status
    return True, None, 200
