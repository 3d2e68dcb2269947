"""A requested item's life after the order: approved or rejected (from the approvals'
``on_complete``), fulfilled when its tasks are closed, cancelled; its conversation and files;
and the order's status, which follows its items."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from steward.core import journal
from steward.core.concurrency import save_versioned
from steward.core.errors import NotFound
from steward.core.texts import Text
from steward.fulfilment import rules, sla
from steward.fulfilment.choices import (
    ACTIVE_ITEM_STATUSES,
    ACTIVE_TASK_STATUSES,
    ItemStatus,
    RequestStatus,
    TaskStatus,
    Visibility,
)
from steward.fulfilment.models import (
    FulfilmentTask,
    Request,
    RequestAttachment,
    RequestComment,
    RequestedItem,
)
from steward.fulfilment.operations.common import (
    ITEM_FIELDS,
    check_version,
    invalid,
    locked,
    moment,
    refuse,
)
from steward.fulfilment.workflow import ITEM, TASK
from steward.notifications.operations import notify

ATTACHMENT_DIR = "request-attachments"
COMMENT_MAX = 10_000


def requesters(item: RequestedItem) -> list:
    """Who is told about the item's progress: the person it is for and who ordered it."""
    people = [item.requested_for]
    if item.opened_by_id != item.requested_for_id:
        people.append(item.opened_by)
    return people


def item_link(item: RequestedItem) -> str:
    return item.get_absolute_url()


def require_visible(actor, item: RequestedItem) -> None:
    """An item the person may not read is answered as if there were none."""
    if actor is None:
        return
    if not RequestedItem.objects.for_user(actor, "view").filter(pk=item.pk).exists():
        raise NotFound(_("Requested item %(number)s not found.") % {"number": item.number})


def move(actor, item: RequestedItem, to: str, *, comment="", **fields) -> None:
    """Change the item's status (checked against ``workflow.ITEM``) and ``fields``, journal it
    and feed the SLA clocks. The caller holds the row lock."""
    ITEM.check(item.status, to, field_name="status")
    before = journal.snapshot(item, ITEM_FIELDS)
    item.status = to
    for k, v in fields.items():
        setattr(item, k, v)
    save_versioned(item, None, ["status", *fields])
    journal.record(
        actor,
        item,
        f"status_{to}",
        journal.diff(before, journal.snapshot(item, ITEM_FIELDS)),
        comment,
    )
    sla.feed(item)


def settle_request(actor, request: Request) -> None:
    """The order's status from its items: open while one is worked; cancelled when all were
    cancelled; else closed."""
    statuses = set(request.items.values_list("status", flat=True))
    if statuses & ACTIVE_ITEM_STATUSES:
        target = RequestStatus.OPEN
    elif statuses == {ItemStatus.CANCELLED}:
        target = RequestStatus.CANCELLED
    else:
        target = RequestStatus.CLOSED
    if request.status == target:
        return
    request = locked(request)
    before = request.status
    request.status = target
    request.closed_at = None if target == RequestStatus.OPEN else moment()
    save_versioned(request, None, ["status", "closed_at"])
    journal.record(actor, request, f"request_{target}", {"status": [before, target]})


def approve(actor, item: RequestedItem) -> RequestedItem:
    """The item's approval round is approved (or it needs none): due time, tasks generated,
    requester and groups told. Runs inside the caller's transaction."""
    from steward.fulfilment.operations import tasks

    item = locked(item)
    now = moment()
    due = sla.due_for(item, now)
    hours = item.catalog_item.target_hours
    move(
        actor,
        item,
        ItemStatus.APPROVED,
        approved_at=now,
        due_at=due,
        target_seconds=int(hours) * 3600 if hours else None,
    )
    created = tasks.generate(actor, item)
    if item.catalog_item.approval_flow:
        notify(
            actor,
            requesters(item),
            subject=Text(
                gettext_noop("%(number)s approved: %(title)s"),
                number=item.number,
                title=item.title,
            ),
            body=Text(
                gettext_noop("Your request was approved; %(count)s tasks deliver it."),
                count=len(created),
            ),
            link=item_link(item),
            record=item,
        )
    return item


def reject(actor, item: RequestedItem, reason: str) -> RequestedItem:
    """The item's approval round was rejected: the item ends with the approver's reason."""
    item = locked(item)
    reason = (reason or "").strip() or _("Rejected")
    move(
        actor,
        item,
        ItemStatus.REJECTED,
        comment=reason,
        rejection_reason=reason,
        closed_at=moment(),
    )
    notify(
        actor,
        requesters(item),
        subject=Text(
            gettext_noop("%(number)s rejected: %(title)s"), number=item.number, title=item.title
        ),
        body=Text(gettext_noop("The reason given: %(reason)s"), reason=reason),
        link=item_link(item),
        record=item,
    )
    settle_request(actor, item.request)
    return item


def fulfil(actor, item: RequestedItem) -> RequestedItem:
    """Every task of the item is closed: the item is delivered."""
    item = locked(item)
    if item.status not in (ItemStatus.APPROVED, ItemStatus.IN_PROGRESS):
        return item
    now = moment()
    start = item.approved_at or item.created_at
    move(
        actor,
        item,
        ItemStatus.FULFILLED,
        fulfilled_at=now,
        delivery_seconds=sla.business_seconds(item.service_id, start, now),
    )
    notify(
        actor,
        requesters(item),
        subject=Text(
            gettext_noop("%(number)s fulfilled: %(title)s"), number=item.number, title=item.title
        ),
        body=Text(gettext_noop("What you requested has been delivered.")),
        link=item_link(item),
        record=item,
    )
    settle_request(actor, item.request)
    return item


@transaction.atomic
def close_item(actor, item: RequestedItem, *, version=None) -> RequestedItem:
    """A fulfilled item is closed (the job does it some days after fulfilment)."""
    if actor is not None and not rules.may_work(actor, item):
        raise refuse(_("Only the item's group closes it."), "user")
    item = locked(item)
    check_version(item, version)
    move(actor, item, ItemStatus.CLOSED, closed_at=moment())
    settle_request(actor, item.request)
    return item


@transaction.atomic
def cancel_item(actor, item: RequestedItem, *, reason: str, version=None) -> RequestedItem:
    """Cancel an item still being worked (its requester, its group, administrators): its open
    approval steps and tasks are cancelled with it."""
    from steward.approvals.operations import cancel_round

    require_visible(actor, item)
    reason = (reason or "").strip()
    if not reason:
        raise invalid("reason", _("Say why the item is cancelled."), "must not be empty")
    if len(reason) > 1000:
        raise invalid("reason", _("At most %(n)d characters.") % {"n": 1000})
    item = locked(item)
    check_version(item, version)
    if (
        actor is not None
        and not rules.may_cancel(actor, item)
        and item.status in ACTIVE_ITEM_STATUSES
    ):
        raise refuse(
            _("Only the requester, the item's group and administrators cancel it."), "user"
        )
    ITEM.check(item.status, ItemStatus.CANCELLED, field_name="status")
    cancel_round(actor, item, reason=reason)
    now = moment()
    for task in FulfilmentTask.objects.select_for_update().filter(
        item=item, status__in=sorted(ACTIVE_TASK_STATUSES)
    ):
        TASK.check(task.status, TaskStatus.CANCELLED, field_name="status")
        before = task.status
        task.status, task.closed_at = TaskStatus.CANCELLED, now
        save_versioned(task, None, ["status", "closed_at"])
        journal.record(actor, task, "status_cancelled", {"status": [before, task.status]})
    move(actor, item, ItemStatus.CANCELLED, comment=reason, cancel_reason=reason, closed_at=now)
    told = [p for p in requesters(item) if p.pk != getattr(actor, "pk", None)]
    if item.assignee_id:
        told.append(item.assignee)
    notify(
        actor,
        told,
        subject=Text(
            gettext_noop("%(number)s cancelled: %(title)s"), number=item.number, title=item.title
        ),
        body=Text(gettext_noop("The reason given: %(reason)s"), reason=reason),
        link=item_link(item),
        record=item,
    )
    settle_request(actor, item.request)
    return item


@transaction.atomic
def assign_item(actor, item: RequestedItem, *, assignee=None, group=None, version=None):
    """Give the item to a person of its group (or to nobody), or move it to another group
    (the assignee must then be one of that group's members)."""
    require_visible(actor, item)
    item = locked(item)
    check_version(item, version)
    if actor is not None and not rules.may_assign_item(actor, item):
        raise refuse(_("Only the item's group assigns it."), "assignee")
    before = journal.snapshot(item, ITEM_FIELDS)
    fields = []
    if group is not None and group.pk != item.owning_group_id:
        if not group.is_active:
            raise invalid("group", _("%(group)s is no longer active.") % {"group": group.name})
        item.owning_group = group
        fields.append("owning_group")
    if assignee is not None:
        if not assignee.is_active:
            raise invalid(
                "assignee", _("%(name)s is no longer active.") % {"name": assignee.display_name}
            )
        if not item.owning_group.members.filter(pk=assignee.pk).exists():
            raise invalid(
                "assignee",
                _("%(name)s is not a member of %(group)s.")
                % {"name": assignee.display_name, "group": item.owning_group.name},
                "not a member of the item's group",
            )
    if (assignee.pk if assignee else None) != item.assignee_id:
        item.assignee = assignee
        fields.append("assignee")
    if not fields:
        return item
    save_versioned(item, version, fields)
    journal.record(
        actor, item, "assigned", journal.diff(before, journal.snapshot(item, ITEM_FIELDS))
    )
    if assignee is not None:
        notify(
            actor,
            [assignee],
            subject=Text(
                gettext_noop("%(number)s assigned to you: %(title)s"),
                number=item.number,
                title=item.title,
            ),
            body=item.title,
            link=item_link(item),
            record=item,
        )
    return item


@transaction.atomic
def add_comment(actor, item: RequestedItem, *, body: str, visibility: str = Visibility.PUBLIC):
    """A reply (public: the requester reads it) or a work note (internal, IT staff only)."""
    if visibility not in Visibility.values:
        raise invalid("visibility", _("Choose public or internal."), "must be public or internal")
    require_visible(actor, item)
    body = (body or "").strip()
    if not body:
        raise invalid("body", _("Write something first."), "must not be empty")
    if len(body) > COMMENT_MAX:
        raise invalid("body", _("At most %(n)d characters.") % {"n": COMMENT_MAX})
    if actor is not None and not rules.may_comment(actor, item, visibility):
        if visibility == Visibility.INTERNAL and not actor.is_it:
            raise refuse(_("Requesters write replies, not work notes."), "visibility")
        raise refuse(_("Nothing more can be written on this item: it is ended."), "item")
    comment = RequestComment.objects.create(
        item=item,
        author=actor if getattr(actor, "pk", None) else None,
        body=body,
        visibility=visibility,
    )
    action = "commented" if visibility == Visibility.PUBLIC else "work_note"
    journal.record(actor, item, action, {}, body[:500])
    if visibility == Visibility.PUBLIC:
        is_requester = actor is not None and not actor.is_it
        subject = Text(
            gettext_noop("New reply on %(number)s: %(title)s"),
            number=item.number,
            title=item.title,
        )
        if is_requester:
            told = [item.assignee] if item.assignee_id else []
            notify(
                actor,
                told,
                group=None if told else item.owning_group,
                subject=subject,
                body=body[:500],
                link=item_link(item),
                record=item,
            )
        else:
            notify(
                actor,
                requesters(item),
                subject=subject,
                body=body[:500],
                link=item_link(item),
                record=item,
            )
    return comment


def store_upload(actor, upload, *, item, visibility) -> RequestAttachment:
    from steward.incidents.attachments import store_upload as store

    return store(
        upload,
        settings.STEWARD_ATTACHMENT_MAX_BYTES,
        ATTACHMENT_DIR,
        lambda stored, content_type, name: RequestAttachment(
            item=item,
            uploaded_by=actor if getattr(actor, "pk", None) else None,
            name=name,
            stored_name=stored,
            content_type=content_type,
            size=upload.size,
            visibility=visibility,
        ),
    )


@transaction.atomic
def add_attachment(actor, item: RequestedItem, upload, *, visibility: str = Visibility.PUBLIC):
    """A file on the item (the incidents' rules: size limit, content sniffed against an
    allow-list, stored under a random name, served only as a download). Requesters attach
    public files only."""
    if visibility not in Visibility.values:
        raise invalid("visibility", _("Choose public or internal."), "must be public or internal")
    require_visible(actor, item)
    if actor is not None and not rules.may_comment(actor, item, visibility):
        if visibility == Visibility.INTERNAL and not actor.is_it:
            raise refuse(_("Requesters may only add public attachments."), "visibility")
        raise refuse(_("Nothing more can be added to this item: it is ended."), "item")
    attachment = store_upload(actor, upload, item=item, visibility=visibility)
    action = "attached" if visibility == Visibility.PUBLIC else "attached_internal"
    journal.record(actor, item, action, {"attachment": [None, attachment.name]})
    return attachment


@transaction.atomic
def upload_for_order(actor, upload) -> RequestAttachment:
    """A file for an order form's attachment question, uploaded before the order is placed:
    its id is the answer. It stays the uploader's alone until an order names it."""
    if actor is None or not actor.is_authenticated:
        raise refuse(_("Sign in to upload a file."), "user")
    return store_upload(actor, upload, item=None, visibility=Visibility.PUBLIC)


#: A fulfilled item is closed this many days after it was delivered (the requester may still
#: reply meanwhile).
CLOSE_AFTER_DAYS = 5


def close_fulfilled(now=None) -> int:
    """Close the items fulfilled more than :data:`CLOSE_AFTER_DAYS` days before ``now`` (the
    periodic job; idempotent). The number closed."""
    import datetime as dt

    cutoff = (now or moment()) - dt.timedelta(days=CLOSE_AFTER_DAYS)
    ids = list(
        RequestedItem.objects.filter(
            status=ItemStatus.FULFILLED, fulfilled_at__lt=cutoff
        ).values_list("pk", flat=True)[:500]
    )
    closed = 0
    for pk in ids:
        with transaction.atomic():
            item = RequestedItem.objects.select_for_update().filter(pk=pk).first()
            if item is None or item.status != ItemStatus.FULFILLED:
                continue
            move(None, item, ItemStatus.CLOSED, closed_at=now or moment())
            settle_request(None, item.request)
            closed += 1
    return closed
