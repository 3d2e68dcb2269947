"""Steward's mail as a mail client sees it: one thread per ticket, the token in the subject,
marked automatic, answered to the mailbox, in text and HTML — and nothing injected."""

from __future__ import annotations

import pytest
from django.core.mail import BadHeaderError

from steward.incidents import operations as incident_ops
from steward.incidents.choices import Level, Visibility
from steward.mailbox.operations import intake
from steward.notifications import delivery
from steward.notifications.models import OutboundEmail
from steward.people.choices import Role
from tests.mailbox.conftest import mail


@pytest.fixture
def anna(make_user, make_org):
    return make_user(
        "anna", roles=[Role.REQUESTER], organization=make_org(), email="anna@bank.test"
    )


def _sent_to(smtp, address):
    return [m for m, rcpt in zip(smtp.messages, smtp.recipients, strict=True) if address in rcpt]


def test_notification_mail_threads_per_ticket_and_carries_the_token(
    desk, anna, smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        incident = intake.ingest(desk, mail(sender="anna@bank.test")).record_id
    from steward.incidents.models import Incident

    incident = Incident.objects.get(pk=incident)
    with django_capture_on_commit_callbacks(execute=True):
        incident_ops.add_comment(
            desk.group.manager, incident, body="Which printer?", visibility=Visibility.PUBLIC
        )
        incident_ops.add_comment(
            desk.group.manager, incident, body="And which floor?", visibility=Visibility.PUBLIC
        )

    first, second = _sent_to(smtp, "anna@bank.test")[-2:]
    root = f"<incidents.incident.{incident.pk}@localhost>"
    for message in (first, second):
        assert f"[{incident.number}]" in message["Subject"]
        assert message["References"] == root
        assert message["Auto-Submitted"] == "auto-generated"
        assert message["X-Loop"] == "localhost"
        assert message["Reply-To"] == desk.address
        assert message.is_multipart()
        types = [p.get_content_type() for p in message.walk()]
        assert "text/plain" in types and "text/html" in types
    assert first["Message-ID"] != second["Message-ID"]


def test_a_reply_to_a_notification_reaches_its_ticket_through_the_recorded_message_id(
    desk, anna, smtp, django_capture_on_commit_callbacks
):
    incident = incident_ops.open_incident(
        None, title="VPN", caller=anna, impact=Level.LOW, urgency=Level.LOW
    )
    with django_capture_on_commit_callbacks(execute=True):
        incident_ops.add_comment(
            desk.group.manager, incident, body="Try again?", visibility=Visibility.PUBLIC
        )
    sent = _sent_to(smtp, "anna@bank.test")[-1]

    intake.ingest(
        desk,
        mail(
            sender="anna@bank.test",
            subject="Re: VPN",  # the client dropped the token
            body="Works now, thanks.",
            headers={"In-Reply-To": sent["Message-ID"]},
        ),
    )

    assert incident.comments.filter(author=anna).get().body == "Works now, thanks."


def test_a_line_break_in_a_header_value_is_refused_not_sent(smtp, db):
    row = OutboundEmail.objects.create(
        to_address="anna@bank.test",
        subject="Hello",
        body="x",
        in_reply_to="<a@b>\r\nBcc: x@evil.test",
    )
    outcome, exc = delivery.attempt(row.pk)
    assert outcome == delivery.Outcome.FAILED  # at once: no retry could send it safely
    assert isinstance(exc, BadHeaderError)
    assert smtp.messages == []


def test_queuing_mail_with_a_line_break_in_what_it_answers_is_refused(db):
    from steward.core.errors import ValidationError
    from steward.notifications import operations as notifications

    with pytest.raises(ValidationError) as refused:
        notifications.send_email("anna@bank.test", "Hi", "x", in_reply_to="<a@b>\nBcc: x@y")
    assert "in_reply_to" in refused.value.fields
    assert not OutboundEmail.objects.exists()
