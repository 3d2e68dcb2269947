"""Domain operations of the notifications app: the only code that writes notifications and
outbound email.

Notifications and email are written in the caller's transaction, so they exist exactly when the
change that causes them commits; delivery is enqueued on commit and never runs for a change that
rolled back. Notifications are not journaled themselves: the change that causes them is; nor
are read marks, which are each person's own state, not a change to the record.
A notification to a support group is one row whatever the group's size (``group=``); each
member's read state is written only when they read it (:func:`mark_read`, :func:`mark_all_read`).
:func:`notify` checks its input first and then writes in the caller's transaction without a
savepoint (two statements fewer per call): bad input is refused with nothing written and the
caller's transaction intact; a database failure while writing fails the caller's change.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import partial
from typing import NamedTuple

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steward.core import journal
from steward.core.errors import NotFound, ValidationError
from steward.core.operations import require_admin
from steward.core.texts import Text, default_language, render, stored
from steward.notifications import jobs
from steward.notifications import mail_templates as wording
from steward.notifications.choices import EmailStatus
from steward.notifications.models import Notification, NotificationRead, OutboundEmail, ReadMark
from steward.notifications.queries import group_ids, inbox, unread

log = logging.getLogger(__name__)

SUBJECT_MAX = Notification._meta.get_field("subject").max_length


class Notified(NamedTuple):
    """What :func:`notify` wrote."""

    notifications: list[Notification]
    emails: list[OutboundEmail]


def _clean_subject(subject: str) -> str:
    """One line (no header injection), at most the column's length."""
    subject = " ".join(subject.split())
    if not subject:
        raise ValidationError.field("subject", "required")
    return subject if len(subject) <= SUBJECT_MAX else subject[: SUBJECT_MAX - 1] + "…"


def _check_link(link: str) -> str:
    """A site path (``/incidents/1``) or an http(s) URL; nothing a browser would execute."""
    if link and not (
        (link.startswith("/") and not link.startswith("//"))
        or link.startswith(("https://", "http://"))
    ):
        raise ValidationError.field("link", _("must be a path starting with / or an http(s) URL"))
    return link


def _deliver_on_commit(emails: Iterable[OutboundEmail]) -> None:
    """One delivery task for the emails of one notification, enqueued on commit: a change that
    tells a 200-person group enqueues one task, not 200. robust: a queue that is down must not
    fail the committed change; the periodic job delivers whatever is still pending."""
    ids = [email.pk for email in emails]
    if ids:
        transaction.on_commit(partial(jobs.deliver_emails, ids), robust=True)


def notify(
    actor,
    recipients: Iterable = (),
    *,
    subject: str | Text,
    body: str | Text,
    link: str = "",
    record: models.Model | None = None,
    email: bool = True,
    include_actor: bool = False,
    group=None,
    event: str = "",
    context: dict | None = None,
) -> Notified:
    """Tell ``recipients`` (and, with ``group``, that support group's members) about something:
    one in-app notification per active recipient, one for the whole group, and with ``email``
    one outbound email per such person who has an email address.

    A group's notification is one row however many members it has: its current members see
    it, each with their own read state (``queries.inbox``). A recipient who is an active member
    of ``group`` is told through the group's row. The actor is left out unless
    ``include_actor``; a person named twice is told once. Nothing is written when nobody is
    left to tell.

    ``subject`` and ``body`` may be :class:`core.texts.Text`: each reader then reads the in-app
    notification in their own language, and each e-mail is written in its recipient's
    language and time zone.

    ``event`` names the :class:`~steward.notifications.mail_templates.MailEvent` the e-mail is
    about: where an administrator wrote a template for it in the recipient's language, the
    e-mail says that (``context``: placeholders beyond the subject's and body's parameters).
    """
    _clean_subject(render(subject, default_language()))  # refuse an empty subject up front
    link = _check_link(link)
    actor_id = getattr(actor, "pk", None)
    people = {}
    for user in recipients:
        if user.is_active and (include_actor or user.pk != actor_id):
            people.setdefault(user.pk, user)
    members, to_group = {}, None
    if group is not None:
        others = group.members.filter(is_active=True)
        if actor_id is not None and not include_actor:
            others = others.exclude(pk=actor_id)
        if email:  # one query: the members' addresses (mail goes to each person)
            members = {user.pk: user for user in others}
            in_group = members.keys() & people.keys()
            to_group = group if members else None
        else:  # the in-app row alone: nothing read grows with the group
            in_group = set(others.filter(pk__in=people).values_list("pk", flat=True))
            to_group = group if in_group or others.exists() else None
        for pk in in_group:  # told through the group's row
            people.pop(pk)
    excluded = actor if actor_id is not None and not include_actor else None
    words = _Words(subject, body, link, event, context)
    return _write(people, to_group, members, excluded, words, record, email)


class _Words(NamedTuple):
    subject: str | Text
    body: str | Text
    link: str
    event: str
    context: dict | None


@transaction.atomic(savepoint=False)  # inputs checked before: nothing to roll back to
def _write(people: dict, group, members: dict, excluded, words: _Words, record, email) -> Notified:
    subject, body, link = words.subject, words.body, words.link
    record_type = record._meta.label_lower if record is not None else ""
    record_id = str(record.pk) if record is not None else ""
    now = timezone.now()
    texts = {k: v for k, v in (("subject", stored(subject)), ("body", stored(body))) if v}
    fields = {
        "subject": _clean_subject(render(subject, default_language())),
        "body": render(body, default_language()),
        "texts": texts,
        "link": link,
        "record_type": record_type,
        "record_id": record_id,
        "created_at": now,
    }
    rows = [Notification(recipient=user, **fields) for user in people.values()]
    if group is not None:
        rows.append(Notification(group=group, excluded=excluded, **fields))
    notifications = Notification.objects.bulk_create(rows) if rows else []
    emails = []
    if email:
        templates = wording.templates_for(words.event)
        said = {}  # each wording said once: per language and time zone (and person, if named)

        def for_reader(user) -> tuple[str, str]:
            template = templates.get(user.language)
            personal = template is not None and wording.names_recipient(template)
            key = (user.language, user.time_zone, user.pk if personal else None)
            if key not in said:
                with translation.override(user.language), timezone.override(user.time_zone):
                    said_subject, said_body = wording.compose(
                        template, subject, body, recipient=user, link=link, extra=words.context
                    )
                said[key] = (_clean_subject(said_subject), said_body)
            return said[key]

        emails = OutboundEmail.objects.bulk_create(
            OutboundEmail(
                to_address=user.email,
                recipient=user,
                subject=for_reader(user)[0],
                body=for_reader(user)[1],
                created_at=now,
                next_attempt_at=now,
                record_type=record_type,
                record_id=record_id,
                record_label=str(getattr(record, "number", "") or "")[:32],
                auto_submitted="auto-generated",
            )
            for user in (*people.values(), *members.values())
            if user.email
        )
        _deliver_on_commit(emails)
    return Notified(notifications, emails)


def send_email(
    to: str, subject: str, body: str, *, automatic: bool = False, in_reply_to: str = ""
) -> OutboundEmail:
    """Queue system mail to an address that need not belong to a user; ``automatic``: an
    automatic answer to a message (``Auto-Submitted: auto-replied``, RFC 3834), which
    ``in_reply_to`` names."""
    try:
        validate_email(to)
    except DjangoValidationError as exc:
        raise ValidationError.field(
            "to", _("%(address)s is not an email address") % {"address": repr(to)}
        ) from exc
    if any(c in in_reply_to for c in "\r\n"):
        raise ValidationError.field("in_reply_to", _("A Message-ID is one line."))
    # one statement, in the caller's transaction (or its own)
    row = OutboundEmail.objects.create(
        to_address=to,
        subject=_clean_subject(subject),
        body=body,
        auto_submitted="auto-replied" if automatic else "",
        in_reply_to=in_reply_to[:998],
    )
    _deliver_on_commit([row])
    return row


def _read_group_rows(actor, ids: list[int], now) -> None:
    """Read rows for the actor: one per group notification (ignored when already there)."""
    NotificationRead.objects.bulk_create(
        (NotificationRead(notification_id=pk, user=actor, read_at=now) for pk in ids),
        ignore_conflicts=True,
    )


@transaction.atomic
def mark_read(actor, notification: Notification) -> Notification:
    """Mark one notification the actor sees read for them (again is harmless: the first time
    stays). Their own row gets ``read_at``; a group's row gets a read row of theirs, and the
    other members' read state does not change. Returns the row as the actor sees it
    (``my_read_at`` set; ``notification`` gets the same read times)."""
    if actor is None or not actor.is_authenticated:
        raise NotFound(_("Notification %(id)s not found.") % {"id": notification.pk})
    groups = group_ids(actor)
    row = inbox(actor, groups).filter(pk=notification.pk).first()
    if row is None:
        raise NotFound(_("Notification %(id)s not found.") % {"id": notification.pk})
    if row.my_read_at is None:
        now = timezone.now()
        if row.group_id is None:
            Notification.objects.filter(pk=row.pk, read_at__isnull=True).update(read_at=now)
        else:
            _read_group_rows(actor, [row.pk], now)
        row = inbox(actor, groups).get(pk=row.pk)
    notification.read_at, notification.my_read_at = row.read_at, row.my_read_at
    return row


@transaction.atomic
def mark_read_many(actor, ids: Iterable[int]) -> int:
    """Mark those of ``ids`` that the actor sees and has not read yet read for them; ids of
    notifications they do not see are ignored, exactly like ids that do not exist. Returns
    how many changed."""
    ids = sorted(set(ids))
    if not ids or actor is None or not actor.is_authenticated:
        return 0
    now = timezone.now()
    own = Notification.objects.filter(pk__in=ids, recipient_id=actor.pk, read_at__isnull=True)
    changed = own.update(read_at=now)
    theirs = list(
        Notification.objects.filter(unread(actor), pk__in=ids, group__isnull=False).values_list(
            "pk", flat=True
        )
    )
    _read_group_rows(actor, theirs, now)
    return changed + len(theirs)


@transaction.atomic
def mark_all_read(actor) -> int:
    """Mark every notification the actor has not read read for them; returns how many.

    Their own rows get ``read_at``; their groups' notifications are covered by moving their
    :class:`ReadMark` to now (one row, however many there were).
    """
    if actor is None or not actor.is_authenticated:
        return 0
    now = timezone.now()
    changed = Notification.objects.filter(recipient_id=actor.pk, read_at__isnull=True).update(
        read_at=now
    )
    groups = Notification.objects.filter(unread(actor), group__isnull=False)
    changed += groups.order_by().count()
    ReadMark.objects.bulk_create(  # one upsert: two "mark all" at once cannot collide
        [ReadMark(user=actor, read_up_to=now)],
        update_conflicts=True,
        unique_fields=["user"],
        update_fields=["read_up_to"],
    )
    return changed


@transaction.atomic
def requeue(actor, email: OutboundEmail) -> OutboundEmail:
    """Give a failed (or waiting) email a fresh set of attempts, starting now. Admins only."""
    require_admin(actor, gettext_lazy("retry outbound email"))
    if email.status not in (EmailStatus.FAILED, EmailStatus.PENDING):
        raise ValidationError.field(
            "status",
            _("only failed or pending mail can be retried, this one is %(status)s")
            % {"status": email.get_status_display()},
        )
    before = journal.snapshot(email, ["status", "attempts"])
    updated = OutboundEmail.objects.filter(pk=email.pk, status=email.status).update(
        status=EmailStatus.PENDING,
        attempts=0,
        next_attempt_at=timezone.now(),
        claimed_until=None,
    )
    if not updated:
        raise ValidationError.field("status", _("the email changed meanwhile; reload it"))
    email.refresh_from_db()
    journal.record(
        actor,
        email,
        "requeued",
        journal.diff(before, journal.snapshot(email, ["status", "attempts"])),
    )
    _deliver_on_commit([email])
    return email
