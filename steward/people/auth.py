"""API authentication: Django sessions (with CSRF) for the UI, bearer tokens for scripts."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from steward.core.errors import PermissionDenied
from steward.people.choices import TokenScope
from steward.people.models import ApiToken
from steward.people.tokens import digest

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: last_used_at is written at most this often per token, to keep reads read-only.
LAST_USED_RESOLUTION = timedelta(minutes=5)


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``; a ``read`` token may only use safe methods."""

    def authenticate(self, request: HttpRequest, token: str):
        if not token:
            return None
        row = (
            ApiToken.objects.select_related("user")
            .filter(digest=digest(token), revoked_at__isnull=True)
            .first()
        )
        now = timezone.now()
        if row is None or not row.user.is_active or (row.expires_at and row.expires_at <= now):
            return None
        if row.scope != TokenScope.WRITE and request.method not in SAFE_METHODS:
            raise PermissionDenied(
                f"This token has scope '{row.scope}': it can read but not write.",
                {"authorization": ["token scope 'read' cannot write"]},
            )
        if row.last_used_at is None or now - row.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
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
