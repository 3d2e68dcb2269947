"""One-click decisions from email: a signed link per approver, step and decision.

The token binds the approval request, the person it was sent to and the decision
(``django.core.signing``, salt ``approvals.decision``) and lasts
:data:`MAX_AGE` seconds. Opening it (GET) shows what would be decided and a confirm button;
only the POST decides, as that person — so a mail scanner that follows links decides nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing
from django.urls import reverse

from steward.core.site import absolute

SALT = "approvals.decision"
#: fourteen days, in seconds
MAX_AGE = 14 * 24 * 3600


@dataclass(frozen=True)
class Ticket:
    """What a valid token says."""

    request_id: int
    user_id: int
    decision: str


def token(request, user, decision: str) -> str:
    return signing.dumps({"r": request.pk, "u": user.pk, "d": decision}, salt=SALT, compress=True)


def decision_link(request, user, decision: str) -> str:
    """The absolute URL that lets ``user`` decide ``request`` with ``decision`` in one click
    (and one confirmation)."""
    path = reverse("approvals:act", args=[token(request, user, decision)])
    return absolute(path)


def read(value: str) -> Ticket | None:
    """The ticket in a token, or None when it is forged, altered or older than 14 days."""
    try:
        data = signing.loads(value, salt=SALT, max_age=MAX_AGE)
        return Ticket(int(data["r"]), int(data["u"]), str(data["d"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
