"""What of a message people read: its HTML made inert, its words without the quoted history.

HTML mail is cleaned to an allow-list (nh3): no script, no style attribute or element (CSS
``expression()`` and ``url()`` live there), no event handler, no form, frame or object, and links
only to http, https and mailto — a ``data:`` or ``javascript:`` URL is dropped. The cleaned HTML
is shown only inside a sandboxed frame under its own Content-MailSecurity-Policy
(``views.message_html``), a second wall behind the first.
"""

from __future__ import annotations

import html as html_lib
import re

import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "div", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "s", "small", "span",
    "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
URL_SCHEMES = {"http", "https", "mailto"}
#: Elements whose content is not words (nh3 drops these with what they hold).
DROPPED_CONTENT = {"script", "style", "head", "title", "template", "noscript", "iframe", "object"}


def sanitize(markup: str) -> str:
    if not markup:
        return ""
    return nh3.clean(
        markup,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


BLOCK_END = re.compile(r"</(p|div|li|tr|h[1-6]|blockquote|pre|table)>|<br\s*/?>", re.I)


def html_to_text(markup: str) -> str:
    """The words of (already sanitized) HTML, one line per block."""
    if not markup:
        return ""
    marked = BLOCK_END.sub(lambda m: m.group(0) + "\n", markup)
    words = html_lib.unescape(nh3.clean(marked, tags=set(), clean_content_tags=DROPPED_CONTENT))
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in words.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def one_line(value: str) -> str:
    """A header value as one line: no CR, LF or control characters, blanks collapsed."""
    return re.sub(r"[\x00-\x1f\x7f]+", " ", value or "").strip()


#: Where the quoted history of a reply starts (the line itself is folded with what follows).
QUOTE_HEADERS = [
    re.compile(r"^On .{3,200}wrote:\s*$"),  # Gmail, Apple Mail, Thunderbird
    re.compile(r"^Op .{3,200}(schreef|geschreven).{0,80}:\s*$"),  # Dutch clients
    re.compile(r"^-{2,}\s*Original Message\s*-{2,}\s*$", re.I),  # Outlook (plain)
    re.compile(r"^-{2,}\s*Oorspronkelijk bericht\s*-{2,}\s*$", re.I),
    re.compile(r"^_{10,}\s*$"),  # Outlook's rule before "From: ... Sent: ..."
    re.compile(r"^From: .+$"),  # a header block of a forwarded or quoted message ...
]
SIGNATURE = re.compile(r"^-- ?$")  # RFC 3676's signature separator


def split_reply(text: str) -> tuple[str, bool]:
    """``(new words, whether anything was folded)``: the quoted history (from an "On … wrote:"
    line, an Outlook header block, or trailing ``>`` lines) and a signature after ``-- `` are
    left out of what is posted. The whole message stays in the stored original."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    cut = len(lines)
    for i, line in enumerate(lines):
        stripped = line.strip()
        if SIGNATURE.match(line.rstrip()) or any(p.match(stripped) for p in QUOTE_HEADERS[:5]):
            cut = i
            break
        if QUOTE_HEADERS[5].match(stripped) and _header_block(lines, i):
            cut = i
            break
    kept = lines[:cut]
    # trailing quoted lines ("> ...") and blanks after the new words
    while kept and (not kept[-1].strip() or kept[-1].lstrip().startswith(">")):
        kept.pop()
    new = "\n".join(kept).strip()
    folded = new != text.strip()
    if not new:  # a message that is all quote: keep it, rather than post nothing
        return text.strip(), False
    return new, folded


def _header_block(lines: list[str], i: int) -> bool:
    """A "From:" line followed within three lines by "Sent:"/"Date:" and "To:"/"Subject:"."""
    following = " ".join(line.strip() for line in lines[i + 1 : i + 4])
    return bool(re.search(r"\b(Sent|Date|Verzonden|Datum):", following)) and bool(
        re.search(r"\b(To|Subject|Aan|Onderwerp):", following)
    )
