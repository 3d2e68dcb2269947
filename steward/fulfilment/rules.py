"""Who may do what in request fulfilment: the one place that answers it.

- **Ordering**: anyone signed in orders an active catalog item they may see: for everyone, or
  restricted to their organisation or one of their groups (``CatalogItem.for_user``). IT staff
  order for anyone; a requester for themselves, or for a colleague of their organisation.
- **Seeing** a request: IT staff every one; a requester their own and their organisation's
  (``models.requester_scope``).
- **Working** an item (assign, comment internally, cancel): members and the manager of its
  fulfilment group, administrators. The requester (requested for, or who ordered it) cancels
  their own item while it is still being worked, and replies publicly.
- **Tasks**: members of the task's group, its manager, administrators start, assign and close
  them.
- **Catalog**: administrators edit every catalog item; the owner of an item edits that item.
- **Recurring requests**: IT staff create them; their creator and administrators change them.

``user`` ``None`` is the system (commands, jobs, importers) and may do everything. Role names
live here and in ``people.choices``; statuses in ``choices.py`` and ``workflow.py``.
"""

from __future__ import annotations

from steward.fulfilment.choices import (
    ACTIVE_ITEM_STATUSES,
    ACTIVE_TASK_STATUSES,
    FINAL_ITEM_STATUSES,
    CatalogAudience,
    TaskStatus,
    Visibility,
)


def is_staff(user) -> bool:
    return user is None or user.is_it


def is_admin(user) -> bool:
    return user is None or user.is_admin


def group_ids(user) -> frozenset[int]:
    """The groups the person is a member or the manager of, read once per request (cached on
    the user object)."""
    cached = getattr(user, "_fulfilment_group_ids", None)
    if cached is None:
        from steward.people.models import SupportGroup

        member = SupportGroup.objects.filter(members=user.pk).values_list("pk", flat=True)
        managed = SupportGroup.objects.filter(manager=user.pk).values_list("pk", flat=True)
        cached = frozenset(member) | frozenset(managed)
        user._fulfilment_group_ids = cached
    return cached


def in_group(user, group_id) -> bool:
    """A member or the manager of the group (the system always)."""
    if user is None:
        return True
    return group_id in group_ids(user)


def may_order(user, catalog_item) -> bool:
    """Whether ``user`` may order ``catalog_item`` (active, and its audience includes them)."""
    if user is None:
        return catalog_item.is_active
    if not catalog_item.is_active:
        return False
    if user.is_it or catalog_item.audience == CatalogAudience.EVERYONE:
        return True
    if user.organization_id and catalog_item.organizations.filter(pk=user.organization_id).exists():
        return True
    return catalog_item.groups.filter(members=user.pk).exists()


def may_order_for(user, person) -> bool:
    """IT staff order for anyone; a requester for themselves or a colleague of their
    organisation."""
    if is_staff(user) or person.pk == user.pk:
        return True
    return bool(user.organization_id) and person.organization_id == user.organization_id


def is_requester_of(user, item) -> bool:
    return user is not None and user.pk in (item.requested_for_id, item.opened_by_id)


def may_work(user, item) -> bool:
    """Assign, write work notes, attach internally: the item's group, administrators."""
    return is_admin(user) or (user.is_it and in_group(user, item.owning_group_id))


def may_comment(user, item, visibility: str) -> bool:
    """IT staff write work notes and replies; a requester who sees the item replies
    publicly. Nobody writes on a closed, rejected or cancelled item."""
    if item.status in FINAL_ITEM_STATUSES:
        return False
    if is_staff(user):
        return True
    return visibility == Visibility.PUBLIC


def may_cancel(user, item) -> bool:
    """The requester (requested for, or who ordered it), the item's group and
    administrators cancel an item while it is still being worked."""
    if item.status not in ACTIVE_ITEM_STATUSES:
        return False
    return is_requester_of(user, item) or may_work(user, item)


def may_assign_item(user, item) -> bool:
    return item.status in ACTIVE_ITEM_STATUSES and may_work(user, item)


def may_act_on_task(user, task) -> bool:
    """Start, assign, close a task: its group's members and manager, administrators."""
    if is_admin(user):
        return True
    return user.is_it and in_group(user, task.group_id)


def may_start_task(user, task) -> bool:
    return task.status == TaskStatus.OPEN and may_act_on_task(user, task)


def may_close_task(user, task) -> bool:
    return task.status in (TaskStatus.OPEN, TaskStatus.IN_PROGRESS) and may_act_on_task(user, task)


def may_edit_catalog_item(user, catalog_item=None) -> bool:
    """Administrators edit the catalog; an item's owner edits that item."""
    if is_admin(user):
        return True
    return catalog_item is not None and user.is_it and catalog_item.owner_id == user.pk


def may_create_catalog_item(user) -> bool:
    return is_admin(user)


def may_manage_recurring(user, recurring=None) -> bool:
    if is_admin(user):
        return True
    if not user.is_it:
        return False
    return recurring is None or recurring.created_by_id == user.pk


def may_keep_catalog(user) -> bool:
    """Who opens the catalog's administration: administrators, and the owners of catalog
    items (they edit their own)."""
    if is_admin(user):
        return True
    if not user.is_it:
        return False
    from steward.fulfilment.models import CatalogItem

    return CatalogItem.objects.filter(owner=user.pk).exists()


def item_actions(user, item) -> frozenset[str]:
    """What the pages offer on a requested item: ``comment`` (a public reply), ``note`` (an
    internal work note), ``attach``, ``cancel``, ``assign``."""
    actions = set()
    if may_cancel(user, item):
        actions.add("cancel")
    if may_assign_item(user, item):
        actions.add("assign")
    if may_comment(user, item, Visibility.PUBLIC):
        actions.add("comment")
        actions.add("attach")
    if is_staff(user) and may_comment(user, item, Visibility.INTERNAL):
        actions.add("note")
    return frozenset(actions)


def task_actions(user, task) -> frozenset[str]:
    """What the pages offer on a task: ``assign``, ``start``, ``close`` (complete or
    incomplete)."""
    actions = set()
    working = task.status in ACTIVE_TASK_STATUSES and task.status != TaskStatus.WAITING
    if working and may_act_on_task(user, task):
        actions.add("assign")
    if may_start_task(user, task):
        actions.add("start")
    if may_close_task(user, task):
        actions.add("close")
    return frozenset(actions)


allowed_actions = item_actions
