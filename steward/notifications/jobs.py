"""Background jobs of the outbox (Huey). Both are idempotent: the claim makes a second run of
the same delivery a no-op, so a task enqueued twice or a periodic round overlapping the
on-commit task sends nothing twice."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from steward.notifications import delivery


@db_task()
def deliver_email(email_id: int) -> str:
    """Send one email now (``send_email``'s system mail, and tasks queued before
    ``deliver_emails`` existed)."""
    return delivery.deliver(email_id).value


@db_task()
def deliver_emails(email_ids: list[int]) -> dict[str, int]:
    """Send the emails one notification wrote (one task per notification, however many
    people it tells; enqueued when the transaction that wrote them commits)."""
    return delivery.deliver_many(list(email_ids))


@db_periodic_task(crontab(minute="*"))
def deliver_due_emails() -> dict[str, int]:
    """Every minute: retries whose backoff has passed, and mail whose task was lost."""
    return delivery.deliver_due()


@db_task()
def deliver_webhooks(delivery_ids: list[int]) -> dict[str, int]:
    """Send the webhook deliveries one event wrote (enqueued when its transaction commits)."""
    from steward.notifications import webhook_delivery

    return webhook_delivery.deliver_many(list(delivery_ids))


@db_periodic_task(crontab(minute="*"))
def deliver_due_webhooks() -> dict[str, int]:
    """Every minute: webhook retries past their backoff, and deliveries whose task was lost."""
    from steward.notifications import webhook_delivery

    return webhook_delivery.deliver_due()
