"""Domain operations of the people app: the only code that writes people, groups,
organizations and tokens. Each runs in one transaction and writes the journal."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from steward.core import journal
from steward.core.concurrency import save_versioned
from steward.core.errors import NotFound, PermissionDenied, StaleVersion, ValidationError
from steward.core.operations import full_clean, require, require_admin
from steward.people import tokens
from steward.people.choices import ContactRole, Role, TokenScope
from steward.people.models import (
    ApiToken,
    LoginFailure,
    Organization,
    OrganizationContact,
    SupportGroup,
    User,
    UserRole,
)

USER_FIELDS = [
    "username",
    "first_name",
    "last_name",
    "email",
    "organization",
    "job_title",
    "phone",
    "time_zone",
    "language",
    "is_active",
]
#: Fields a user may change on their own account; the rest are for administrators.
SELF_SERVICE_FIELDS = {
    "first_name",
    "last_name",
    "email",
    "job_title",
    "phone",
    "time_zone",
    "language",
}
ORG_FIELDS = ["name", "code", "description", "is_active"]
GROUP_FIELDS = ["name", "description", "email", "manager", "is_active"]
#: What a group's manager may change on their own group; the rest is for administrators.
GROUP_MANAGER_FIELDS = {"description", "email", "members"}
CONTACT_FIELDS = ["name", "email", "role", "language"]


def _validate_roles(roles: Iterable[str]) -> list[str]:
    roles = list(dict.fromkeys(roles))
    bad = [r for r in roles if r not in Role.values]
    if bad:
        raise ValidationError.field(
            "roles",
            _("unknown roles %(bad)s; roles are %(roles)s") % {"bad": bad, "roles": Role.values},
        )
    return roles


# --- users ------------------------------------------------------------------------------------


@transaction.atomic
def create_user(
    actor, *, username: str, password: str | None = None, roles: Iterable[str] = (), **fields
) -> User:
    require_admin(actor, gettext_lazy("create users"))
    roles = _validate_roles(roles or [Role.REQUESTER])
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
    full_clean(user, exclude=["password"])
    if fields.get("email") and User.objects.filter(email__iexact=fields["email"]).exists():
        raise ValidationError.field("email", _("another user already has this email address"))
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
    full_clean(user, exclude=["password"])
    if (
        "email" in changes
        and user.email
        and (User.objects.filter(email__iexact=user.email).exclude(pk=user.pk).exists())
    ):
        raise ValidationError.field("email", _("another user already has this email address"))
    if actor is not None and user.pk == actor.pk and changes.get("is_active") is False:
        raise ValidationError.field("is_active", _("you cannot deactivate your own account"))
    save_versioned(user, version, list(changes))
    if roles is not None:
        roles = _validate_roles(roles)
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


# --- organizations ----------------------------------------------------------------------------


@transaction.atomic
def create_organization(actor, **fields) -> Organization:
    require_admin(actor, gettext_lazy("create organizations"))
    org = Organization(**fields)
    full_clean(org)
    org.save()
    journal.record(
        actor, org, "created", {f: [None, v] for f, v in journal.snapshot(org, ORG_FIELDS).items()}
    )
    return org


@transaction.atomic
def update_organization(
    actor, org: Organization, *, version: int | None, **changes
) -> Organization:
    require(actor, "change", org)
    before = journal.snapshot(org, ORG_FIELDS)
    for name, value in changes.items():
        setattr(org, name, value)
    full_clean(org)
    save_versioned(org, version, list(changes))
    journal.record(actor, org, "updated", journal.diff(before, journal.snapshot(org, ORG_FIELDS)))
    return org


# --- organization contacts -------------------------------------------------------------------
#
# Contacts are journaled on their organization (its history shows who was added, changed or
# removed) as well as on themselves while they exist.


def _check_contact_email(contact: OrganizationContact) -> None:
    if (
        contact.email
        and OrganizationContact.objects.filter(
            organization_id=contact.organization_id, email__iexact=contact.email
        )
        .exclude(pk=contact.pk)
        .exists()
    ):
        raise ValidationError.field(
            "email", _("this organization already has a contact with this email address")
        )


@transaction.atomic
def add_contact(actor, org: Organization, **fields) -> OrganizationContact:
    """Add a contact to a customer organization (administrators)."""
    require_admin(actor, gettext_lazy("manage organization contacts"))
    unknown = set(fields) - set(CONTACT_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown fields %(fields)s") % {"fields": sorted(unknown)},
            {k: [_("unknown field")] for k in sorted(unknown)},
        )
    fields.setdefault("role", ContactRole.PRIMARY)
    contact = OrganizationContact(organization=org, **fields)
    full_clean(contact, constraints=False)
    _check_contact_email(contact)
    contact.save()
    created = {f: [None, v] for f, v in journal.snapshot(contact, CONTACT_FIELDS).items()}
    journal.record(actor, contact, "created", created)
    journal.record(actor, org, "contact_added", created, comment=contact.name)
    return contact


@transaction.atomic
def update_contact(
    actor, contact: OrganizationContact, *, version: int | None, **changes
) -> OrganizationContact:
    require_admin(actor, gettext_lazy("manage organization contacts"))
    unknown = set(changes) - set(CONTACT_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown fields %(fields)s") % {"fields": sorted(unknown)},
            {k: [_("unknown field")] for k in sorted(unknown)},
        )
    before = journal.snapshot(contact, CONTACT_FIELDS)
    for name, value in changes.items():
        setattr(contact, name, value)
    full_clean(contact, constraints=False)
    _check_contact_email(contact)
    save_versioned(contact, version, list(changes))
    changed = journal.diff(before, journal.snapshot(contact, CONTACT_FIELDS))
    journal.record(actor, contact, "updated", changed)
    journal.record(actor, contact.organization, "contact_updated", changed, comment=contact.name)
    return contact


@transaction.atomic
def remove_contact(actor, contact: OrganizationContact, *, version: int | None) -> None:
    """Remove a contact; the organization's history keeps who they were."""
    require_admin(actor, gettext_lazy("manage organization contacts"))
    rows = OrganizationContact.objects.filter(pk=contact.pk)
    if version is not None:
        rows = rows.filter(version=version)
    before = journal.snapshot(contact, CONTACT_FIELDS)
    if not rows.delete()[0]:
        current = (
            OrganizationContact.objects.filter(pk=contact.pk)
            .values_list("version", flat=True)
            .first()
        )
        raise StaleVersion(version, current or 0)
    journal.record(actor, contact, "removed", {f: [v, None] for f, v in before.items()})
    journal.record(
        actor,
        contact.organization,
        "contact_removed",
        {f: [v, None] for f, v in before.items()},
        comment=contact.name,
    )


# --- support groups ---------------------------------------------------------------------------


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


# --- API tokens -------------------------------------------------------------------------------


def _token_expiry(expires_at):
    """The expiry of a new token: at most STEWARD_TOKEN_MAX_DAYS ahead, that far if not given."""
    now = timezone.now()
    max_days = settings.STEWARD_TOKEN_MAX_DAYS
    latest = now + timedelta(days=max_days)
    if expires_at is None:
        return latest
    if timezone.is_naive(expires_at):
        expires_at = timezone.make_aware(expires_at)
    if expires_at <= now:
        raise ValidationError.field("expires_at", _("must be in the future"))
    if expires_at > latest:
        raise ValidationError.field(
            "expires_at",
            _("at most %(days)s days ahead (no later than %(latest)s)")
            % {"days": max_days, "latest": latest.isoformat()},
        )
    return expires_at


@transaction.atomic
def create_api_token(
    actor,
    user: User,
    *,
    name: str,
    scope: str = TokenScope.READ,
    expires_at=None,
    via_token: ApiToken | None = None,
) -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns the row and the secret (shown once, never stored).

    Tokens are made in a signed-in browser session or by ``manage.py create_api_token``, never
    with another token (``via_token``, the token the request was authenticated with): a stolen
    token cannot make itself a successor that outlives its revocation. A token lives at most
    STEWARD_TOKEN_MAX_DAYS days, that long when no expiry is given.
    """
    if via_token is not None:
        raise PermissionDenied(
            _(
                "API tokens cannot be created with a token: sign in to Steward and create it on "
                "your profile's API tokens page (or ask an administrator for manage.py "
                "create_api_token)."
            ),
            {"authorization": [_("a bearer token cannot create tokens; use a signed-in session")]},
        )
    if actor is not None and actor.pk != user.pk and not actor.is_admin:
        raise PermissionDenied(
            _(
                "Tokens are personal: you can only create your own (administrators can make one "
                "for someone else)."
            )
        )
    if scope not in TokenScope.values:
        raise ValidationError.field(
            "scope", _("must be one of %(values)s") % {"values": TokenScope.values}
        )
    if not name or len(name) > 80:
        raise ValidationError.field("name", _("required, at most 80 characters"))
    if not user.is_active:
        raise ValidationError.field(
            "user", _("user %(username)s is inactive") % {"username": repr(user.username)}
        )
    expires_at = _token_expiry(expires_at)
    secret = tokens.new_secret()
    row = ApiToken.objects.create(
        user=user,
        name=name,
        scope=scope,
        expires_at=expires_at,
        prefix=secret[:12],
        digest=tokens.digest(secret),
    )
    journal.record(actor, user, "api_token_created", comment=f"{name} ({scope}, {row.prefix}…)")
    return row, secret


@transaction.atomic
def revoke_api_token(actor, token: ApiToken) -> ApiToken:
    """Revoke a token: its owner, or an administrator (anyone's)."""
    if actor is not None and actor.pk != token.user_id and not actor.is_admin:
        raise NotFound(_("Token not found."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=token.revoked_at)
        journal.record(
            actor, token.user, "api_token_revoked", comment=f"{token.name} ({token.prefix}…)"
        )
    return token


#: ``last_used_at`` is written at most this often per token, so reads stay (nearly) read-only.
LAST_USED_RESOLUTION = timedelta(minutes=5)


def note_token_used(token: ApiToken, now) -> None:
    """A token authenticated a request at ``now``: keep its ``last_used_at`` (shown to its
    owner) to within LAST_USED_RESOLUTION. Bookkeeping of the sign-in, like the throttle's
    rows below: one UPDATE, no journal entry, no permission check (the caller authenticated)."""
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


# --- sign-in throttling -----------------------------------------------------------------------
#
# One throttle for every way in: the sign-in page and the admin's (both through
# people.auth.ThrottledModelBackend) and bearer tokens (people.auth.TokenAuth). A LoginFailure
# row is an attempt that has not succeeded (yet), counted over LOGIN_THROTTLE_WINDOW seconds
# under three keys, each with its own limit:
#
# - the username from one client address: LOGIN_THROTTLE_ATTEMPTS (5), the guessing limit;
# - the client address, all usernames and bad bearer tokens together:
#   LOGIN_THROTTLE_ADDRESS_ATTEMPTS (20), so one address cannot try 5 passwords on every account;
# - the username from all addresses together: LOGIN_THROTTLE_USERNAME_ATTEMPTS (100), against
#   guessing from many addresses; high, so that locking someone out takes 20 addresses.
#
# A password is checked only after its attempt is recorded and counted (``begin_sign_in``): the
# row is inserted and committed on its own, then the rows are counted. Every attempt that goes
# on to the password check sees all attempts committed before its count, its own included, so
# however many run at once at most the limit of them reach the check. An attempt over a limit
# removes its row again: hammering a blocked key does not extend the block.


def _throttle_username(username: str) -> str:
    return (username or "").strip().lower()[:150]


def _throttle_keys(username: str, ip: str | None) -> dict[str, tuple[Q, int]]:
    keys = {"address": (Q(ip=ip), settings.LOGIN_THROTTLE_ADDRESS_ATTEMPTS)}
    if username:  # a bearer token has no username: only its address counts
        keys["pair"] = (Q(username=username, ip=ip), settings.LOGIN_THROTTLE_ATTEMPTS)
        keys["username"] = (Q(username=username), settings.LOGIN_THROTTLE_USERNAME_ATTEMPTS)
    return keys


def _window() -> timedelta:
    return timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW)


def _recent_counts(keys: dict[str, tuple[Q, int]], now) -> dict[str, int]:
    """Attempts per key in the window, in one query."""
    recent = LoginFailure.objects.filter(at__gte=now - _window())
    matching = Q()
    for q, _limit in keys.values():
        matching |= q
    return recent.filter(matching).aggregate(
        **{name: Count("pk", filter=q) for name, (q, _limit) in keys.items()}
    )


def _wait(keys: dict[str, tuple[Q, int]], over: list[str], now) -> timedelta:
    """How long until every key in ``over`` is below its limit again."""
    wait = timedelta(seconds=1)
    for name in over:
        q, allowed = keys[name]
        times = list(
            LoginFailure.objects.filter(q, at__gte=now - _window())
            .order_by("-at")
            .values_list("at", flat=True)[:allowed]
        )
        if len(times) >= allowed:
            wait = max(wait, times[-1] + _window() - now)
    return wait


def login_blocked_for(username: str, ip: str | None) -> timedelta | None:
    """How long the next sign-in of this username from this address stays blocked, or None.

    Read-only: blocked when any key (see above) already holds its limit of failures.
    """
    keys = _throttle_keys(_throttle_username(username), ip)
    now = timezone.now()
    counts = _recent_counts(keys, now)
    over = [name for name, (_, allowed) in keys.items() if counts[name] >= allowed]
    return _wait(keys, over, now) if over else None


def _record_attempt(username: str, ip: str | None) -> timedelta | None:
    """Record an attempt, then count: None if it is within every limit (its row stays, as a
    failure until a success clears it), else how long to wait (and its row is removed)."""
    # Committed on its own before the count, so that concurrent attempts see each other. The
    # rows that have left the window go at the same time (an indexed range, usually empty).
    now = timezone.now()
    with transaction.atomic(durable=True):
        LoginFailure.objects.filter(at__lt=now - _window()).delete()
        row = LoginFailure.objects.create(username=username, ip=ip)
    keys = _throttle_keys(username, ip)
    now = timezone.now()
    counts = _recent_counts(keys, now)
    over = [name for name, (_, allowed) in keys.items() if counts[name] > allowed]
    if not over:
        return None
    LoginFailure.objects.filter(pk=row.pk).delete()
    return _wait(keys, over, now)


def begin_sign_in(username: str, ip: str | None) -> timedelta | None:
    """Record a sign-in attempt before its password is checked.

    None: go on and check the password (the attempt counts as a failure unless
    ``sign_in_succeeded`` follows). A duration: blocked that long; do not check the password.
    Must not run inside a transaction (the attempt must be visible to concurrent ones).
    """
    return _record_attempt(_throttle_username(username), ip)


def sign_in_succeeded(username: str, ip: str | None) -> None:
    """A right password clears the failures of this username from this address (only: the
    failures from other addresses still count towards the username's limit)."""
    clear_failed_logins(username, ip)


def note_bad_token(ip: str | None) -> timedelta | None:
    """Record a bearer token that matched no token, against its address's limit. None: answer
    401; a duration: the address is blocked that long (answer 429)."""
    return _record_attempt("", ip)


def note_failed_login(username: str, ip: str | None) -> None:
    """Record a failed sign-in (without a password check of its own)."""
    LoginFailure.objects.create(username=_throttle_username(username), ip=ip)


def clear_failed_logins(username: str, ip: str | None) -> None:
    LoginFailure.objects.filter(username=_throttle_username(username), ip=ip).delete()


# --- bulk loads (benchmarks, importers) -------------------------------------------------------


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
    roles = _validate_roles(roles)
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
