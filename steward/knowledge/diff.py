"""Comparing two versions of an article, field by field (KCS: every edit is a version, and
anyone reviewing an article asks "what changed?").

Rendered on the server with ``difflib``: the page needs no script, and the template marks the
changes with ``<ins>`` and ``<del>`` (struck through or underlined, and announced with a hidden
word) so that they never rely on colour alone. Word level suits prose; line level suits
step-by-step resolutions and long texts."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from steward.knowledge.choices import CONTENT_FIELDS

#: A word, a run of white space, or one other character: joining the tokens gives the text
#: back unchanged, and a changed word does not drag its neighbours into the change.
TOKENS = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)

MODES = ("words", "lines")


@dataclass
class Segment:
    """A run of text that is the same in both versions (``equal``), only in the newer one
    (``insert``) or only in the older one (``delete``)."""

    op: str
    text: str


@dataclass
class FieldDiff:
    name: str
    changed: bool
    segments: list[Segment] = field(default_factory=list)

    @property
    def added(self) -> int:
        return sum(1 for s in self.segments if s.op == "insert")

    @property
    def removed(self) -> int:
        return sum(1 for s in self.segments if s.op == "delete")


def tokens(text: str, mode: str) -> list[str]:
    if mode == "lines":
        return (text or "").splitlines(keepends=True)
    return TOKENS.findall(text or "")


def segments(old: str, new: str, mode: str = "words") -> list[Segment]:
    """The differences between two texts as consecutive segments (adjacent runs of the same
    kind merged): ``"".join`` of the equal and delete segments is ``old``, of the equal and
    insert segments is ``new``."""
    a, b = tokens(old, mode), tokens(new, mode)
    out: list[Segment] = []

    def add(op: str, parts: list[str]) -> None:
        text = "".join(parts)
        if not text:
            return
        if out and out[-1].op == op:
            out[-1].text += text
        else:
            out.append(Segment(op, text))

    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("equal", a[i1:i2])
        else:
            # a replacement reads best as "removed, then added"
            add("delete", a[i1:i2])
            add("insert", b[j1:j2])
    return out


def compare(old, new, mode: str = "words", fields=CONTENT_FIELDS) -> list[FieldDiff]:
    """Every content field of two versions (any objects with those attributes), in the
    article's order, with its segments."""
    if mode not in MODES:
        mode = "words"
    result = []
    for name in fields:
        before, after = getattr(old, name, "") or "", getattr(new, name, "") or ""
        result.append(FieldDiff(name, before != after, segments(before, after, mode)))
    return result
