"""Granting, changing and revoking KCS licences (administrators and the knowledge process
owner). Journaled on the licensed person, so their timeline tells how their licence grew."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from steward.core import journal
from steward.core.concurrency import save_versioned
from steward.core.errors import Conflict
from steward.knowledge import rules
from steward.knowledge.choices import LicenceLevel
from steward.knowledge.models import Licence
from steward.knowledge.operations.common import check_version, invalid, refuse


def _require_granter(actor) -> None:
    if not rules.may_grant_licences(actor):
        raise refuse(
            _("Only administrators and the knowledge process owner grant licences."),
            "level",
            "may not grant licences",
        )


def _check_level(level) -> None:
    if level not in LicenceLevel.values:
        raise invalid(
            "level",
            _("Unknown licence %(value)s.") % {"value": repr(level)},
            f"must be one of {', '.join(LicenceLevel.values)}",
        )


def _label(licence: Licence) -> str:
    return f"{licence.level} · {licence.domain_label}{' · coach' if licence.coach else ''}"


def _locked(licence: Licence) -> Licence:
    """Re-read the licence under a row lock into the caller's object (its holder stays the
    object the caller has, whose cached licences are dropped after the change)."""
    fresh = Licence.objects.select_for_update().get(pk=licence.pk)
    for f in Licence._meta.concrete_fields:
        setattr(licence, f.attname, getattr(fresh, f.attname))
    return licence


@transaction.atomic
def grant_licence(actor, *, user, level, service=None, category=None, coach=False) -> Licence:
    """License a member of IT in one domain (a service, a category, or every domain when
    neither is named). One licence per person and domain: a second is refused (409)."""
    _require_granter(actor)
    if not (user.is_active and user.is_it):
        raise invalid(
            "user",
            _("%(name)s is not an active member of IT: licences are for IT staff.")
            % {"name": user.display_name},
            "must be an active IT staff member",
        )
    _check_level(level)
    if service is not None and category is not None:
        raise invalid(
            "category",
            _("A licence is for one domain: a service or a category, not both."),
            "name a service or a category, not both",
        )
    if not isinstance(coach, bool):
        raise invalid("coach", _("coach is true or false."), "must be true or false")
    field = "service" if service is not None else "category" if category is not None else "user"
    exists = Licence.objects.filter(user=user, service=service, category=category).exists()
    if exists:
        raise Conflict(
            _("%(name)s already holds a licence in this domain: change it instead.")
            % {"name": user.display_name},
            {field: ["already licensed in this domain"]},
        )
    try:
        with transaction.atomic():
            licence = Licence.objects.create(
                user=user,
                level=level,
                service=service,
                category=category,
                coach=coach,
                granted_by=actor if getattr(actor, "pk", None) else None,
            )
    except IntegrityError as exc:  # a concurrent grant of the same domain
        raise Conflict(
            _("%(name)s already holds a licence in this domain: change it instead.")
            % {"name": user.display_name},
            {field: ["already licensed in this domain"]},
        ) from exc
    journal.record(actor, user, "licence_granted", {"licence": [None, _label(licence)]})
    rules.forget_licences(user)
    return licence


@transaction.atomic
def change_licence(actor, licence: Licence, *, version, level=None, coach=None) -> Licence:
    """Raise or lower a licence, or make its holder a coach of the domain (or no longer)."""
    _require_granter(actor)
    licence = _locked(licence)
    check_version(licence, version)
    fields = []
    if level is not None:
        _check_level(level)
        if level != licence.level:
            fields.append("level")
    if coach is not None:
        if not isinstance(coach, bool):
            raise invalid("coach", _("coach is true or false."), "must be true or false")
        if coach != licence.coach:
            fields.append("coach")
    if not fields:
        return licence
    before = _label(licence)
    before_values = {"level": licence.level, "coach": licence.coach}
    if "level" in fields:
        licence.level = level
    if "coach" in fields:
        licence.coach = coach
    save_versioned(licence, version, fields)
    changes = {name: [before_values[name], getattr(licence, name)] for name in fields}
    changes["licence"] = [before, _label(licence)]
    journal.record(actor, licence.user, "licence_changed", changes)
    rules.forget_licences(licence.user)
    return licence


@transaction.atomic
def revoke_licence(actor, licence: Licence, *, version) -> None:
    """Take a licence away (its holder is a Candidate again in that domain)."""
    _require_granter(actor)
    licence = _locked(licence)
    check_version(licence, version)
    user, label = licence.user, _label(licence)
    licence.delete()
    journal.record(actor, user, "licence_revoked", {"licence": [label, None]})
    rules.forget_licences(licence.user)
