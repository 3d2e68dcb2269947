"""The HTML part of Steward's mail: the same words as the text part, escaped, in a plain
layout that mail clients render alike (no remote images, no script, no external CSS)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.html import escape, linebreaks, urlize


def html_for(subject: str, body: str) -> str:
    body = linebreaks(urlize(escape(body), nofollow=True, autoescape=False), autoescape=False)
    return render_to_string("notifications/email.html", {"subject": subject, "body": body})


def as_html(row) -> str:
    return html_for(row.subject, row.body)
