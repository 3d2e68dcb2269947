"""Sending webhook deliveries with the outbox's engine (``delivery``): the same claim with a
lease, the same retries with exponential backoff, the same final states — only the send
differs (an HTTP POST instead of an SMTP conversation). Bookkeeping of the outbox, like the
email's: no journal entry (the delivery row is the log)."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from steward.notifications import delivery, webhooks
from steward.notifications.delivery import Outcome
from steward.notifications.models import Webhook, WebhookDelivery
from steward.notifications.operations import webhooks as webhook_ops


def attempt(delivery_id: int, *, now: datetime | None = None) -> Outcome:
    now = now or timezone.now()
    until = delivery.claim(delivery_id, now, model=WebhookDelivery)
    if until is None:
        return Outcome.SKIPPED
    row = WebhookDelivery.objects.get(pk=delivery_id)
    hook = Webhook.objects.filter(pk=row.webhook_id).first()
    if hook is None:  # the subscription was removed after the event was written
        exc = webhooks.TargetRefused("the subscription was removed")
        return delivery.record_failure(row, until, exc, permanent=True)
    if not hook.is_active and row.event != "ping":
        exc = webhooks.TargetRefused("the subscription is switched off")
        return delivery.record_failure(row, until, exc, permanent=True)
    try:
        status, elapsed = webhooks.post(hook, row)
    except webhooks.TargetRefused as exc:
        outcome = delivery.record_failure(row, until, exc, permanent=True)
    except webhooks.WebhookRejected as exc:
        outcome = delivery.record_failure(row, until, exc)
        WebhookDelivery.objects.filter(pk=row.pk).update(
            response_status=exc.status, response_ms=exc.elapsed
        )
    except Exception as exc:  # a network failure: recorded and retried
        outcome = delivery.record_failure(row, until, exc)
    else:
        delivery.record_sent(row, until, response_status=status, response_ms=elapsed)
        webhook_ops.delivery_succeeded(hook.pk)
        return Outcome.SENT
    if outcome == Outcome.FAILED and row.event != "ping":
        webhook_ops.delivery_failed(hook.pk)
    return outcome


def deliver_many(ids, *, now: datetime | None = None) -> dict[str, int]:
    counts = {o.value: 0 for o in Outcome}
    for pk in ids:
        counts[attempt(pk, now=now).value] += 1
    return counts


def deliver_due(limit: int = 100, *, now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    ids = list(
        WebhookDelivery.objects.filter(delivery.due(now))
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    return deliver_many(ids, now=now)
