"""People: create and update users, their roles and their password (journaled)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steward.core import journal
from steward.core.concurrency import save_versioned
from steward.core.errors import PermissionDenied, ValidationError
from steward.core.operations import full_clean, require, require_admin
from steward.people.choices import Role
from steward.people.models import (
    User,
    UserRole,
)
from steward.people.operations.common import SELF_SERVICE_FIELDS, USER_FIELDS, validate_roles


@transaction.atomic
def create_user(
    actor, *, username: str, password: str | None = None, roles: Iterable[str] = (), **fields
) -> User:
    require_admin(actor, gettext_lazy("create users"))
    roles = validate_roles(roles or [Role.REQUESTER])
    unknown = set(fields) - set(USER_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown fields %(fields)s") % {"fields": sorted(unknown)},
            {k: [_("unknown field")] for k in unknown},
        )
    user = User(username=username, **fields)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    # before full_clean, whose check of the (case-blind) unique constraint names no field
    if fields.get("email") and User.objects.with_email(fields["email"]).exists():
        raise ValidationError.field("email", _("another user already has this email address"))
    full_clean(user, exclude=["password"])
    user.save()
    _write_roles(user, roles)
    journal.record(
        actor,
        user,
        "created",
        {f: [None, v] for f, v in journal.snapshot(user, USER_FIELDS).items()}
        | {"roles": [None, sorted(roles)]},
    )
    return user


def _write_roles(user: User, roles: list[str]) -> None:
    UserRole.objects.filter(user=user).exclude(role__in=roles).delete()
    existing = set(UserRole.objects.filter(user=user).values_list("role", flat=True))
    UserRole.objects.bulk_create([UserRole(user=user, role=r) for r in roles if r not in existing])
    is_admin = Role.ADMIN in roles
    if user.is_staff != is_admin or user.is_superuser != is_admin:
        User.objects.filter(pk=user.pk).update(is_staff=is_admin, is_superuser=is_admin)
        user.is_staff = user.is_superuser = is_admin
    user._roles_cache = frozenset(roles)


@transaction.atomic
def update_user(
    actor, user: User, *, version: int | None, roles: Iterable[str] | None = None, **changes
) -> User:
    """Change a user. Administrators may change anything; a user only their own profile."""
    require(actor, "change", user)
    own_profile_only = actor is not None and not actor.is_admin
    if own_profile_only:
        forbidden = (set(changes) - SELF_SERVICE_FIELDS) | (
            {"roles"} if roles is not None else set()
        )
        if forbidden:
            raise PermissionDenied(
                _("Only administrators may change %(fields)s.")
                % {"fields": ", ".join(sorted(forbidden))},
                {f: [_("only administrators may change this")] for f in sorted(forbidden)},
            )
    unknown = set(changes) - set(USER_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown fields %(fields)s") % {"fields": sorted(unknown)},
            {k: [_("unknown field")] for k in unknown},
        )
    before = journal.snapshot(user, USER_FIELDS) | {"roles": sorted(user.roles)}
    for name, value in changes.items():
        setattr(user, name, value)
    if (
        "email" in changes
        and user.email
        and User.objects.with_email(user.email).exclude(pk=user.pk).exists()
    ):
        raise ValidationError.field("email", _("another user already has this email address"))
    full_clean(user, exclude=["password"])
    if changes.get("line_manager") is not None and user.line_manager_id == user.pk:
        raise ValidationError.field("line_manager", _("a person is not their own line manager"))
    if actor is not None and user.pk == actor.pk and changes.get("is_active") is False:
        raise ValidationError.field("is_active", _("you cannot deactivate your own account"))
    save_versioned(user, version, list(changes))
    if roles is not None:
        roles = validate_roles(roles)
        if actor is not None and user.pk == actor.pk and Role.ADMIN not in roles:
            raise ValidationError.field("roles", _("you cannot remove your own admin role"))
        _write_roles(user, roles)
    after = journal.snapshot(user, USER_FIELDS) | {"roles": sorted(user.roles)}
    journal.record(actor, user, "updated", journal.diff(before, after))
    return user


@transaction.atomic
def set_password(actor, user: User, password: str) -> None:
    if actor is not None and actor.pk != user.pk:
        require_admin(actor, gettext_lazy("set other users’ passwords"))
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError as DjangoValidationError

    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationError(
            "password: " + " ".join(exc.messages), {"password": exc.messages}
        ) from exc
    user.set_password(password)
    User.objects.filter(pk=user.pk).update(password=user.password)
    journal.record(actor, user, "password_set")
