"""The service-level e-mail administrators may reword (``notifications.mail_templates``): a
clock's warning before a breach, and the breach; the placeholders each offers and the built-in
words for a made-up incident, which the template editor previews."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from steward.core.texts import Moment, Text
from steward.notifications.mail_templates import MailEvent

WARNING = "sla.warning"
BREACHED = "sla.breached"

ALERT = gettext_noop(
    "%(label)s: the %(metric)s target of %(agreement)s is %(state)s (due %(due)s)."
)

_VARIABLES = {
    "label": _("The record's number and title"),
    "metric": _("What is measured: response, resolution …"),
    "agreement": _("The SLA or OLA"),
    "state": _("How far the clock is: 75% used, breached"),
    "due": _("When the target falls due, in the recipient's time zone"),
}


def _sample(percent: int | None):
    label = str(_("INC0001234 The printer on floor 3 jams"))
    if percent is None:
        subject = Text(gettext_noop("SLA breached: %(label)s"), label=label)
        state = Text(gettext_noop("breached"))
    else:
        subject = Text(
            gettext_noop("SLA %(percent)s%% used: %(label)s"), percent=percent, label=label
        )
        state = Text(gettext_noop("%(percent)s%% used"), percent=percent)
    due = timezone.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=2)
    body = Text(
        ALERT,
        label=label,
        metric=Text(gettext_noop("resolution")),
        agreement="SLA Gold",
        state=state,
        due=Moment(due),
    )
    return subject, body, {"link": "/incidents/1234/"}


EVENTS = [
    MailEvent(
        WARNING,
        _("Service level warning"),
        {**_VARIABLES, "percent": _("How much of the target is used, in percent")},
        lambda: _sample(75),
        _("Before a breach: to the people the clock's record names (OLA: the group's manager)."),
    ),
    MailEvent(
        BREACHED,
        _("Service level breached"),
        _VARIABLES,
        lambda: _sample(None),
        _("When a target is missed: to the same people."),
    ),
]
