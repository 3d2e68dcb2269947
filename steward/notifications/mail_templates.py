"""The words of the e-mail Steward sends for an event, which administrators may rewrite.

Each practice declares the events it mails about (``Practice(mail_events=[MailEvent(...)])``):
a new incident, a reply, a resolution, a survey, an SLA warning, a pending handover. The code
that causes the mail calls ``notify(..., event="incident.resolved")`` with its built-in
subject and body (:class:`core.texts.Text`); when an administrator has written a template for
that event in the recipient's language, the e-mail says the template instead, its
``{{ name }}`` placeholders filled with the built-in sentences' parameters (number, title ...)
and the common ones (:data:`COMMON_VARIABLES`: the built-in subject and message, the
recipient's name, the record's address), each said in the recipient's language and time zone.

Placeholders are plain substitution, one pass: no expressions, no tags, nothing an
administrator's template or a ticket's title could run (a title that contains ``{{ link }}``
stays those characters). A template naming a placeholder its event does not offer is refused
when it is saved. In-app notifications keep the built-in words (short, and read in the app).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from steward.core.practices import all_contributions
from steward.core.site import absolute
from steward.core.texts import Moment, Text, render

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")

#: What every event's template may say.
COMMON_VARIABLES = {
    "subject": _("The subject Steward writes for this event"),
    "message": _("The message Steward writes for this event"),
    "recipient": _("The recipient's name"),
    "link": _("The address of the record in Steward"),
}


@dataclass(frozen=True)
class MailEvent:
    #: "incident.resolved": what ``notify(event=...)`` names
    key: str
    label: str
    #: the event's own placeholders: name -> what it says (the built-in sentences' parameters)
    variables: dict = field(default_factory=dict)
    #: () -> (subject, body, extra): the built-in words for a made-up record, for the preview
    sample: Callable | None = None
    description: str = ""


def events() -> dict[str, MailEvent]:
    """Every practice's mail events (of practices switched off too: their mail may still go)."""
    found = {event.key: event for event in all_contributions("mail_events")}
    return dict(sorted(found.items()))


def languages() -> list[tuple[str, str]]:
    return list(settings.LANGUAGES)


def variables(event: MailEvent) -> dict:
    return {**COMMON_VARIABLES, **event.variables}


def placeholders(template: str) -> list[str]:
    """The names a template's ``{{ name }}`` placeholders use, in order, each once."""
    return list(dict.fromkeys(PLACEHOLDER.findall(template or "")))


def unknown(event: MailEvent, template: str) -> list[str]:
    offered = variables(event)
    return [name for name in placeholders(template) if name not in offered]


def names_recipient(template) -> bool:
    """Whether a template says the recipient's name (so each person's mail is said apart)."""
    return "recipient" in placeholders(template.subject) + placeholders(template.body)


def fill(template: str, values: dict) -> str:
    """Each ``{{ name }}`` replaced by its value, in one pass (a value is never read as a
    template); a name without a value says nothing."""
    return PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), "")), template)


def said(value) -> dict:
    """A Text's parameters as the active language and time zone say them."""
    return value.said_params() if isinstance(value, Text) else {}


def compose(template, subject, body, *, recipient, link: str, extra: dict | None = None):
    """(subject, body) of one e-mail, in the language and time zone active here (the
    recipient's): ``template`` (a :class:`MailTemplate` or anything with ``subject`` and
    ``body``) filled in, or the built-in words when there is none."""
    built_subject, built_body = render(subject), render(body)
    if template is None:
        return built_subject, built_body
    values = {**said(subject), **said(body)}
    for name, value in (extra or {}).items():
        values[name] = render(value) if isinstance(value, Text | Moment) else value
    values.update(
        subject=built_subject,
        message=built_body,
        recipient=getattr(recipient, "display_name", "") or "",
        link=absolute(link),
    )
    return fill(template.subject, values), fill(template.body, values)


# --- which events have templates: read once per few seconds per process ----------------------

#: How long a process trusts its list of the events that have a template. A template saved in
#: this process applies at once; one saved in another process within this many seconds.
CACHE_SECONDS = 5.0
_cache: tuple[float, frozenset[str]] | None = None


def forget() -> None:
    global _cache
    _cache = None


def _customised() -> frozenset[str]:
    global _cache
    from steward.notifications.models import MailTemplate

    now = time.monotonic()
    if _cache is None or now - _cache[0] > CACHE_SECONDS:
        _cache = (now, frozenset(MailTemplate.objects.values_list("event", flat=True)))
    return _cache[1]


def templates_for(event: str) -> dict:
    """language -> the administrators' template for ``event``; no query for an event nobody
    customised (the usual case), one otherwise (the list may be a few seconds old: the rows
    are read afresh)."""
    if not event or event not in _customised():
        return {}
    from steward.notifications.models import MailTemplate

    return {t.language: t for t in MailTemplate.objects.filter(event=event)}


def _as_template(value) -> str:
    """Built-in words as a template in the active language: a Text's translated sentence with
    its ``%(name)s`` turned into ``{{ name }}``; free text (a reply, a resolution) is the
    ``{{ message }}`` itself."""
    if not isinstance(value, Text):
        return "{{ message }}"
    from django.utils.translation import gettext

    sentence = gettext(value.msgid)
    sentence = re.sub(r"%\((\w+)\)s", lambda m: "{{ " + m.group(1) + " }}", sentence)
    return sentence.replace("%%", "%")


def builtin(event: MailEvent) -> tuple[str, str]:
    """(subject, body) of Steward's own words for ``event``, in the active language, written
    as a template: where an administrator starts from."""
    subject, body, _extra = event.sample()
    return _as_template(subject), _as_template(body)
