"""Personal API tokens: generation, hashing and lookup."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_PREFIX = "stw_"  # noqa: S105 - a marker, not a secret


def new_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """Tokens are long random strings, so one SHA-256 is enough (no slow password hash)."""
    return hashlib.sha256(secret.encode()).hexdigest()
