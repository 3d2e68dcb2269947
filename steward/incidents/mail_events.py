"""The e-mail incidents send that administrators may reword (``notifications.mail_templates``):
the event keys the operations name in ``notify(event=...)``, the placeholders each offers,
and the built-in words for a made-up incident, which the template editor previews."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from steward.core.texts import Text
from steward.incidents.audiences import CALLER_SUBJECTS
from steward.notifications.mail_templates import MailEvent

CREATED = "incident.created"
REPLY = "incident.reply"
RESOLVED = "incident.resolved"
HANDOVER_PENDING = "incident.handover_pending"

NEW_SUBJECT = gettext_noop("New incident %(number)s for %(group)s: %(title)s")
REPLY_SUBJECT = gettext_noop("Reply on %(number)s: %(title)s")
HANDOVER_SUBJECT = gettext_noop("Handover to %(group)s: %(number)s %(title)s")
HANDOVER_BODY = gettext_noop("From %(from_group)s: %(reason)s\n\n%(note)s")

_NUMBER = _("The incident's number")
_TITLE = _("The incident's title")
_SAMPLE = {"number": "INC0001234", "title": _("The printer on floor 3 jams")}
_SAMPLE_LINK = "/incidents/1234/"


def _created_sample():
    subject = Text(NEW_SUBJECT, group=_("Service Desk"), **_SAMPLE)
    return subject, "P3 · " + str(_SAMPLE["title"]), {"priority": 3, "link": _SAMPLE_LINK}


def _reply_sample():
    body = _("The paper tray was misaligned; it prints again. Does it work for you too?")
    return Text(REPLY_SUBJECT, **_SAMPLE), body, {"author": "Ada Agent", "link": _SAMPLE_LINK}


def _resolved_sample():
    subject = Text(CALLER_SUBJECTS["resolved"], **_SAMPLE)
    return subject, _("The paper tray was realigned."), {"link": _SAMPLE_LINK}


def _handover_sample():
    subject = Text(HANDOVER_SUBJECT, group=_("Workplace"), **_SAMPLE)
    body = Text(
        HANDOVER_BODY,
        from_group=_("Service Desk"),
        reason=_("Needs a technician on site"),
        note=_("Restarted the printer; the jam comes back."),
    )
    return subject, body, {"link": _SAMPLE_LINK}


EVENTS = [
    MailEvent(
        CREATED,
        _("New incident"),
        {
            "number": _NUMBER,
            "title": _TITLE,
            "group": _("The group that owns it"),
            "priority": _("Its priority, 1 to 5"),
        },
        _created_sample,
        _("To the members of the group that owns a new incident."),
    ),
    MailEvent(
        REPLY,
        _("Reply"),
        {"number": _NUMBER, "title": _TITLE, "author": _("Who wrote the reply")},
        _reply_sample,
        _("A public reply, to the caller, watchers and assignee; a work note, to IT staff."),
    ),
    MailEvent(
        RESOLVED,
        _("Incident resolved"),
        {"number": _NUMBER, "title": _TITLE},
        _resolved_sample,
        _("To the caller and watchers; the message is the resolution."),
    ),
    MailEvent(
        HANDOVER_PENDING,
        _("Handover pending"),
        {
            "number": _NUMBER,
            "title": _TITLE,
            "group": _("The group asked to take it over"),
            "from_group": _("The group handing it over"),
            "reason": _("Why it is handed over"),
            "note": _("What was already tried"),
        },
        _handover_sample,
        _("To the receiving group and its manager, until they accept or reject it."),
    ),
]
