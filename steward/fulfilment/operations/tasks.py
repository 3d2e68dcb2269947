"""Fulfilment tasks: generated from the catalog item's templates once the item is approved,
started, assigned and closed by their group. Tasks of one stage run in parallel; when every
task of a stage is closed the next stage opens; when none is left the item is fulfilled."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from steward.core import journal
from steward.core.concurrency import save_versioned
from steward.core.errors import NotFound
from steward.core.numbering import next_number
from steward.core.texts import Text
from steward.fulfilment import rules
from steward.fulfilment.choices import (
    ACTIVE_TASK_STATUSES,
    ItemStatus,
    TaskOutcome,
    TaskStatus,
)
from steward.fulfilment.models import FulfilmentTask, RequestedItem
from steward.fulfilment.operations.common import (
    TASK_FIELDS,
    check_version,
    invalid,
    locked,
    moment,
    refuse,
)
from steward.fulfilment.workflow import TASK
from steward.notifications.operations import notify
from steward.people.models import SupportGroup

NOTES_MAX = 10_000


def _templates(item: RequestedItem) -> list[dict]:
    """The catalog item's task templates; without any, one task for the item's group."""
    rows = list(item.catalog_item.task_templates or [])
    if not rows:
        return [
            {
                "name": item.catalog_item.name,
                "group": item.owning_group_id,
                "stage": 1,
                "description": "",
            }
        ]
    return rows


def _tell_group(actor, group, tasks: list[FulfilmentTask]) -> None:
    item = tasks[0].item
    notify(
        actor,
        group=group,
        subject=Text(
            gettext_noop("New task for %(group)s: %(name)s (%(number)s)"),
            group=group.name,
            name=tasks[0].name,
            number=item.number,
        )
        if len(tasks) == 1
        else Text(
            gettext_noop("%(count)s new tasks for %(group)s (%(number)s)"),
            count=len(tasks),
            group=group.name,
            number=item.number,
        ),
        body=", ".join(f"{t.number} {t.name}" for t in tasks)[:500],
        link=tasks[0].get_absolute_url(),
        record=tasks[0],
    )


def _open_stage(actor, tasks: list[FulfilmentTask]) -> None:
    """Tell each group of ``tasks`` (now open) about its new work."""
    by_group: dict[int, list] = {}
    for t in tasks:
        by_group.setdefault(t.group_id, []).append(t)
    for rows in by_group.values():
        _tell_group(actor, rows[0].group, rows)


def generate(actor, item: RequestedItem) -> list[FulfilmentTask]:
    """The item's tasks, from its templates (only ever after approval: the caller is
    ``items.approve``). The first stage opens; later ones wait."""
    if item.status != ItemStatus.APPROVED:  # pragma: no cover - guarded by the callers
        raise ValueError("tasks are generated only for an approved item")
    if FulfilmentTask.objects.filter(item=item).exists():
        return []
    templates = sorted(_templates(item), key=lambda t: int(t.get("stage") or 1))
    groups = SupportGroup.objects.in_bulk({t["group"] for t in templates})
    first = int(templates[0].get("stage") or 1)
    created = []
    for t in templates:
        group = groups.get(t["group"])
        if group is None or not group.is_active:
            group = item.owning_group
        stage = int(t.get("stage") or 1)
        task = FulfilmentTask(
            number="TASK",
            item=item,
            name=str(t["name"])[:200],
            description=t.get("description", ""),
            stage=stage,
            group=group,
            status=TaskStatus.OPEN if stage == first else TaskStatus.WAITING,
        )
        task.number = next_number("TASK")
        task.save()
        created.append(task)
        journal.record(
            actor,
            task,
            "created",
            {
                "item": [None, item.number],
                "group": [None, group.name],
                "stage": [None, stage],
                "status": [None, task.status],
            },
        )
    journal.record(actor, item, "tasks_generated", {"tasks": [None, [t.number for t in created]]})
    _open_stage(actor, [t for t in created if t.status == TaskStatus.OPEN])
    return created


def _require_visible(actor, task: FulfilmentTask) -> None:
    if (
        actor is not None
        and not FulfilmentTask.objects.for_user(actor, "view").filter(pk=task.pk).exists()
    ):
        raise NotFound(_("Task %(number)s not found.") % {"number": task.number})


def _lock_item(task: FulfilmentTask) -> None:
    """Lock the task's item first: every writer of an item's tasks (start, close, cancel,
    generate) takes the item's row, then the tasks', so two tasks of one stage closed at once
    queue instead of deadlocking, and the second sees the first closed."""
    locked(task.item)


def _item_started(actor, task: FulfilmentTask) -> None:
    from steward.fulfilment.operations.items import move

    item = locked(task.item)
    if item.status == ItemStatus.APPROVED:
        move(actor, item, ItemStatus.IN_PROGRESS)


@transaction.atomic
def start_task(actor, task: FulfilmentTask, *, version=None) -> FulfilmentTask:
    """Someone of the task's group starts it (taking it when nobody has it)."""
    _require_visible(actor, task)
    _lock_item(task)
    task = locked(task)
    check_version(task, version)
    if actor is not None and not rules.may_act_on_task(actor, task):
        raise refuse(_("Only the task's group works it."), "user")
    TASK.check(task.status, TaskStatus.IN_PROGRESS, field_name="status")
    before = journal.snapshot(task, TASK_FIELDS)
    task.status = TaskStatus.IN_PROGRESS
    task.started_at = task.started_at or moment()
    fields = ["status", "started_at"]
    if (
        task.assignee_id is None
        and actor is not None
        and task.group.members.filter(pk=actor.pk).exists()
    ):
        task.assignee = actor
        fields.append("assignee")
    save_versioned(task, version, fields)
    journal.record(
        actor, task, "started", journal.diff(before, journal.snapshot(task, TASK_FIELDS))
    )
    _item_started(actor, task)
    return task


def _advance(actor, item: RequestedItem) -> None:
    """After a task closed: open the next stage when the current one is done; fulfil the item
    when no task is left."""
    from steward.fulfilment.operations.items import fulfil

    remaining = list(
        FulfilmentTask.objects.select_for_update(of=("self",))
        .filter(item=item, status__in=sorted(ACTIVE_TASK_STATUSES))
        .select_related("group", "item")
        .order_by("stage", "id")
    )
    if not remaining:
        fulfil(actor, item)
        return
    if any(t.status != TaskStatus.WAITING for t in remaining):
        _item_started(actor, remaining[0])
        return
    stage = remaining[0].stage
    opened = []
    for t in remaining:
        if t.stage != stage:
            break
        TASK.check(t.status, TaskStatus.OPEN, field_name="status")
        t.status = TaskStatus.OPEN
        save_versioned(t, None, ["status"])
        journal.record(actor, t, "stage_opened", {"status": [TaskStatus.WAITING, TaskStatus.OPEN]})
        opened.append(t)
    _item_started(actor, remaining[0])
    _open_stage(actor, opened)


@transaction.atomic
def close_task(
    actor, task: FulfilmentTask, *, outcome: str, notes: str = "", version=None
) -> FulfilmentTask:
    """Close the task complete or incomplete (incomplete says why in ``notes``)."""
    if outcome not in TaskOutcome.values:
        raise invalid("outcome", _("Close it complete or incomplete."), "complete or incomplete")
    notes = (notes or "").strip()
    if len(notes) > NOTES_MAX:
        raise invalid("notes", _("At most %(n)d characters.") % {"n": NOTES_MAX})
    if outcome == TaskOutcome.INCOMPLETE and not notes:
        raise invalid(
            "notes", _("Say why the task could not be completed."), "required when incomplete"
        )
    _require_visible(actor, task)
    _lock_item(task)
    task = locked(task)
    check_version(task, version)
    if actor is not None and not rules.may_act_on_task(actor, task):
        raise refuse(_("Only the task's group works it."), "user")
    target = (
        TaskStatus.CLOSED_COMPLETE
        if outcome == TaskOutcome.COMPLETE
        else TaskStatus.CLOSED_INCOMPLETE
    )
    TASK.check(task.status, target, field_name="status")
    before = journal.snapshot(task, TASK_FIELDS)
    task.status, task.notes, task.closed_at = target, notes, moment()
    fields = ["status", "notes", "closed_at"]
    if (
        task.assignee_id is None
        and actor is not None
        and task.group.members.filter(pk=actor.pk).exists()
    ):
        task.assignee = actor
        fields.append("assignee")
    save_versioned(task, version, fields)
    journal.record(actor, task, "closed", journal.diff(before, journal.snapshot(task, TASK_FIELDS)))
    journal.record(
        actor, task.item, "task_closed", {"task": [None, task.number], "status": [None, target]}
    )
    _advance(actor, task.item)
    return task


@transaction.atomic
def assign_task(actor, task: FulfilmentTask, *, assignee=None, version=None) -> FulfilmentTask:
    """Give the task to a member of its group (or to nobody)."""
    _require_visible(actor, task)
    task = locked(task)
    check_version(task, version)
    if actor is not None and not rules.may_act_on_task(actor, task):
        raise refuse(_("Only the task's group assigns its tasks."), "assignee")
    if task.status not in ACTIVE_TASK_STATUSES:
        raise invalid("assignee", _("The task is closed."), "the task is closed")
    if assignee is not None:
        if not assignee.is_active:
            raise invalid(
                "assignee",
                _("%(name)s is no longer active.") % {"name": assignee.display_name},
                "inactive user",
            )
        if not task.group.members.filter(pk=assignee.pk).exists():
            raise invalid(
                "assignee",
                _("%(name)s is not a member of %(group)s.")
                % {"name": assignee.display_name, "group": task.group.name},
                "not a member of the task's group",
            )
    if (assignee.pk if assignee else None) == task.assignee_id:
        return task
    before = journal.snapshot(task, TASK_FIELDS)
    task.assignee = assignee
    save_versioned(task, version, ["assignee"])
    journal.record(
        actor, task, "assigned", journal.diff(before, journal.snapshot(task, TASK_FIELDS))
    )
    if assignee is not None:
        notify(
            actor,
            [assignee],
            subject=Text(
                gettext_noop("Task %(number)s assigned to you: %(name)s"),
                number=task.number,
                name=task.name,
            ),
            body=task.name,
            link=task.get_absolute_url(),
            record=task,
        )
    return task


assign = assign_task
