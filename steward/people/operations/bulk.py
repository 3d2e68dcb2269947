"""Bulk loads for benchmarks and importers that validated their rows: one statement per batch,
one journal entry per row."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext_lazy, gettext_noop

from steward.core import journal
from steward.core.operations import require_admin
from steward.people.choices import Role
from steward.people.models import (
    Organization,
    SupportGroup,
    User,
    UserRole,
)
from steward.people.operations.common import validate_roles


@transaction.atomic
def bulk_create_organizations(actor, rows: list[dict]) -> list[Organization]:
    """Insert many organizations at once (one INSERT per batch) and journal each."""
    require_admin(actor, gettext_lazy("bulk-load organizations"))
    orgs = Organization.objects.bulk_create([Organization(**r) for r in rows], batch_size=2000)
    journal.record_many(actor, orgs, "created", comment=gettext_noop("bulk load"))
    return orgs


@transaction.atomic
def bulk_create_users(actor, rows: list[dict], roles: Iterable[str] = (Role.AGENT,)) -> list[User]:
    """Insert many users at once with an unusable password, their roles, and a journal entry."""
    require_admin(actor, gettext_lazy("bulk-load users"))
    roles = validate_roles(roles)
    users = []
    for r in rows:
        u = User(**r)
        u.set_unusable_password()
        users.append(u)
    users = User.objects.bulk_create(users, batch_size=2000)
    UserRole.objects.bulk_create(
        [UserRole(user=u, role=role) for u in users for role in roles], batch_size=5000
    )
    journal.record_many(actor, users, "created", comment=gettext_noop("bulk load"))
    return users


@transaction.atomic
def bulk_create_groups(
    actor, rows: list[dict], members: dict[str, list[User]]
) -> list[SupportGroup]:
    """Insert many groups at once; ``members`` maps a group name to its members."""
    require_admin(actor, gettext_lazy("bulk-load support groups"))
    groups = SupportGroup.objects.bulk_create([SupportGroup(**r) for r in rows], batch_size=2000)
    through = SupportGroup.members.through
    through.objects.bulk_create(
        [
            through(supportgroup_id=g.pk, user_id=u.pk)
            for g in groups
            for u in members.get(g.name, ())
        ],
        batch_size=5000,
    )
    journal.record_many(actor, groups, "created", comment=gettext_noop("bulk load"))
    return groups
