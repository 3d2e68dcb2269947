"""Helpers that every app's operations.py uses to authorize and validate, and the core's own
operation: switching a practice on or off."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from steward.core import journal, practices
from steward.core.concurrency import save_versioned
from steward.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from steward.core.models import PracticeState


def require(actor, action: str, obj: models.Model) -> None:
    """Raise unless ``actor`` may ``action`` ``obj`` (``actor=None`` is the system itself)."""
    if actor is None:
        return
    model = type(obj)
    if _unrestricted(model, actor, action):
        return  # nobody like the actor is kept out: the row in hand is all there is to know
    if not model._default_manager.for_user(actor, action).filter(pk=obj.pk).exists():
        visible = model._default_manager.for_user(actor, "view").filter(pk=obj.pk).exists()
        if not visible:
            raise NotFound(
                _("%(thing)s not found.") % {"thing": capfirst(model._meta.verbose_name)}
            )
        values = {"thing": model._meta.verbose_name}
        raise PermissionDenied(
            _("You may not view this %(thing)s.") % values
            if action == "view"
            else _("You may not change this %(thing)s.") % values
        )


def _unrestricted(model, actor, action: str) -> bool:
    """Whether the model's permission filter keeps nothing from ``actor`` (an empty ``Q()``:
    an agent changing an incident), so that asking the database would learn nothing."""
    if not (actor.is_authenticated and actor.is_active):
        return False
    q = model.permission_filter(actor, action)
    return isinstance(q, Q) and not q.children


def require_admin(actor, what: str) -> None:
    """``what`` is what only administrators may do, as a phrase marked for translation
    (``gettext_lazy("create users")``): the refusal is said in the reader's language."""
    if actor is not None and not actor.is_admin:
        raise PermissionDenied(_("Only administrators may %(what)s.") % {"what": what})


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
        raise ValidationError(
            _("Invalid input — %(summary)s") % {"summary": summary}, fields
        ) from exc


def get_visible(queryset, actor, pk, label: str):
    """The row ``pk`` if ``actor`` may see it; otherwise 404, exactly as for a missing row."""
    row = (
        queryset.for_user(actor, "view").filter(pk=pk).first()
        if actor
        else queryset.filter(pk=pk).first()
    )
    if row is None:
        raise NotFound(_("%(label)s %(pk)s not found.") % {"label": label, "pk": pk})
    return row


# --- the practice switch -------------------------------------------------------------------------


class PracticeDependency(Conflict):
    code = "practice_dependency"


def _names(rows) -> str:
    return ", ".join(str(p.name) for p in rows)


@transaction.atomic
def set_practice_enabled(actor, key: str, enabled: bool):
    """Switch the practice ``key`` on or off (administrators only; journaled).

    Refused with 409 while it would break a dependency: a practice cannot be switched on
    before the practices it depends on, nor off while a practice that depends on it is on.
    Setting the state it already has changes (and journals) nothing. Every switch row is
    locked first, so two administrators switching dependent practices at once run one after
    the other and cannot leave a practice on without what it needs.
    """
    require_admin(actor, gettext_lazy("switch practices on or off"))
    practice = practices.get(key)
    if practice is None:
        raise NotFound(_("There is no practice %(key)s.") % {"key": repr(key)})
    if not practice.switchable:
        raise Conflict(
            _("%(name)s is part of the platform: it is always on.") % {"name": practice.name},
            {"enabled": [_("part of the platform: always on")]},
        )
    switchable = [p for p in practices.all_practices() if p.switchable]
    PracticeState.objects.bulk_create(
        [PracticeState(key=p.key, enabled=p.on_by_default) for p in switchable],
        ignore_conflicts=True,
    )
    rows = {r.key: r for r in PracticeState.objects.select_for_update().order_by("key")}
    stored = {k: r.enabled for k, r in rows.items()}
    if enabled:
        needed = [
            practices.get(d) or practices.Practice(key=d, name=d) for d in practice.depends_on
        ]
        missing = [p for p in needed if not practices.is_on(p, stored) or not practices.get(p.key)]
        if missing:
            values = {"name": practice.name, "needed": _names(missing)}
            raise PracticeDependency(
                ngettext(
                    "%(name)s needs %(needed)s: switch it on first.",
                    "%(name)s needs %(needed)s: switch them on first.",
                    len(missing),
                )
                % values,
                {"enabled": [_("needs %(needed)s on") % values]},
            )
    else:
        needing = [p for p in practices.dependents(key) if practices.is_on(p, stored)]
        if needing:
            values = {"name": practice.name, "needing": _names(needing)}
            raise PracticeDependency(
                ngettext(
                    "%(needing)s needs %(name)s: switch %(needing)s off first.",
                    "%(needing)s need %(name)s: switch %(needing)s off first.",
                    len(needing),
                )
                % values,
                {"enabled": [_("%(needing)s depends on it") % values]},
            )
    row = rows[key]
    if row.enabled != enabled:
        before = row.enabled
        row.enabled = enabled
        save_versioned(row, row.version, ["enabled"])
        journal.record(
            actor,
            row,
            "practice_switched_on" if enabled else "practice_switched_off",
            {"enabled": [before, enabled]},
        )
        practices.forget_states()
    return row
