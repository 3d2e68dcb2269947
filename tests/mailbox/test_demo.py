"""The mail demo step: the service desk's mailbox with a past — new incidents from end users,
replies threaded to them, robots ignored, a stranger refused, a broken message in quarantine —
made through the intake on the simulated clock. Loading it twice changes nothing."""

from __future__ import annotations

import io

import pytest

from steward.incidents.models import Comment, Incident
from steward.mailbox import demo
from steward.mailbox.choices import MailMessageStatus, MailOutcome
from steward.mailbox.models import InboundMessage
from steward.people import demo as people_demo
from steward.services import demo as services_demo

pytestmark = pytest.mark.django_db


def test_the_mail_demo_tells_its_story_once():
    people_demo.load(io.StringIO())
    services_demo.load(io.StringIO())
    # the demo step waits for the incidents' history: one incident stands for it here
    from steward.incidents import operations as incident_ops
    from steward.people.models import User

    johan = User.objects.get(username="johan.veenstra")
    incident_ops.open_incident(None, title="Earlier", caller=johan, impact=3, urgency=3)

    out = io.StringIO()
    demo.load(out)
    assert "mail: 11 demo messages" in out.getvalue()

    rows = InboundMessage.objects.all()
    outcomes = sorted(r.outcome for r in rows if r.outcome)
    assert outcomes.count(MailOutcome.NEW_TICKET) == 4
    assert outcomes.count(MailOutcome.REPLY) == 2
    assert rows.filter(status=MailMessageStatus.IGNORED).count() == 3  # OOO, bounce, newsletter
    assert rows.filter(status=MailMessageStatus.QUARANTINED).count() == 1
    assert outcomes.count(MailOutcome.REFUSED) == 1  # a customer without an account
    opened = Incident.objects.filter(
        pk__in=[r.record_id for r in rows if r.outcome == "new_ticket"]
    )
    assert {i.caller.username for i in opened} == {
        "johan.veenstra", "femke.huisman", "ingrid.kok", "ahmed.elamrani"}  # fmt: skip
    replies = Comment.objects.filter(incident__in=opened, visibility="public")
    assert replies.count() == 2
    assert all("wrote:" not in c.body for c in replies)  # quoted history folded
    # it happened in the past, on the simulated clock
    assert min(r.received_at for r in rows) < max(r.received_at for r in rows)

    demo.load(io.StringIO())
    assert InboundMessage.objects.count() == rows.count()
