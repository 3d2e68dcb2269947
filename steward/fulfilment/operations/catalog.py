"""The catalog: categories and catalog items (their form, approval flow and task templates are
checked here, as data, before they are stored)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steward.core import journal
from steward.core.concurrency import save_versioned
from steward.core.errors import ValidationError
from steward.core.operations import full_clean, require_admin
from steward.fulfilment import form_schema, rules
from steward.fulfilment.choices import ApproverSource, CatalogAudience
from steward.fulfilment.models import CatalogCategory, CatalogItem
from steward.fulfilment.operations.common import (
    CATALOG_FIELDS,
    check_version,
    invalid,
    locked,
    refuse,
)
from steward.people.models import SupportGroup, User

CATEGORY_FIELDS = ["name", "description", "parent", "order", "is_active"]


def _clean_line(name: str, value, *, required: bool = True, limit: int = 200) -> str:
    value = (value or "").strip()
    if required and not value:
        raise invalid(name, _("Give it a name."), "must not be empty")
    if "\n" in value or "\r" in value:
        raise invalid(name, _("Keep it to one line."), "must be one line")
    if len(value) > limit:
        raise invalid(name, _("At most %(n)d characters.") % {"n": limit})
    return value


def _check_parent(category: CatalogCategory | None, parent: CatalogCategory | None) -> None:
    seen = set()
    node = parent
    while node is not None:
        if category is not None and node.pk == category.pk:
            raise invalid("parent", _("A category cannot sit inside itself."), "would make a cycle")
        if node.pk in seen:  # pragma: no cover - a cycle already stored
            break
        seen.add(node.pk)
        node = node.parent


@transaction.atomic
def create_category(
    actor,
    *,
    name: str,
    description: str = "",
    parent: CatalogCategory | None = None,
    order: int = 100,
    is_active: bool = True,
) -> CatalogCategory:
    """A new heading of the catalog (administrators)."""
    require_admin(actor, gettext_lazy("edit the catalog"))
    category = CatalogCategory(
        name=_clean_line("name", name),
        description=(description or "").strip(),
        parent=parent,
        order=order,
        is_active=is_active,
    )
    _check_parent(None, parent)
    full_clean(category)
    category.save()
    journal.record(
        actor,
        category,
        "created",
        {f: [None, v] for f, v in journal.snapshot(category, CATEGORY_FIELDS).items() if v != ""},
    )
    return category


@transaction.atomic
def update_category(actor, category: CatalogCategory, **changes) -> CatalogCategory:
    """Rename, move, reorder, describe, or (de)activate a category (administrators)."""
    require_admin(actor, gettext_lazy("edit the catalog"))
    changes.pop("version", None)  # categories are not versioned
    unknown = set(changes) - set(CATEGORY_FIELDS)
    if unknown:
        raise invalid(sorted(unknown)[0], _("This cannot be changed here."), "unknown field")
    category = locked(category)
    before = journal.snapshot(category, CATEGORY_FIELDS)
    if "name" in changes:
        changes["name"] = _clean_line("name", changes["name"])
    if "description" in changes:
        changes["description"] = (changes["description"] or "").strip()
    if "parent" in changes:
        _check_parent(category, changes["parent"])
    for k, v in changes.items():
        setattr(category, k, v)
    full_clean(category)
    category.save()
    diff = journal.diff(before, journal.snapshot(category, CATEGORY_FIELDS))
    if diff:
        journal.record(actor, category, "updated", diff)
    return category


# --- catalog items -------------------------------------------------------------------------------


def _check_definitions(form, approval_flow, task_templates) -> tuple[list, list, list]:
    """The three JSON lists, parsed and checked against the database (groups and people named
    exist and are active); raises ValidationError naming ``form[i].x`` etc."""
    problems: dict[str, list[str]] = {}
    parsed_form: list = []
    try:
        parsed_form = form_schema.parse_form(list(form or []))
    except ValidationError as exc:
        problems.update(exc.fields)
    steps: list = []
    try:
        steps = form_schema.parse_flow(list(approval_flow or []), parsed_form)
    except ValidationError as exc:
        problems.update(exc.fields)
    tasks: list = []
    try:
        tasks = form_schema.parse_tasks(list(task_templates or []))
    except ValidationError as exc:
        problems.update(exc.fields)
    group_ids = {s.group for s in steps if s.group} | {t.group for t in tasks}
    groups = set(
        SupportGroup.objects.filter(pk__in=group_ids, is_active=True).values_list("pk", flat=True)
    )
    user_ids = {s.user for s in steps if s.user}
    users = set(User.objects.filter(pk__in=user_ids, is_active=True).values_list("pk", flat=True))
    for i, s in enumerate(steps):
        if s.approver == ApproverSource.GROUP and s.group not in groups:
            problems.setdefault(f"approval_flow[{i}].group", []).append(
                _("no active support group has this id")
            )
        if s.approver == ApproverSource.USER and s.user not in users:
            problems.setdefault(f"approval_flow[{i}].user", []).append(
                _("no active person has this id")
            )
    for i, t in enumerate(tasks):
        if t.group not in groups:
            problems.setdefault(f"task_templates[{i}].group", []).append(
                _("no active support group has this id")
            )
    if problems:
        first = next(iter(problems))
        raise ValidationError(
            _("The catalog item is not valid: %(field)s: %(problem)s")
            % {"field": first, "problem": problems[first][0]},
            problems,
        )
    return (
        form_schema.dump(parsed_form),
        form_schema.dump(steps),
        form_schema.dump(tasks),
    )


def _check_refs(item: CatalogItem) -> None:
    if item.fulfilment_group_id and not item.fulfilment_group.is_active:
        raise invalid(
            "fulfilment_group",
            _("%(group)s is no longer active: choose another group.")
            % {"group": item.fulfilment_group.name},
            "inactive group",
        )
    if item.owner_id and not item.owner.is_active:
        raise invalid("owner", _("The owner's account is inactive."), "inactive user")
    if item.owner_id and not item.owner.is_it:
        raise invalid("owner", _("The owner works in IT."), "not IT staff")


def _set_audience(item: CatalogItem, organizations, groups) -> None:
    if organizations is not None:
        item.organizations.set(organizations)
    if groups is not None:
        item.groups.set(groups)


def _audience_snapshot(item: CatalogItem) -> dict:
    return {
        "organizations": sorted(o.name for o in item.organizations.all()),
        "groups": sorted(g.name for g in item.groups.all()),
    }


@transaction.atomic
def create_catalog_item(
    actor,
    *,
    name: str,
    service,
    category: CatalogCategory,
    fulfilment_group: SupportGroup,
    summary: str = "",
    description: str = "",
    audience: str = CatalogAudience.EVERYONE,
    organizations=(),
    groups=(),
    form=(),
    approval_flow=(),
    task_templates=(),
    target_hours: int | None = None,
    is_active: bool = True,
    owner: User | None = None,
) -> CatalogItem:
    """A new catalog item (administrators)."""
    if not rules.may_create_catalog_item(actor):
        raise refuse(_("Only administrators add items to the catalog."), "user")
    form_json, flow_json, tasks_json = _check_definitions(form, approval_flow, task_templates)
    item = CatalogItem(
        name=_clean_line("name", name),
        summary=_clean_line("summary", summary, required=False, limit=300),
        description=(description or "").strip(),
        service=service,
        category=category,
        audience=audience,
        form=form_json,
        approval_flow=flow_json,
        task_templates=tasks_json,
        fulfilment_group=fulfilment_group,
        target_hours=target_hours,
        is_active=is_active,
        owner=owner,
    )
    full_clean(item)
    _check_refs(item)
    item.save()
    _set_audience(item, organizations, groups)
    snapshot = journal.snapshot(item, CATALOG_FIELDS) | _audience_snapshot(item)
    journal.record(
        actor,
        item,
        "created",
        {f: [None, v] for f, v in snapshot.items() if v not in ("", None, [], {})},
    )
    return item


UPDATABLE = {
    "name",
    "summary",
    "description",
    "service",
    "category",
    "audience",
    "organizations",
    "groups",
    "form",
    "approval_flow",
    "task_templates",
    "fulfilment_group",
    "target_hours",
    "is_active",
    "owner",
}


@transaction.atomic
def update_catalog_item(actor, item: CatalogItem, *, version=None, **changes) -> CatalogItem:
    """Change a catalog item (administrators, and its owner). Items already ordered keep the
    answers, approvals and tasks they were ordered with."""
    unknown = set(changes) - UPDATABLE
    if unknown:
        raise invalid(sorted(unknown)[0], _("This cannot be changed here."), "unknown field")
    if not rules.may_edit_catalog_item(actor, item):
        raise refuse(_("Only administrators and the item's owner edit it."), "user")
    new_owner = changes.get("owner", item.owner)
    if actor is not None and not actor.is_admin and getattr(new_owner, "pk", None) != item.owner_id:
        raise refuse(_("Only administrators name an item's owner."), "owner")
    item = locked(item)
    check_version(item, version)
    before = journal.snapshot(item, CATALOG_FIELDS) | _audience_snapshot(item)
    if {"form", "approval_flow", "task_templates"} & set(changes):
        form_json, flow_json, tasks_json = _check_definitions(
            changes.get("form", item.form),
            changes.get("approval_flow", item.approval_flow),
            changes.get("task_templates", item.task_templates),
        )
        changes["form"], changes["approval_flow"], changes["task_templates"] = (
            form_json,
            flow_json,
            tasks_json,
        )
    if "name" in changes:
        changes["name"] = _clean_line("name", changes["name"])
    if "summary" in changes:
        changes["summary"] = _clean_line("summary", changes["summary"], required=False, limit=300)
    if "description" in changes:
        changes["description"] = (changes["description"] or "").strip()
    organizations = changes.pop("organizations", None)
    groups = changes.pop("groups", None)
    for k, v in changes.items():
        setattr(item, k, v)
    full_clean(item)
    _check_refs(item)
    save_versioned(item, version, [*changes])
    _set_audience(item, organizations, groups)
    after = journal.snapshot(item, CATALOG_FIELDS) | _audience_snapshot(item)
    diff = journal.diff(before, after)
    if diff:
        journal.record(actor, item, "updated", diff)
    return item
