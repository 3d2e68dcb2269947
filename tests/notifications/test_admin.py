"""The outbox in the admin: administrators find failed mail and retry it."""

from __future__ import annotations

from steward.notifications import delivery
from steward.notifications import operations as ops
from steward.notifications.choices import EmailStatus
from steward.notifications.models import OutboundEmail


def test_failed_mail_is_listed_and_can_be_retried(client, admin_user, smtp, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    smtp.stop()
    row = ops.send_email("ops@example.org", "Nightly report", "Body")
    delivery.deliver(row.pk)
    client.force_login(admin_user)
    url = "/admin/notifications/outboundemail/"
    page = client.get(url, {"status__exact": "failed"})
    assert page.status_code == 200
    assert "Nightly report" in page.content.decode()
    assert client.get(f"{url}add/").status_code == 403
    response = client.post(url, {"action": "retry", "_selected_action": [row.pk]})
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.status, row.attempts) == (EmailStatus.PENDING, 0)
    assert OutboundEmail.objects.count() == 1
