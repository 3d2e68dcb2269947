"""Work notes and replies, mentions, watchers and attachments."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from steward.core import journal
from steward.core.errors import (
    PermissionDenied,
)
from steward.core.operations import full_clean, require
from steward.core.texts import Text
from steward.incidents import mail_events, rules, sla
from steward.incidents.choices import (
    Status,
    Visibility,
)
from steward.incidents.models import (
    Attachment,
    Comment,
    Incident,
    Watcher,
)
from steward.incidents.operations.common import invalid, link, may_see, touch
from steward.notifications.operations import notify
from steward.people.models import SupportGroup, User

# --- comments, mentions, watchers -------------------------------------------------------------

#: The longest note or reply, and the most minutes one may record (a week).
MAX_BODY = 20_000
MAX_MINUTES = 10_080

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
        raise invalid(
            "visibility",
            _("Choose a work note (internal) or a reply to the caller (public)."),
            "must be internal or public",
        )
    if not rules.is_staff(actor):
        require(actor, "view", incident)
        if not rules.may_write(actor, visibility):
            raise PermissionDenied(
                _("Requesters may only add replies."),
                {"visibility": ["requesters may only reply"]},
            )
        if time_spent and not rules.may_record_time(actor):
            raise PermissionDenied(
                _("Only IT staff record time spent."), {"time_spent": ["IT staff only"]}
            )
    else:
        require(actor, "change", incident)
    if not (body or "").strip():
        raise invalid("body", _("Write a note first."), "required")
    if len(body.strip()) > MAX_BODY:
        raise invalid(
            "body",
            _("The note is %(length)d characters long; the limit is %(limit)d.")
            % {"length": len(body.strip()), "limit": MAX_BODY},
            f"at most {MAX_BODY} characters",
        )
    if time_spent is None or time_spent < 0:
        raise invalid(
            "time_spent", _("Minutes spent cannot be negative."), "must be 0 or more minutes"
        )
    if time_spent > MAX_MINUTES:
        raise invalid(
            "time_spent",
            _("Minutes spent can be at most %(limit)d (a week) for one note.")
            % {"limit": MAX_MINUTES},
            f"at most {MAX_MINUTES} minutes",
        )

    comment = Comment(
        incident=incident,
        author=actor if getattr(actor, "pk", None) else None,
        body=body.strip(),
        visibility=visibility,
        time_spent=time_spent,
    )
    # its incident and author are the instances in hand, its input checked above
    full_clean(comment, exclude=["incident", "author"], constraints=False)
    comment.save()
    action = "replied" if visibility == Visibility.PUBLIC else "work_note"
    changes = {"time_spent": [None, time_spent]} if time_spent else {}
    journal.record(actor, incident, action, changes, comment=comment.body)
    touch(incident)
    reopened = visibility == Visibility.PUBLIC and rules.reply_reopens(actor, incident)
    if reopened:
        from steward.incidents.operations.lifecycle import transition

        transition(
            actor,
            incident,
            Status.IN_PROGRESS,
            comment=str(_("Reopened by the caller's reply.")),
        )
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
        elif actor is not None and not actor.is_it and not reopened:
            # nobody works it yet: the caller's words reach the owning group
            notify(
                actor,
                group=incident.owning_group,
                subject=Text(
                    mail_events.REPLY_SUBJECT, number=incident.number, title=incident.title
                ),
                body=comment.body,
                link=link(incident),
                record=incident,
                event=mail_events.REPLY,
                context={"author": actor.display_name},
            )
    else:
        # a work note is internal: only IT staff hear of it, however they were named
        for u in watchers_of(incident):
            recipients.setdefault(u.pk, u)
        recipients = {pk: u for pk, u in recipients.items() if u.is_it}
    recipients = {pk: u for pk, u in recipients.items() if may_see(u, incident)}
    if recipients:
        said = (
            mail_events.REPLY_SUBJECT
            if visibility == Visibility.PUBLIC
            else gettext_noop("Work note on %(number)s: %(title)s")
        )
        notify(
            actor,
            recipients.values(),
            subject=Text(said, number=incident.number, title=incident.title),
            body=comment.body,
            link=link(incident),
            record=incident,
            event=mail_events.REPLY,
            context={"author": actor.display_name if actor is not None else ""},
        )
    return comment


@transaction.atomic
def add_watcher(actor, incident: Incident, user: User) -> Watcher:
    if not rules.may_watch(actor, user):
        raise PermissionDenied(_("Requesters may only watch incidents themselves."))
    require(actor, "view", incident)
    if not user.is_active:
        raise invalid(
            "user",
            _("%(name)s is no longer active and cannot watch incidents.")
            % {"name": user.display_name},
            f"user {user.username!r} is inactive",
        )
    if not Incident.objects.for_user(user, "view").filter(pk=incident.pk).exists():
        raise invalid(
            "user",
            _("%(name)s may not see this incident, so they cannot watch it.")
            % {"name": user.display_name},
            f"{user.username!r} may not see this incident",
        )
    watcher, created = Watcher.objects.get_or_create(incident=incident, user=user)
    if created:
        journal.record(actor, incident, "watcher_added", {"watchers": [None, user]})
    return watcher


@transaction.atomic
def remove_watcher(actor, incident: Incident, user: User) -> None:
    if not rules.may_watch(actor, user):
        raise PermissionDenied(_("Requesters may only stop watching themselves."))
    require(actor, "view", incident)
    deleted, _rows = Watcher.objects.filter(incident=incident, user=user).delete()
    if deleted:
        journal.record(actor, incident, "watcher_removed", {"watchers": [user, None]})


# --- attachments ------------------------------------------------------------------------------

ATTACHMENT_DIR = "incident-attachments"


def attachment_limit() -> int:
    return settings.STEWARD_ATTACHMENT_MAX_BYTES


@transaction.atomic
def add_attachment(actor, incident: Incident, upload, *, visibility: str = Visibility.INTERNAL):
    """Store ``upload`` (a Django UploadedFile) under a random name after checking its size and
    its sniffed content type. Requesters may attach to incidents they see, publicly only."""
    from steward.incidents.attachments import store_upload

    if visibility not in Visibility.values:
        raise invalid(
            "visibility",
            _("Choose whether the file is internal or visible to the caller."),
            "must be internal or public",
        )
    if not rules.is_staff(actor):
        require(actor, "view", incident)
        if not rules.may_write(actor, visibility):
            raise PermissionDenied(
                _("Requesters may only add public attachments."),
                {"visibility": ["requesters may only add public attachments"]},
            )
    else:
        require(actor, "change", incident)
    attachment = store_upload(
        upload,
        attachment_limit(),
        ATTACHMENT_DIR,
        lambda stored, content_type, name: Attachment(
            incident=incident,
            uploaded_by=actor if getattr(actor, "pk", None) else None,
            file_name=name,
            stored_name=stored,
            content_type=content_type,
            size=upload.size,
            visibility=visibility,
        ),
    )
    action = "attached" if visibility == Visibility.PUBLIC else "attached_internal"
    journal.record(
        actor,
        incident,
        action,
        {"attachment": [None, attachment.file_name]},
        comment=f"{attachment.file_name} ({attachment.size} bytes, {attachment.content_type})",
    )
    touch(incident)
    return attachment
