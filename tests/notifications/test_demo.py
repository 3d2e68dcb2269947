"""The demo's mail templates: written through the operations in the past, with a later
rewording in their history, said by the mail sent after them; loading again changes nothing."""

from __future__ import annotations

import io

from django.utils import timezone

from steward.core.models import JournalEntry
from steward.notifications import demo
from steward.notifications import operations as notifications
from steward.notifications.models import MailTemplate, OutboundEmail
from steward.people.choices import Role


def test_the_demo_templates_have_a_history_and_are_sent(make_user):
    make_user("admin", roles=[Role.ADMIN])
    demo.load(io.StringIO())
    assert MailTemplate.objects.count() == 4
    resolved = MailTemplate.objects.get(event="incident.resolved", language="en")
    entries = JournalEntry.objects.for_record(resolved).order_by("at")
    assert [e.action for e in entries] == ["created", "updated"]
    assert entries.last().at < timezone.now() - timezone.timedelta(days=60)
    assert "Reply to this mail" in resolved.body

    ann = make_user("ann", first_name="Ann", last_name="Lee")
    notifications.notify(
        None, [ann], subject="INC1 is resolved", body="Fixed.", event="incident.resolved"
    )
    mail = OutboundEmail.objects.get(recipient=ann)
    assert mail.body.startswith("Dear Ann Lee,\n\nFixed.\n\nNot solved after all?")

    demo.load(io.StringIO())  # again: nothing changes
    assert MailTemplate.objects.count() == 4
    assert JournalEntry.objects.filter(record_type="notifications.mailtemplate").count() == 5
