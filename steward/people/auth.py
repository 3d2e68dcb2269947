"""Authentication: the throttled sign-in backend of both sign-in forms, the client's address,
and the API's Django sessions (with CSRF) for the UI and bearer tokens for scripts.

Every way in goes through one throttle (people.operations, "sign-in throttling").
"""

from __future__ import annotations

import functools
import ipaddress
import math
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db.models import Count, IntegerField, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja.security import APIKeyCookie, HttpBearer

from steward.core.errors import PermissionDenied, Throttled
from steward.people import operations as people_ops
from steward.people.choices import TokenScope
from steward.people.models import ApiToken, LoginFailure
from steward.people.tokens import digest

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


# --- the client's address -----------------------------------------------------------------------


@functools.cache
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies)


def _address(text: str):
    """An address from a header hop ("203.0.113.5", "[2001:db8::1]:443", "203.0.113.5:80")."""
    text = text.strip()
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The client's address: the connecting one, unless that is one of STEWARD_TRUSTED_PROXIES;
    then X-Forwarded-For is read from the right, skipping the trusted proxies, and the first
    address that is not one of them is the client (a client can put anything at the left of
    the header, so only what the trusted proxies appended counts)."""
    remote = _address(request.META.get("REMOTE_ADDR") or "")
    networks = _networks(tuple(settings.STEWARD_TRUSTED_PROXIES))
    if remote is None:
        return None
    if not networks or not any(remote in n for n in networks):
        return str(remote)
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break  # unreadable: the last trusted hop is the best we know
        remote = address
        if not any(address in n for n in networks):
            break
    return str(remote)


# --- sign-in throttle ----------------------------------------------------------------------------


def blocked_message(wait: timedelta) -> str:
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    return ngettext(
        "Too many failed sign-in attempts; try again in %(n)d minute.",
        "Too many failed sign-in attempts; try again in %(n)d minutes.",
        minutes,
    ) % {"n": minutes}


def sign_in_blocked_for(request: HttpRequest) -> timedelta | None:
    """After a refused sign-in: how long this client's next one stays blocked, or None."""
    return getattr(request, "_steward_sign_in_blocked_for", None)


class ThrottledModelBackend(ModelBackend):
    """Django's username and password check behind the sign-in throttle; the only backend, so
    both the sign-in page and the admin's (both call ``authenticate(request, ...)``) use it.

    The attempt is recorded and counted before the password is checked; when the throttle is
    over its limit the password is not checked at all. After the check, a right password
    clears this username's failures from this address; after a wrong one the request notes
    whether the next attempt is blocked, for the page to answer 429.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(self._username_field())
        if username is None or password is None:
            return None
        ip = client_address(request) if request is not None else None
        wait = people_ops.begin_sign_in(username, ip)
        if wait is None:
            user = super().authenticate(request, username=username, password=password, **kwargs)
            if user is not None:
                people_ops.sign_in_succeeded(username, ip)
                return user
            wait = people_ops.login_blocked_for(username, ip)
        if request is not None:
            request._steward_sign_in_blocked_for = wait
        return None

    @staticmethod
    def _username_field() -> str:
        from django.contrib.auth import get_user_model

        return get_user_model().USERNAME_FIELD


class SignInThrottled(Throttled):
    """429: too many failed attempts from this address (bad tokens or passwords)."""

    def __init__(self, wait: timedelta):
        seconds = max(1, math.ceil(wait.total_seconds()))
        super().__init__(
            f"Too many failed sign-in attempts from this address; try again in {seconds} seconds.",
            seconds,
        )


def _recent_failures_from(ip: str | None):
    """The failed attempts from ``ip`` in the window, as a subquery of the token lookup."""
    cutoff = timezone.now() - timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW)
    failures = (
        LoginFailure.objects.filter(ip=ip, at__gte=cutoff)
        .order_by()
        .values("ip")  # one group: every row has this address
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(failures[:1], output_field=IntegerField()), 0)


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``; a ``read`` token may only use safe methods."""

    def authenticate(self, request: HttpRequest, token: str):
        if not token:
            return None
        ip = client_address(request)
        row = (
            ApiToken.objects.select_related("user")
            .filter(digest=digest(token))
            .annotate(recent_failures=_recent_failures_from(ip))
            .first()
        )
        if row is None:
            # A secret that matches no token: a guess, or a typo. Counted against the address.
            wait = people_ops.note_bad_token(ip)
            if wait is not None:
                raise SignInThrottled(wait)
            return None
        if row.recent_failures >= settings.LOGIN_THROTTLE_ADDRESS_ATTEMPTS:
            # Even a right token is refused while the address is blocked: otherwise a guesser
            # would still learn which guess was right.
            wait = people_ops.login_blocked_for("", ip)
            if wait is not None:
                raise SignInThrottled(wait)
        now = timezone.now()
        # A token that exists but is revoked or expired, or whose owner is inactive, is not a
        # guess (its secret was issued): refused, but not counted, so a forgotten script with
        # an old token does not block its address.
        if (
            row.revoked_at is not None
            or not row.user.is_active
            or (row.expires_at and row.expires_at <= now)
        ):
            return None
        # A token's answers (messages, notifications, refusals) are in its owner's language, as
        # pages are (LocaleMiddleware activates a language afresh on every request).
        if row.user.language in dict(settings.LANGUAGES):
            translation.activate(row.user.language)
        if row.scope != TokenScope.WRITE and request.method not in SAFE_METHODS:
            raise PermissionDenied(
                _("This token has scope '%(scope)s': it can read but not write.")
                % {"scope": row.scope},
                {"authorization": [_("token scope 'read' cannot write")]},
            )
        people_ops.note_token_used(row, now)
        request.user = row.user
        request.api_token = row
        return row.user


class SessionAuth(APIKeyCookie):
    """The signed-in browser session; writes must carry the CSRF token."""

    def __init__(self):
        from django.conf import settings

        self.param_name = settings.SESSION_COOKIE_NAME
        super().__init__(csrf=True)

    def authenticate(self, request: HttpRequest, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None


AUTH = [TokenAuth(), SessionAuth()]
