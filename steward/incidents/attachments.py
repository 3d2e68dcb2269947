"""Attachment content checks: a cleaned file name and a content type sniffed from the first
bytes against an allow-list (the uploader's claimed type and extension are ignored)."""

from __future__ import annotations

import re
import unicodedata

#: (magic prefix, content type) — the only binary types accepted.
SIGNATURES = [
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"%PDF-", "application/pdf"),
    (b"PK\x03\x04", "application/zip"),  # also docx, xlsx, pptx
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage"),  # .msg, .doc, .xls
]
TEXT = "text/plain"
ALLOWED = frozenset({t for _, t in SIGNATURES} | {TEXT})


def sniff(head: bytes) -> str | None:
    """The content type of a file from its first bytes, or None when it is not allowed.

    Text of any kind (including HTML and SVG) is ``text/plain``: it is served as a plain
    download and never rendered."""
    for magic, content_type in SIGNATURES:
        if head.startswith(magic):
            return content_type
    if b"\x00" in head:
        return None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # a multi-byte character cut at the end of the sample is still text
        if exc.start < len(head) - 4:
            return None
    return TEXT


def clean_name(name: str) -> str:
    """A display name without paths, control characters or quotes; never empty."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[\x00-\x1f\x7f\"<>|*?:;]", "_", name).strip(" .")
    return (name or "attachment")[:200]
