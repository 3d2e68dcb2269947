"""Reading a raw message: headers, the words to post, attachments, and whether a robot sent it.

Nothing here writes; :mod:`steward.mailbox.intake` decides what the message becomes. A message
that cannot be read safely raises :class:`Unreadable` with the reason people see in the
quarantine list.
"""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import dataclass, field
from email.errors import (
    MultipartInvariantViolationDefect,
    NoBoundaryInMultipartDefect,
    StartBoundaryNotFoundDefect,
)
from email.message import EmailMessage
from email.utils import getaddresses

from steward.mailbox import content

#: Defects after which the parts of a message cannot be told apart: what would be posted
#: might be half of an attachment, or miss the words. Such a message waits in quarantine.
FATAL_DEFECTS = (
    NoBoundaryInMultipartDefect,
    StartBoundaryNotFoundDefect,
    MultipartInvariantViolationDefect,
)
MESSAGE_ID = re.compile(r"<[^<>\s]+>")


class Unreadable(Exception):
    """The message cannot be processed; ``str(exc)`` says why."""


@dataclass
class Part:
    name: str
    data: bytes
    content_type: str
    inline: bool = False


@dataclass
class ParsedMail:
    message_id: str
    in_reply_to: list[str]
    references: list[str]
    from_address: str
    from_name: str
    subject: str
    text: str
    html: str
    folded: bool
    attachments: list[Part] = field(default_factory=list)
    #: why no one may answer this message automatically (RFC 3834), or ""
    automatic: str = ""
    #: "pass", "fail" or "none": what the receiving server's Authentication-Results say
    authentication: str = "none"
    auto_reply_suppressed: bool = False

    @property
    def thread_ids(self) -> list[str]:
        """Message-IDs this message answers, nearest first."""
        seen, ids = set(), []
        for mid in [*self.in_reply_to, *reversed(self.references)]:
            if mid not in seen:
                seen.add(mid)
                ids.append(mid)
        return ids


def message_ids(value) -> list[str]:
    return MESSAGE_ID.findall(str(value or ""))[:50]


def parse(raw: bytes, *, loop_id: str = "", authserv_ids: tuple[str, ...] = ()) -> ParsedMail:
    try:
        msg = email.message_from_bytes(raw, _class=EmailMessage, policy=email.policy.default)
    except Exception as exc:  # the parser is lenient; anything it raises is a broken message
        raise Unreadable(f"the message cannot be parsed ({type(exc).__name__})") from exc
    _check_structure(msg)
    address, name = _sender(msg)
    if not address:
        raise Unreadable("the message names no sender (From)")
    text, html, attachments = _body(msg)
    new_text, folded = content.split_reply(text)
    return ParsedMail(
        message_id=(message_ids(msg.get("Message-ID")) or [""])[0],
        in_reply_to=message_ids(msg.get("In-Reply-To")),
        references=message_ids(msg.get("References")),
        from_address=address,
        from_name=name,
        subject=content.one_line(str(msg.get("Subject", "")))[:998],
        text=new_text,
        html=html,
        folded=folded,
        attachments=attachments,
        automatic=automatic_reason(msg, address, loop_id),
        authentication=authentication(msg, authserv_ids),
        auto_reply_suppressed=_suppressed(msg),
    )


def _check_structure(msg: EmailMessage) -> None:
    for part in msg.walk():
        for defect in part.defects:
            if isinstance(defect, FATAL_DEFECTS):
                raise Unreadable(f"malformed MIME structure: {type(defect).__name__}")


def _sender(msg: EmailMessage) -> tuple[str, str]:
    """The From address (lower-cased) and display name. Reply-To is never identity."""
    try:
        values = msg.get_all("From") or []
        pairs = getaddresses([str(v) for v in values])
    except Exception:  # a From header the parser cannot read names nobody
        return "", ""
    pairs = [(n, a) for n, a in pairs if "@" in a]
    if len(pairs) != 1:
        return "", ""  # none, or several: nobody can say who wrote it
    name, address = pairs[0]
    return address.strip().lower(), content.one_line(name)[:150]


def _decoded(part: EmailMessage) -> str:
    try:
        return part.get_content()
    except (LookupError, UnicodeError, AssertionError):
        payload = part.get_payload(decode=True) or b""
        return payload.decode("utf-8", errors="replace")


def _body(msg: EmailMessage) -> tuple[str, str, list[Part]]:
    text_part = msg.get_body(preferencelist=("plain",))
    html_part = msg.get_body(preferencelist=("html",))
    html = content.sanitize(_decoded(html_part)) if html_part is not None else ""
    text = _decoded(text_part) if text_part is not None else content.html_to_text(html)
    attachments: list[Part] = []
    for part in msg.walk():
        if part.is_multipart() or part in (text_part, html_part):
            continue
        disposition = part.get_content_disposition()
        filename = part.get_filename()
        inline_image = part.get_content_maintype() == "image" and disposition != "attachment"
        if disposition == "attachment" or filename or inline_image:
            data = part.get_payload(decode=True) or b""
            if not data:
                continue
            name = filename or f"inline-{len(attachments) + 1}.{part.get_content_subtype()}"
            attachments.append(
                Part(name, data, part.get_content_type(), inline=disposition != "attachment")
            )
    return text, html, attachments


def automatic_reason(msg: EmailMessage, address: str, loop_id: str = "") -> str:
    """Why the message was sent by a robot (RFC 3834 and common practice), or ""."""
    auto = str(msg.get("Auto-Submitted", "")).split(";")[0].strip().lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    precedence = str(msg.get("Precedence", "")).strip().lower()
    if precedence in {"bulk", "list", "junk"}:
        return f"Precedence: {precedence}"
    return_path = str(msg.get("Return-Path", "")).strip()
    if return_path in {"<>", ""} and "Return-Path" in msg:
        return "null sender (Return-Path: <>)"
    local = address.partition("@")[0]
    if local in {"mailer-daemon", "postmaster"}:
        return f"mailer daemon ({address})"
    if msg.get_content_type() == "multipart/report":
        return "delivery or read report (multipart/report)"
    if loop_id and any(loop_id.lower() in str(v).lower() for v in msg.get_all("X-Loop") or []):
        return "Steward's own mail (X-Loop)"
    for header in ("X-Autoreply", "X-Autorespond"):
        if header in msg:
            return header
    return ""


def _suppressed(msg: EmailMessage) -> bool:
    """Microsoft's "do not answer me automatically" header."""
    value = str(msg.get("X-Auto-Response-Suppress", "")).lower()
    return any(word in value for word in ("all", "oof", "autoreply"))


RESULT = re.compile(r"\b(spf|dkim|dmarc)\s*=\s*([a-z]+)", re.I)


def authentication(msg: EmailMessage, authserv_ids: tuple[str, ...] = ()) -> str:
    """``fail`` when any Authentication-Results header says DMARC failed, or SPF failed with
    no passing DKIM; ``pass`` when a header of our own receiving server (its authserv-id in
    ``authserv_ids``) says DMARC, or DKIM, passed; else ``none``. A sender can write any header
    it likes: a "pass" counts only from our own server, a "fail" from anyone (forging one only
    hurts the forger)."""
    verdict = "none"
    for value in msg.get_all("Authentication-Results") or []:
        value = str(value)
        authserv = value.split(";", 1)[0].strip().split()[0].lower() if value.strip() else ""
        results: dict[str, set[str]] = {}
        for method, result in RESULT.findall(value):
            results.setdefault(method.lower(), set()).add(result.lower())
        dmarc, dkim, spf = (results.get(k, set()) for k in ("dmarc", "dkim", "spf"))
        if "fail" in dmarc or ("fail" in spf and "pass" not in dkim):
            return "fail"
        if authserv in authserv_ids and ("pass" in dmarc or "pass" in dkim):
            verdict = "pass"
    return verdict
