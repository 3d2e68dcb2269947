"""Work notes and replies, mentions, watchers and attachments."""

from __future__ import annotations

import re
import secrets

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q

from steward.core import journal
from steward.core.errors import (
    PermissionDenied,
    ValidationError,
)
from steward.core.operations import full_clean, require
from steward.incidents import rules, sla
from steward.incidents.choices import (
    Visibility,
)
from steward.incidents.models import (
    Attachment,
    Comment,
    Incident,
    Watcher,
)
from steward.incidents.operations.common import link, may_see
from steward.notifications.operations import notify
from steward.people.models import SupportGroup, User

# --- comments, mentions, watchers -------------------------------------------------------------

MENTION = re.compile(r'@(?:"([^"]{1,120})"|\[([^\]]{1,120})\]|([\w.+-]+))')


def mentioned(body: str) -> tuple[list[User], list[SupportGroup]]:
    """Users (``@username``) and groups (``@"Group name"``, ``@[Group name]`` or
    ``@Group-name``) mentioned in ``body``."""
    names = {m.group(1) or m.group(2) or m.group(3) for m in MENTION.finditer(body)}
    names = {n.strip().rstrip(".") for n in names if n and n.strip()}
    if not names:
        return [], []
    users = list(
        User.objects.filter(is_active=True).filter(
            Q(username__in=names) | Q(username__in=[n.lower() for n in names])
        )
    )
    group_q = Q(pk__in=[])
    for n in names:
        group_q |= Q(name__iexact=n) | Q(name__iexact=n.replace("-", " ").replace("_", " "))
    groups = list(SupportGroup.objects.filter(is_active=True).filter(group_q))
    return users, groups


def watchers_of(incident: Incident) -> list[User]:
    return list(User.objects.filter(pk__in=incident.watchers.values("user_id"), is_active=True))


@transaction.atomic
def add_comment(
    actor,
    incident: Incident,
    *,
    body: str,
    visibility: str = Visibility.INTERNAL,
    time_spent: int = 0,
) -> Comment:
    """A work note (internal) or a reply (the caller sees it). Requesters may only reply."""
    if visibility not in Visibility.values:
        raise ValidationError.field("visibility", "must be internal or public")
    if not rules.is_staff(actor):
        require(actor, "view", incident)
        if not rules.may_write(actor, visibility):
            raise PermissionDenied(
                "Requesters may only add replies.", {"visibility": ["requesters may only reply"]}
            )
        if time_spent and not rules.may_record_time(actor):
            raise PermissionDenied(
                "Only IT staff record time spent.", {"time_spent": ["IT staff only"]}
            )
    else:
        require(actor, "change", incident)
    if not (body or "").strip():
        raise ValidationError.field("body", "required")
    if time_spent is None or time_spent < 0:
        raise ValidationError.field("time_spent", "must be 0 or more minutes")
    comment = Comment(
        incident=incident,
        author=actor if getattr(actor, "pk", None) else None,
        body=body.strip(),
        visibility=visibility,
        time_spent=time_spent,
    )
    full_clean(comment)
    comment.save()
    action = "replied" if visibility == Visibility.PUBLIC else "work_note"
    changes = {"time_spent": [None, time_spent]} if time_spent else {}
    journal.record(actor, incident, action, changes, comment=comment.body)
    if visibility == Visibility.PUBLIC and actor is not None and actor.is_it:
        sla.feed(incident, responded=True)  # the first public reply by an agent responds
    users, groups = mentioned(comment.body)
    recipients: dict[int, User] = {u.pk: u for u in users}
    for g in groups:
        for m in g.members.filter(is_active=True):
            recipients.setdefault(m.pk, m)
    if visibility == Visibility.PUBLIC:
        for u in [incident.caller, *watchers_of(incident)]:
            recipients.setdefault(u.pk, u)
        if incident.assignee_id:
            recipients.setdefault(incident.assignee_id, incident.assignee)
    else:
        # a work note is internal: only IT staff hear of it, however they were named
        for u in watchers_of(incident):
            recipients.setdefault(u.pk, u)
        recipients = {pk: u for pk, u in recipients.items() if u.is_it}
    recipients = {pk: u for pk, u in recipients.items() if may_see(u, incident)}
    if recipients:
        kind = "Reply" if visibility == Visibility.PUBLIC else "Work note"
        notify(
            actor,
            recipients.values(),
            subject=f"{kind} on {incident.number}: {incident.title}",
            body=comment.body,
            link=link(incident),
            record=incident,
        )
    return comment


@transaction.atomic
def add_watcher(actor, incident: Incident, user: User) -> Watcher:
    if not rules.may_watch(actor, user):
        raise PermissionDenied("Requesters may only watch incidents themselves.")
    require(actor, "view", incident)
    if not Incident.objects.for_user(user, "view").filter(pk=incident.pk).exists():
        raise ValidationError.field("user", f"{user.username!r} may not see this incident")
    watcher, created = Watcher.objects.get_or_create(incident=incident, user=user)
    if created:
        journal.record(actor, incident, "watcher_added", {"watchers": [None, user]})
    return watcher


@transaction.atomic
def remove_watcher(actor, incident: Incident, user: User) -> None:
    if not rules.may_watch(actor, user):
        raise PermissionDenied("Requesters may only stop watching themselves.")
    require(actor, "view", incident)
    deleted, _ = Watcher.objects.filter(incident=incident, user=user).delete()
    if deleted:
        journal.record(actor, incident, "watcher_removed", {"watchers": [user, None]})


# --- attachments ------------------------------------------------------------------------------

ATTACHMENT_DIR = "incident-attachments"
SNIFF_BYTES = 2048


def attachment_limit() -> int:
    return settings.STEWARD_ATTACHMENT_MAX_BYTES


@transaction.atomic
def add_attachment(actor, incident: Incident, upload, *, visibility: str = Visibility.INTERNAL):
    """Store ``upload`` (a Django UploadedFile) under a random name after checking its size and
    its sniffed content type. Requesters may attach to incidents they see, publicly only."""
    from steward.incidents.attachments import clean_name, sniff

    if visibility not in Visibility.values:
        raise ValidationError.field("visibility", "must be internal or public")
    if not rules.is_staff(actor):
        require(actor, "view", incident)
        if not rules.may_write(actor, visibility):
            raise PermissionDenied(
                "Requesters may only add public attachments.",
                {"visibility": ["requesters may only add public attachments"]},
            )
    else:
        require(actor, "change", incident)
    limit = attachment_limit()
    if upload.size > limit:
        raise ValidationError.field("file", f"larger than the limit of {limit} bytes")
    if upload.size == 0:
        raise ValidationError.field("file", "is empty")
    upload.seek(0)
    content_type = sniff(upload.read(SNIFF_BYTES))
    upload.seek(0)
    if content_type is None:
        raise ValidationError.field(
            "file", "this kind of file is not accepted (images, PDF, text and Office files are)"
        )
    stored = default_storage.save(f"{ATTACHMENT_DIR}/{secrets.token_hex(20)}", upload)
    attachment = Attachment(
        incident=incident,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
        file_name=clean_name(upload.name),
        stored_name=stored,
        content_type=content_type,
        size=upload.size,
        visibility=visibility,
    )
    try:
        attachment.save()
    except Exception:
        default_storage.delete(stored)
        raise
    action = "attached" if visibility == Visibility.PUBLIC else "attached_internal"
    journal.record(
        actor,
        incident,
        action,
        {"attachment": [None, attachment.file_name]},
        comment=f"{attachment.file_name} ({attachment.size} bytes, {content_type})",
    )
    return attachment
