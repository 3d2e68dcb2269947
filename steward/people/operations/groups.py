"""Support groups: their members and their manager."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steward.core import journal
from steward.core.concurrency import save_versioned
from steward.core.errors import PermissionDenied, ValidationError
from steward.core.operations import full_clean, require, require_admin
from steward.people.models import (
    SupportGroup,
    User,
)
from steward.people.operations.common import GROUP_FIELDS, GROUP_MANAGER_FIELDS


def _check_active_user(field: str, user: User | None) -> None:
    if user is not None and not user.is_active:
        raise ValidationError.field(
            field, _("user %(username)s is inactive") % {"username": repr(user.username)}
        )


def _members_snapshot(group: SupportGroup) -> list[str]:
    return sorted(group.members.values_list("username", flat=True))


@transaction.atomic
def create_group(actor, *, members: Iterable[User] = (), **fields) -> SupportGroup:
    require_admin(actor, gettext_lazy("create support groups"))
    _check_active_user("manager", fields.get("manager"))
    group = SupportGroup(**fields)
    full_clean(group)
    group.save()
    members = list(members)
    for m in members:
        _check_active_user("members", m)
    group.members.set(members)
    journal.record(
        actor,
        group,
        "created",
        {f: [None, v] for f, v in journal.snapshot(group, GROUP_FIELDS).items()}
        | {"members": [None, _members_snapshot(group)]},
    )
    return group


@transaction.atomic
def update_group(
    actor,
    group: SupportGroup,
    *,
    version: int | None,
    members: Iterable[User] | None = None,
    **changes,
) -> SupportGroup:
    require(actor, "change", group)
    if actor is not None and not actor.is_admin:
        forbidden = set(changes) - GROUP_MANAGER_FIELDS
        if forbidden:
            raise PermissionDenied(
                _("Only administrators may change %(fields)s.")
                % {"fields": ", ".join(sorted(forbidden))},
                {f: [_("only administrators may change this")] for f in sorted(forbidden)},
            )
    if "manager" in changes:
        _check_active_user("manager", changes["manager"])
    before = journal.snapshot(group, GROUP_FIELDS) | {"members": _members_snapshot(group)}
    for name, value in changes.items():
        setattr(group, name, value)
    full_clean(group)
    save_versioned(group, version, list(changes))
    if members is not None:
        members = list(members)
        current = set(group.members.values_list("pk", flat=True))
        for m in members:
            if m.pk not in current:
                _check_active_user("members", m)
        group.members.set(members)
    after = journal.snapshot(group, GROUP_FIELDS) | {"members": _members_snapshot(group)}
    journal.record(actor, group, "updated", journal.diff(before, after))
    return group
