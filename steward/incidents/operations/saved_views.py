"""Per-user saved views of the incident queues."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from steward.core.errors import (
    NotFound,
    ValidationError,
)
from steward.incidents.models import (
    SavedView,
)
from steward.incidents.operations.common import invalid

# --- saved views ------------------------------------------------------------------------------

#: The query-string keys a saved view may hold (those of the incident list page).
VIEW_KEYS = frozenset({"queue", "q", "status", "priority", "sort"})


def _clean_query(query: str) -> str:
    from urllib.parse import parse_qsl, urlencode

    pairs = parse_qsl(query.lstrip("?"), keep_blank_values=False)
    unknown = sorted({k for k, _ in pairs} - VIEW_KEYS)
    if unknown:
        raise ValidationError.field(
            "query", f"unknown keys {unknown}; a view may hold {sorted(VIEW_KEYS)}"
        )
    return urlencode(pairs)[:1000]


@transaction.atomic
def save_view(actor, *, name: str, query: str) -> SavedView:
    """Save (or replace) the actor's view called ``name``."""
    if actor is None:
        raise ValidationError.field("user", "saved views belong to a person")
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise invalid(
            "name", _("Name the view in at most 80 characters."), "required, at most 80 characters"
        )
    view, _created = SavedView.objects.update_or_create(
        user=actor, name=name, defaults={"query": _clean_query(query or "")}
    )
    return view


@transaction.atomic
def delete_view(actor, view: SavedView) -> None:
    if actor is not None and view.user_id != actor.pk:
        raise NotFound(_("View not found."))
    view.delete()
