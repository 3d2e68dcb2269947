"""Webhooks on the wire: the event's body, its signature, the target check, the POST.

Signature: ``X-Steward-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>"
with the subscription's secret>``; receivers reject a ``t`` older than 5 minutes
(:func:`verify` is the reference). Targets on loopback, link-local, private or otherwise
special addresses are refused unless an administrator allowed that subscription: checked when
the subscription is saved AND on every delivery, against the addresses the name resolves to
then, and the connection goes to the address that was checked (no second lookup, so a name
that changes its answer cannot slip through). Redirects are not followed.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import ipaddress
import json
import socket
import ssl
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

SIGNATURE_HEADER = "X-Steward-Signature"
TOLERANCE_SECONDS = 300


class TargetRefused(Exception):
    """The URL may not be called (``str(exc)`` says why)."""


def sign(secret: str, body: bytes, at: int | None = None) -> str:
    at = int(time.time()) if at is None else at
    digest = hmac.new(secret.encode(), f"{at}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={at},v1={digest}"


def verify(secret: str, body: bytes, header: str, *, now: int | None = None) -> bool:
    """What a receiver does: the signature matches and ``t`` is at most 5 minutes old."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        at = int(parts["t"])
    except (KeyError, ValueError):
        return False
    now = int(time.time()) if now is None else now
    if abs(now - at) > TOLERANCE_SECONDS:
        return False
    expected = sign(secret, body, at).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))


def body_for(event: str, entry_fields: dict) -> str:
    """The JSON body of one event (compact, keys sorted: what is signed is what is sent)."""
    return json.dumps(
        {"event": event, "occurred_at": timezone.now().isoformat(), **entry_fields},
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )


def _special(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def resolve(url: str, *, allow_private: bool) -> tuple[str, str, int, str]:
    """``(scheme, host, port, address to connect to)`` or :class:`TargetRefused`."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise TargetRefused("the URL must be http(s)://host/...")
    if parts.username or parts.password:
        raise TargetRefused("the URL may not carry a user name or password")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise TargetRefused(f"{parts.hostname} does not resolve ({exc})") from exc
    addresses = [info[4][0] for info in infos]
    if not allow_private:
        special = [a for a in addresses if _special(a)]
        if special:
            raise TargetRefused(
                f"{parts.hostname} is a loopback, link-local or private address ({special[0]}): "
                "an administrator may allow it for this subscription"
            )
    return parts.scheme, parts.hostname, port, addresses[0]


class _PinnedHTTPS(http.client.HTTPSConnection):
    """HTTPS to the address that was checked, verifying the certificate for the host name."""

    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


def post(webhook, delivery) -> tuple[int, int]:
    """POST the delivery's body; ``(status, milliseconds)``. Raises for a refused target, a
    network failure or a non-2xx answer (the outbox retries)."""
    scheme, host, port, address = resolve(webhook.url, allow_private=webhook.allow_private_target)
    parts = urlsplit(webhook.url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    body = delivery.body.encode()
    connection_class = _PinnedHTTPS if scheme == "https" else _PinnedHTTP
    connection = connection_class(host, port, address, settings.STEWARD_WEBHOOK_TIMEOUT)
    started = time.monotonic()
    try:
        connection.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/json",
                "User-Agent": "Steward-Webhooks/1",
                "X-Steward-Event": delivery.event,
                "X-Steward-Delivery": str(delivery.pk),
                SIGNATURE_HEADER: sign(webhook.secret, body),
            },
        )
        response = connection.getresponse()
        response.read(65536)
        status = response.status
    finally:
        connection.close()
    elapsed = int((time.monotonic() - started) * 1000)
    if not 200 <= status < 300:
        raise WebhookRejected(status, elapsed)
    return status, elapsed


class WebhookRejected(Exception):
    def __init__(self, status: int, elapsed: int):
        super().__init__(f"the receiver answered HTTP {status}")
        self.status, self.elapsed = status, elapsed
