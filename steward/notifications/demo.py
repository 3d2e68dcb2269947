"""The notifications demo: the mail templates an administrator wrote when the desk went live
(a greeting and a signature around Steward's words for the survey and the resolution, in
English and Dutch), and one later rewording, so the template pages have something to show and
the demo's mail says them. Saved through the operations on the simulated clock, before the
practices' demo steps send their mail. Idempotent: nothing is done when a template exists."""

from __future__ import annotations

import datetime as dt

from steward.core import clock
from steward.notifications.models import MailTemplate
from steward.notifications.operations import mail_templates as ops
from steward.people.models import User

SIGNATURE = {
    "en": "Kind regards,\nThe Service Desk",
    "nl": "Met vriendelijke groet,\nDe Servicedesk",
}
GREETING = {"en": "Dear {{ recipient }},", "nl": "Beste {{ recipient }},"}
WORDS = {
    ("survey.offered", "en"): "How did we do on {{ label }}?",
    ("survey.offered", "nl"): "Hoe hebben we het gedaan bij {{ label }}?",
    ("incident.resolved", "en"): "{{ subject }}",
    ("incident.resolved", "nl"): "{{ subject }}",
}


def _write(admin) -> int:
    start = clock.now()
    for (event, language), subject in WORDS.items():
        body = f"{GREETING[language]}\n\n{{{{ message }}}}\n\n{SIGNATURE[language]}"
        ops.save_template(admin, event, language, subject=subject, body=body)
    # a month later the desk added where to follow the ticket
    clock.set(clock.now() + dt.timedelta(days=30))
    row = MailTemplate.objects.get(event="incident.resolved", language="en")
    body = row.body.replace(
        "{{ message }}", "{{ message }}\n\nNot solved after all? Reply to this mail: {{ link }}"
    )
    ops.save_template(
        admin, row.event, row.language, subject=row.subject, body=body, version=row.version
    )
    clock.set(start)  # the steps after this one start where this one did
    return len(WORDS)


def load(stdout, quiet: bool = False) -> None:
    admin = User.objects.filter(username="admin").first()
    if MailTemplate.objects.exists() or admin is None:
        return
    until = clock.real_now()
    if clock.is_simulated():
        count = _write(admin)
    else:
        with clock.simulated(until - dt.timedelta(days=120)):
            count = _write(admin)
    if not quiet:
        stdout.write(f"notifications: {count} mail templates\n")
