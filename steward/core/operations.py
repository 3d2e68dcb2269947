"""Helpers that every app's operations.py uses to authorize and validate."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models

from steward.core.errors import NotFound, PermissionDenied, ValidationError


def require(actor, action: str, obj: models.Model) -> None:
    """Raise unless ``actor`` may ``action`` ``obj`` (``actor=None`` is the system itself)."""
    if actor is None:
        return
    model = type(obj)
    if not model._default_manager.for_user(actor, action).filter(pk=obj.pk).exists():
        visible = model._default_manager.for_user(actor, "view").filter(pk=obj.pk).exists()
        if not visible:
            raise NotFound(f"{model._meta.verbose_name.capitalize()} not found.")
        raise PermissionDenied(
            f"You may not {action} this {model._meta.verbose_name}.",
        )


def require_admin(actor, what: str) -> None:
    if actor is not None and not actor.is_admin:
        raise PermissionDenied(f"Only administrators may {what}.")


def full_clean(
    obj: models.Model, exclude: list[str] | None = None, *, constraints: bool = True
) -> None:
    """Run the model's validators and report every problem by field, in the domain shape.
    ``constraints=False`` skips re-checking the table's constraints in Python (one query each)
    where the operation has already established them; the database still enforces them."""
    try:
        obj.full_clean(exclude=exclude, validate_unique=True, validate_constraints=constraints)
    except DjangoValidationError as exc:
        fields = {
            ("body" if k == "__all__" else k): [str(m) for m in msgs]
            for k, msgs in exc.message_dict.items()
        }
        summary = "; ".join(f"{k}: {', '.join(v)}" for k, v in fields.items())
        raise ValidationError(f"Invalid input — {summary}", fields) from exc


def get_visible(queryset, actor, pk, label: str):
    """The row ``pk`` if ``actor`` may see it; otherwise 404, exactly as for a missing row."""
    row = (
        queryset.for_user(actor, "view").filter(pk=pk).first()
        if actor
        else queryset.filter(pk=pk).first()
    )
    if row is None:
        raise NotFound(f"{label} {pk} not found.")
    return row
