"""The survey link's token: derived, never stored.

``token(record_type, record_id)`` is an HMAC of the ticket with the installation's secret key
(``django.utils.crypto.salted_hmac``, SHA-256, salt ``steward.satisfaction.survey``), in URL-safe
base64 (43 characters). The survey row keeps only ``digest(token)`` (SHA-256, hex), which finds
the survey when the link is opened. So nothing in the database answers a survey, and yet the
respondent's API (``GET /api/v1/surveys?mine=true``) can give back their open surveys' tokens:
it derives them again. Changing the secret key makes the links already sent stop working (they
answer 404), as it does for sessions and password-reset links.
"""

from __future__ import annotations

import base64
import hashlib

from django.utils.crypto import salted_hmac

SALT = "steward.satisfaction.survey"
#: The length of a token (32 bytes in URL-safe base64, without padding).
LENGTH = 43


def token(record_type: str, record_id: int) -> str:
    mac = salted_hmac(SALT, f"{record_type}:{int(record_id)}", algorithm="sha256").digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode("ascii")


def digest(value: str) -> str:
    """The SHA-256 of a token (what the survey row stores)."""
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


def token_of(survey) -> str:
    return token(survey.record_type, survey.record_id)


def looks_like_token(value: str) -> bool:
    """Whether ``value`` has a token's shape (43 URL-safe base64 characters): anything else is
    not looked up."""
    return (
        isinstance(value, str)
        and len(value) == LENGTH
        and all(c.isalnum() or c in "-_" for c in value)
        and value.isascii()
    )
