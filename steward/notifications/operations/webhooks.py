"""Webhook subscriptions (administrators' data) and the events they receive.

Every journal entry is an event named ``<record>.<action>`` (``incident.created``,
``incident.resolved``, ``change.authorized`` …): :func:`emit`, a journal listener, writes one
outbox row per matching subscription in the writer's transaction, delivered after commit.
"""

from __future__ import annotations

import fnmatch
import re
import secrets
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from steward.core import journal
from steward.core.concurrency import save_versioned
from steward.core.errors import ValidationError
from steward.core.operations import full_clean, require_admin
from steward.core.texts import Text
from steward.notifications import webhooks
from steward.notifications.models import Webhook, WebhookDelivery

FIELDS = ["name", "url", "events", "is_active", "allow_private_target", "owner"]
EVENT = re.compile(r"^(\*|[a-z_]+\.(\*|[a-z_]+))$")
#: How long a process trusts its list of active subscriptions (a change made in this process
#: applies at once; one made in another process within this many seconds).
CACHE_SECONDS = 5.0
_cache: tuple[float, list[tuple[int, tuple[str, ...]]]] | None = None


def _forget() -> None:
    global _cache
    _cache = None


def _active() -> list[tuple[int, tuple[str, ...]]]:
    global _cache
    now = time.monotonic()
    if _cache is None or now - _cache[0] > CACHE_SECONDS:
        rows = Webhook.objects.filter(is_active=True).values_list("pk", "events")
        _cache = (now, [(pk, tuple(events)) for pk, events in rows])
    return _cache[1]


def event_name(record_type: str, action: str) -> str:
    return f"{record_type.rpartition('.')[2]}.{action}"


def matches(patterns, event: str) -> bool:
    return any(fnmatch.fnmatchcase(event, p) for p in patterns)


def emit(entry) -> list[WebhookDelivery]:
    """Journal listener: an outbox row per active subscription that wants this event."""
    subscriptions = _active()
    if not subscriptions or entry.record_type.startswith("notifications."):
        return []
    event = event_name(entry.record_type, entry.action)
    wanted = [pk for pk, patterns in subscriptions if matches(patterns, event)]
    if wanted:
        # the list may be a few seconds old: only subscriptions that are still there and on
        wanted = list(
            Webhook.objects.filter(pk__in=wanted, is_active=True).values_list("pk", flat=True)
        )
    if not wanted:
        return []
    body = webhooks.body_for(
        event,
        {
            "record": {
                "type": entry.record_type,
                "id": entry.record_id,
                "label": entry.record_label,
            },
            "actor": {"id": entry.actor_id} if entry.actor_id else None,
            "changes": entry.changes,
            "comment": entry.comment,
        },
    )
    rows = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(webhook_id=pk, event=event, body=body) for pk in wanted
    )
    _deliver_on_commit(rows)
    return rows


def _deliver_on_commit(rows) -> None:
    ids = [r.pk for r in rows]

    def enqueue():
        from steward.notifications.jobs import deliver_webhooks

        deliver_webhooks(ids)

    transaction.on_commit(enqueue)


def _check(actor, fields: dict, webhook: Webhook | None) -> None:
    if "events" in fields:
        events = fields["events"]
        if (
            not isinstance(events, list)
            or not events
            or not all(isinstance(e, str) and EVENT.match(e) for e in events)
        ):
            raise ValidationError.field(
                "events",
                _('List event types such as "incident.created", "incident.*" or "*".'),
            )
    allow = fields.get("allow_private_target", webhook.allow_private_target if webhook else False)
    url = fields.get("url", webhook.url if webhook else "")
    if urlsplit(url).scheme not in {"http", "https"}:
        raise ValidationError.field("url", _("The URL must start with https:// or http://."))
    try:
        webhooks.resolve(url, allow_private=allow)
    except webhooks.TargetRefused as exc:
        raise ValidationError.field("url", str(exc)) from exc


@transaction.atomic
def create_webhook(
    actor,
    *,
    name: str,
    url: str,
    events: list,
    secret: str = "",
    allow_private_target: bool = False,
    is_active: bool = True,
) -> Webhook:
    """A subscription; administrators only (an event carries any record's changes)."""
    require_admin(actor, gettext_lazy("manage webhooks"))
    fields = {"url": url, "events": events, "allow_private_target": allow_private_target}
    _check(actor, fields, None)
    if secret and len(secret) < 16:
        raise ValidationError.field("secret", _("A secret has at least 16 characters."))
    webhook = Webhook(
        name=name.strip(),
        url=url,
        events=events,
        secret=secret or secrets.token_urlsafe(32),
        owner=actor if actor is not None else _system_owner(),
        allow_private_target=allow_private_target,
        is_active=is_active,
    )
    full_clean(webhook)
    webhook.save()
    journal.record(
        actor,
        webhook,
        "created",
        {k: [None, v] for k, v in journal.snapshot(webhook, FIELDS).items()},
    )
    _forget()
    return webhook


def _system_owner():
    from steward.people.models import User

    owner = User.objects.filter(is_superuser=True, is_active=True).order_by("id").first()
    if owner is None:
        raise ValidationError.field("owner", _("A webhook needs an owner: an administrator."))
    return owner


@transaction.atomic
def update_webhook(actor, webhook: Webhook, *, version: int | None = None, **fields) -> Webhook:
    require_admin(actor, gettext_lazy("manage webhooks"))
    allowed = {"name", "url", "events", "is_active", "allow_private_target", "secret"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(
            _("Unknown fields %(fields)s") % {"fields": sorted(unknown)},
            {k: [_("unknown field")] for k in unknown},
        )
    _check(actor, fields, webhook)
    before = journal.snapshot(webhook, FIELDS)
    for name, value in fields.items():
        setattr(webhook, name, value)
    if fields.get("is_active"):
        webhook.failures_in_a_row, webhook.disabled_reason = 0, ""
    full_clean(webhook)
    save_versioned(webhook, version, [*fields, "failures_in_a_row", "disabled_reason"])
    changes = journal.diff(before, journal.snapshot(webhook, FIELDS))
    if "secret" in fields:
        changes["secret"] = ["(hidden)", "(changed)"]
    if changes:
        journal.record(actor, webhook, "updated", changes)
    _forget()
    return webhook


@transaction.atomic
def delete_webhook(actor, webhook: Webhook) -> None:
    require_admin(actor, gettext_lazy("manage webhooks"))
    journal.record(actor, webhook, "deleted", {"name": [webhook.name, None]})
    webhook.delete()
    _forget()


@transaction.atomic
def test_webhook(actor, webhook: Webhook) -> WebhookDelivery:
    """A ``ping`` event to this subscription alone, delivered now like any other."""
    require_admin(actor, gettext_lazy("manage webhooks"))
    body = webhooks.body_for("ping", {"webhook": {"id": webhook.pk, "name": webhook.name}})
    row = WebhookDelivery.objects.create(webhook=webhook, event="ping", body=body)
    _deliver_on_commit([row])
    return row


@transaction.atomic
def delivery_failed(webhook_id: int) -> bool:
    """A delivery failed its last attempt: count it; switch the subscription off after
    ``STEWARD_WEBHOOK_DISABLE_AFTER`` in a row and tell its owner. True when switched off."""
    from steward.notifications.operations import notify

    webhook = Webhook.objects.select_for_update().filter(pk=webhook_id).first()
    if webhook is None:
        return False
    webhook.failures_in_a_row += 1
    limit = settings.STEWARD_WEBHOOK_DISABLE_AFTER
    if not webhook.is_active or webhook.failures_in_a_row < limit:
        save_versioned(webhook, None, ["failures_in_a_row"])
        return False
    webhook.is_active = False
    webhook.disabled_reason = f"{webhook.failures_in_a_row} deliveries in a row failed"
    save_versioned(webhook, None, ["failures_in_a_row", "is_active", "disabled_reason"])
    journal.record(
        None,
        webhook,
        "disabled",
        {"is_active": [True, False]},
        Text(
            gettext_noop("%(count)s deliveries in a row failed."), count=webhook.failures_in_a_row
        ),
    )
    notify(
        None,
        [webhook.owner],
        subject=Text(gettext_noop("Webhook %(name)s was switched off"), name=webhook.name),
        body=Text(
            gettext_noop(
                "%(count)s deliveries in a row to %(url)s failed every attempt, so Steward "
                "stopped sending to it. Fix the receiver, then switch the webhook on again."
            ),
            count=webhook.failures_in_a_row,
            url=webhook.url,
        ),
        link=reverse("notifications:webhook", args=[webhook.pk]),
    )
    _forget()
    return True


@transaction.atomic
def delivery_succeeded(webhook_id: int) -> None:
    Webhook.objects.filter(pk=webhook_id, failures_in_a_row__gt=0).update(failures_in_a_row=0)
