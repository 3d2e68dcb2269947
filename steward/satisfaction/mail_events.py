"""The survey e-mail administrators may reword (``notifications.mail_templates``): its
placeholders and the built-in words for a made-up ticket, which the template editor previews."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from steward.core.site import absolute
from steward.core.texts import Moment, Text
from steward.notifications.mail_templates import MailEvent

OFFERED = "survey.offered"

SUBJECT = gettext_noop("How satisfied are you with %(label)s?")
BODY = gettext_noop(
    "%(label)s is done. Tell us in one click how satisfied you are (1 to 5), and "
    "add a comment if you like: %(url)s\n\nThe link works until %(until)s."
)


def words(label: str, url: str, until: dt.datetime) -> tuple[Text, Text]:
    return (
        Text(SUBJECT, label=label),
        Text(BODY, label=label, url=url, until=Moment(until, "date")),
    )


def _sample():
    path = "/surveys/answer/sample-token/"
    subject, body = words("INC0001234", absolute(path), timezone.now() + dt.timedelta(days=14))
    return subject, body, {"link": path}


EVENTS = [
    MailEvent(
        OFFERED,
        _("Satisfaction survey"),
        {
            "label": _("The ticket's number"),
            "url": _("The survey's one-click link (it is the respondent's key: keep it)"),
            "until": _("The last day the link works, in the recipient's time zone"),
        },
        _sample,
        _("To the caller of a resolved incident or the requester of a fulfilled item."),
    ),
]
