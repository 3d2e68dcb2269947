"""Sign-in throttling: the bookkeeping of failed attempts (the documented exception to
journaling: it records attempts, not decisions)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from steward.people.models import (
    LoginFailure,
)

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
