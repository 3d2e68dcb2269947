"""API tokens: minted for oneself or (administrators) for others, revoked, and their last use."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.core import journal
from steward.core.errors import NotFound, PermissionDenied, ValidationError
from steward.people import tokens
from steward.people.choices import TokenScope
from steward.people.models import (
    ApiToken,
    User,
)


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
