"""Domain operations of the incidents app: the only code that writes incidents, comments,
watchers and handovers. Each runs in one transaction, authorizes, and writes the journal."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from steward.core import journal
from steward.core.concurrency import save_versioned
from steward.core.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    StaleVersion,
    ValidationError,
)
from steward.core.numbering import next_number, reserve
from steward.core.operations import full_clean, require, require_admin
from steward.incidents import sla
from steward.incidents.choices import (
    ACTIVE_STATUSES,
    HandoverStatus,
    Level,
    Priority,
    Status,
    Visibility,
)
from steward.incidents.models import (
    Attachment,
    Comment,
    FollowUpAction,
    Handover,
    Incident,
    IncidentCategory,
    MajorIncident,
    PostIncidentReview,
    PriorityMatrix,
    SavedView,
    StakeholderUpdate,
    Watcher,
)
from steward.incidents.workflow import INCIDENT, REOPEN
from steward.notifications.operations import notify
from steward.people.models import SupportGroup, User
from steward.services import operations as service_ops
from steward.services.choices import SupportLine
from steward.services.impact import propose_service
from steward.services.models import ConfigurationItem, Service, ServiceSupport
from steward.slm import operations as slm_ops

SERVICE_DESK = "Service Desk"
FIELDS = [
    "title",
    "description",
    "caller",
    "service",
    "affected_ci",
    "category",
    "subcategory",
    "impact",
    "urgency",
    "priority",
    "status",
    "owning_group",
    "assignee",
]
EDITABLE = {
    "title",
    "description",
    "service",
    "affected_ci",
    "category",
    "subcategory",
    "impact",
    "urgency",
    "priority",
    "assignee",
}


def link(incident: Incident) -> str:
    return f"/incidents/{incident.number}/"


def _require_it(actor, what: str) -> None:
    if actor is not None and not actor.is_it:
        raise PermissionDenied(f"Only IT staff may {what}.")


def _is_member(user, group: SupportGroup) -> bool:
    return group.manager_id == user.pk or group.members.filter(pk=user.pk, is_active=True).exists()


def _locked(incident: Incident) -> Incident:
    """Re-read the incident under a row lock (PostgreSQL; SQLite's write lock serializes)."""
    fresh = Incident.objects.select_for_update().get(pk=incident.pk)
    for f in Incident._meta.concrete_fields:
        setattr(incident, f.attname, getattr(fresh, f.attname))
    for name in ("owning_group", "assignee", "caller", "service", "parent"):
        field = Incident._meta.get_field(name)
        if field.is_cached(incident):
            cached = field.get_cached_value(incident)
            if getattr(cached, "pk", None) != getattr(incident, field.attname):
                field.delete_cached_value(incident)
    return incident


FINAL_STATUSES = frozenset({Status.CLOSED, Status.CANCELLED})


def _require_not_final(incident: Incident) -> None:
    if incident.status in FINAL_STATUSES:
        raise Conflict(
            f"{incident.number} is {incident.status}: it can no longer be changed.",
            {"status": [f"is {incident.status}"]},
        )


def _check_level(name: str, value) -> None:
    if value not in Level.values:
        raise ValidationError.field(name, "must be 1 (high), 2 (medium) or 3 (low)")


# --- priority ---------------------------------------------------------------------------------


def priority_for(impact: int, urgency: int) -> int:
    """The priority the matrix gives; the ITIL default (impact + urgency - 1) if a cell is
    missing."""
    _check_level("impact", impact)
    _check_level("urgency", urgency)
    cell = PriorityMatrix.objects.filter(impact=impact, urgency=urgency).first()
    return cell.priority if cell else impact + urgency - 1


@transaction.atomic
def set_priority_cell(actor, *, impact: int, urgency: int, priority: int) -> PriorityMatrix:
    """Change one cell of the priority matrix (administrators)."""
    require_admin(actor, "edit the priority matrix")
    _check_level("impact", impact)
    _check_level("urgency", urgency)
    if priority not in Priority.values:
        raise ValidationError.field("priority", "must be 1 to 5")
    cell, _ = PriorityMatrix.objects.get_or_create(
        impact=impact, urgency=urgency, defaults={"priority": priority}
    )
    before = cell.priority
    if before != priority:
        PriorityMatrix.objects.filter(pk=cell.pk).update(priority=priority)
        cell.priority = priority
    journal.record(actor, cell, "updated", {"priority": [before, priority]})
    return cell


# --- routing and settings (admin data) --------------------------------------------------------


@transaction.atomic
def set_first_line_group(actor, service: Service, group: SupportGroup | None) -> None:
    """Route new incidents about ``service`` to ``group`` (``None`` removes the routing): the
    service's first-line support group in the portfolio."""
    require_admin(actor, "route services to groups")
    service_ops.set_support(actor, service, SupportLine.FIRST, [group] if group else [])


@transaction.atomic
def set_handover_target(actor, group: SupportGroup, minutes: int):
    """The group's handover acceptance target: its OLA's, counted in business time on the
    group's calendar (administrators or the group's manager)."""
    if not isinstance(minutes, int) or minutes < 1:
        raise ValidationError.field("handover_target_minutes", "must be a positive number")
    return slm_ops.set_ola(actor, group, handover_acceptance_seconds=minutes * 60)


@transaction.atomic
def create_category(actor, *, name: str, parent: IncidentCategory | None = None):
    require_admin(actor, "manage incident categories")
    row = IncidentCategory(name=name, parent=parent)
    full_clean(row)
    row.save()
    journal.record(actor, row, "created", {"name": [None, name], "parent": [None, parent]})
    return row


def _route(owning_group: SupportGroup | None, service: Service | None) -> SupportGroup:
    if owning_group is not None:
        if not owning_group.is_active:
            raise ValidationError.field("owning_group", f"group {owning_group.name!r} is inactive")
        return owning_group
    if service is not None:
        first_line = (
            ServiceSupport.objects.select_related("group")
            .filter(service=service, line=SupportLine.FIRST, group__is_active=True)
            .order_by("group__name")
            .first()
        )
        if first_line:
            return first_line.group
    desk = SupportGroup.objects.filter(name=SERVICE_DESK, is_active=True).first()
    if desk is None:
        raise ValidationError.field(
            "owning_group",
            f"required: the service has no first-line group and there is no active "
            f"{SERVICE_DESK!r} group to route to",
        )
    return desk


def _check_categories(category, subcategory) -> None:
    if category is not None and (category.parent_id is not None or not category.is_active):
        raise ValidationError.field("category", "must be an active top-level category")
    if subcategory is not None and (
        category is None or subcategory.parent_id != category.pk or not subcategory.is_active
    ):
        raise ValidationError.field("subcategory", "must be an active subcategory of category")


# --- incidents --------------------------------------------------------------------------------


@transaction.atomic
def open_incident(
    actor,
    *,
    title: str,
    caller: User,
    impact: int,
    urgency: int,
    description: str = "",
    service: Service | None = None,
    owning_group: SupportGroup | None = None,
    category: IncidentCategory | None = None,
    subcategory: IncidentCategory | None = None,
    parent: Incident | None = None,
    affected_ci: ConfigurationItem | None = None,
) -> Incident:
    """Raise an incident. IT staff raise them for anyone; a requester only for themselves.
    An affected CI without a service proposes the service the CI delivers (or affects)."""
    if actor is None or actor.is_it:
        pass
    elif caller.pk != actor.pk:
        raise PermissionDenied(
            "Requesters may raise incidents only for themselves.",
            {"caller": ["must be yourself"]},
        )
    elif owning_group is not None or parent is not None:
        field = "owning_group" if owning_group is not None else "parent"
        raise PermissionDenied(f"Only IT staff may set {field}.", {field: ["IT staff only"]})
    if not caller.is_active:
        raise ValidationError.field("caller", f"user {caller.username!r} is inactive")
    _check_level("impact", impact)
    _check_level("urgency", urgency)
    _check_categories(category, subcategory)
    if affected_ci is not None and service is None:
        service = propose_service(affected_ci)
    group = _route(owning_group, service)
    incident = Incident(
        title=title,
        description=description,
        caller=caller,
        organization_id=caller.organization_id,
        service=service,
        category=category,
        subcategory=subcategory,
        impact=impact,
        urgency=urgency,
        priority=priority_for(impact, urgency),
        owning_group=group,
        parent=parent,
        affected_ci=affected_ci,
        number="INC",
    )
    # status is "new", levels were checked and the priority comes from the matrix: the table's
    # check constraints hold by construction (and the database enforces them regardless)
    full_clean(incident, exclude=["number"], constraints=False)
    incident.number = next_number("INC")
    incident.save()
    journal.record(
        actor,
        incident,
        "created",
        {f: [None, v] for f, v in journal.snapshot(incident, FIELDS).items() if v not in ("", None)}
        | {"number": [None, incident.number]},
    )
    members = list(group.members.filter(is_active=True))
    if members:
        notify(
            actor,
            members,
            subject=f"New incident {incident.number} for {group.name}: {incident.title}",
            body=f"P{incident.priority} · {incident.title}",
            link=link(incident),
            record=incident,
        )
    sla.feed(incident)
    sla.group_took_ownership(incident, group)
    return incident


def _assign(actor, incident: Incident, assignee: User | None) -> None:
    if assignee is not None:
        if not assignee.is_active:
            raise ValidationError.field("assignee", f"user {assignee.username!r} is inactive")
        if not incident.owning_group.members.filter(pk=assignee.pk).exists():
            raise ValidationError.field(
                "assignee",
                f"{assignee.username!r} is not a member of the owning group "
                f"{incident.owning_group.name!r}; hand the incident over instead",
            )
    incident.assignee = assignee


@transaction.atomic
def update_incident(
    actor,
    incident: Incident,
    *,
    version: int | None,
    priority_reason: str = "",
    **changes,
) -> Incident:
    """Change fields of an incident. A priority other than the matrix's needs a reason."""
    require(actor, "change", incident)
    _require_not_final(incident)
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ValidationError(
            f"Unknown fields {sorted(unknown)}", {k: ["unknown field"] for k in sorted(unknown)}
        )
    before = journal.snapshot(incident, FIELDS)
    for name in ("impact", "urgency"):
        if name in changes:
            _check_level(name, changes[name])
    if (
        changes.get("affected_ci") is not None
        and "service" not in changes
        and not incident.service_id
    ):
        changes["service"] = propose_service(changes["affected_ci"])
    for name, value in changes.items():
        if name != "assignee":
            setattr(incident, name, value)
    if "category" in changes or "subcategory" in changes:
        _check_categories(incident.category, incident.subcategory)
    if "assignee" in changes:
        _assign(actor, incident, changes["assignee"])
    matrix = priority_for(incident.impact, incident.urgency)
    override = "priority" in changes and changes["priority"] != matrix
    comment = ""
    if override:
        if changes["priority"] not in Priority.values:
            raise ValidationError.field("priority", "must be 1 to 5")
        if not (priority_reason or "").strip():
            raise ValidationError.field(
                "priority_reason",
                f"required to set priority P{changes['priority']} instead of the matrix's "
                f"P{matrix}",
            )
        incident.priority_overridden = True
        comment = f"Priority overridden: {priority_reason.strip()}"
    elif "priority" in changes:
        incident.priority_overridden = False
    elif not incident.priority_overridden:
        incident.priority = matrix
    full_clean(incident)
    fields = [*changes, "priority", "priority_overridden"]
    save_versioned(incident, version, list(dict.fromkeys(fields)))
    after = journal.snapshot(incident, FIELDS)
    diff = journal.diff(before, after)
    if diff or comment:
        journal.record(actor, incident, "updated", diff, comment=comment)
    if "assignee" in diff and incident.assignee:
        _tell_assignee(actor, incident)
    if "priority" in diff or "service" in diff:
        sla.feed(incident)
    return incident


def _tell_assignee(actor, incident: Incident) -> None:
    notify(
        actor,
        [incident.assignee],
        subject=f"{incident.number} is assigned to you: {incident.title}",
        body=f"P{incident.priority} · {incident.owning_group.name}",
        link=link(incident),
        record=incident,
    )


@transaction.atomic
def assign(actor, incident: Incident, assignee: User | None, version: int | None = None):
    """Assign within the owning group (moving to another group is a handover)."""
    require(actor, "change", incident)
    _locked(incident)
    _require_not_final(incident)
    before = incident.assignee
    _assign(actor, incident, assignee)
    save_versioned(incident, version, ["assignee"])
    journal.record(actor, incident, "assigned", {"assignee": [before, assignee]})
    if assignee is not None:
        _tell_assignee(actor, incident)
    return incident


@transaction.atomic
def transition(
    actor,
    incident: Incident,
    to: str,
    *,
    resolution_code: str = "",
    resolution_notes: str = "",
    hold_reason: str = "",
    comment: str = "",
    version: int | None = None,
) -> Incident:
    """Move an incident through its lifecycle (see workflow.INCIDENT)."""
    if actor is not None and not actor.is_it:
        require(actor, "view", incident)
        if (incident.status, to) != REOPEN or incident.caller_id != actor.pk:
            raise PermissionDenied(
                "Callers may only reopen their own resolved incidents.",
                {"to": ["callers may only reopen a resolved incident"]},
            )
    else:
        require(actor, "change", incident)
    _locked(incident)
    if version is not None and version != incident.version:
        raise StaleVersion(version, incident.version)
    current = incident.status
    INCIDENT.check(
        current,
        to,
        resolution_code=resolution_code,
        resolution_notes=resolution_notes,
        hold_reason=hold_reason,
        incident=incident,
    )
    before = journal.snapshot(incident, ["status", "hold_reason", "resolution_code"])
    now = timezone.now()
    fields = ["status", "hold_reason"]
    incident.status = to
    incident.hold_reason = hold_reason if to == Status.ON_HOLD else ""
    action = "status_changed"
    if to == Status.RESOLVED:
        incident.resolution_code = resolution_code
        incident.resolution_notes = resolution_notes.strip()
        incident.resolved_at = now
        fields += ["resolution_code", "resolution_notes", "resolved_at"]
    elif (current, to) == REOPEN:
        incident.reopen_count += 1
        incident.resolution_code = ""
        incident.resolution_notes = ""
        incident.resolved_at = None
        fields += ["reopen_count", "resolution_code", "resolution_notes", "resolved_at"]
        action = "reopened"
    elif to == Status.CLOSED:
        incident.closed_at = now
        fields.append("closed_at")
    save_versioned(incident, None, fields)
    changes = journal.diff(
        before, journal.snapshot(incident, ["status", "hold_reason", "resolution_code"])
    )
    if action == "reopened":
        changes["reopen_count"] = [incident.reopen_count - 1, incident.reopen_count]
    text = comment
    if to == Status.RESOLVED:
        text = incident.resolution_notes
    journal.record(actor, incident, action, changes, comment=text)
    sla.feed(incident, responded=to == Status.IN_PROGRESS)
    if to == Status.RESOLVED:
        _resolve_children(actor, incident)
    if to in (Status.RESOLVED, Status.CLOSED, Status.CANCELLED) or action == "reopened":
        recipients = [incident.caller, *_watchers(incident)]
        if action == "reopened" and incident.assignee:
            recipients.append(incident.assignee)
        notify(
            actor,
            recipients,
            subject=f"{incident.number} is {incident.get_status_display().lower()}: "
            f"{incident.title}",
            body=incident.resolution_notes if to == Status.RESOLVED else comment,
            link=link(incident),
            record=incident,
        )
    return incident


def _resolve_children(actor, parent: Incident) -> None:
    """Resolving a parent resolves its open children with the parent's resolution."""
    children = Incident.objects.filter(parent=parent, status__in=ACTIVE_STATUSES).order_by("id")
    for child in children:
        _locked(child)
        before = journal.snapshot(child, ["status", "hold_reason", "resolution_code"])
        child.status = Status.RESOLVED
        child.hold_reason = ""
        child.resolution_code = parent.resolution_code
        child.resolution_notes = parent.resolution_notes
        child.resolved_at = parent.resolved_at
        save_versioned(
            child,
            None,
            ["status", "hold_reason", "resolution_code", "resolution_notes", "resolved_at"],
        )
        after = journal.snapshot(child, ["status", "hold_reason", "resolution_code"])
        journal.record(
            actor,
            child,
            "status_changed",
            journal.diff(before, after),
            comment=f"Resolved with parent {parent.number}: {parent.resolution_notes}",
        )
        sla.feed(child)
        notify(
            actor,
            [child.caller, *_watchers(child)],
            subject=f"{child.number} is resolved: {child.title}",
            body=parent.resolution_notes,
            link=link(child),
            record=child,
        )


@transaction.atomic
def link_parent(
    actor, incident: Incident, parent: Incident | None, version: int | None = None
) -> Incident:
    """Put ``incident`` under ``parent`` (``None`` unlinks it). One level only."""
    require(actor, "change", incident)
    if parent is not None:
        if parent.pk == incident.pk:
            raise ValidationError.field("parent", "an incident cannot be its own parent")
        if parent.parent_id is not None or incident.children.exists():
            raise ValidationError.field("parent", "parents and children are one level deep")
    before = incident.parent
    incident.parent = parent
    save_versioned(incident, version, ["parent"])
    journal.record(actor, incident, "parent_set", {"parent": [before, parent]})
    return incident


@transaction.atomic
def close_resolved(older_than) -> int:
    """Close incidents resolved before ``older_than`` (the periodic job calls this)."""
    rows = Incident.objects.filter(status=Status.RESOLVED, resolved_at__lt=older_than).exclude(
        major__isnull=False, major__review__isnull=True
    )
    closed = 0
    for pk in rows.values_list("pk", flat=True)[:500]:
        incident = Incident.objects.select_for_update().get(pk=pk)
        if incident.status != Status.RESOLVED:
            continue
        try:
            with transaction.atomic():
                transition(None, incident, Status.CLOSED, comment="Closed automatically")
        except ValidationError:
            continue  # a major incident still waiting for its review
        closed += 1
    return closed


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


def _may_see(user: User, incident: Incident) -> bool:
    """Whether ``user`` may read ``incident`` (the rule of Incident.permission_filter, in
    memory, so a mention never tells anyone about an incident they cannot see)."""
    if user.is_it:
        return True
    return user.pk == incident.caller_id or (
        user.organization_id is not None and user.organization_id == incident.organization_id
    )


def _watchers(incident: Incident) -> list[User]:
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
    if actor is not None and not actor.is_it:
        require(actor, "view", incident)
        if visibility != Visibility.PUBLIC:
            raise PermissionDenied(
                "Requesters may only add replies.", {"visibility": ["requesters may only reply"]}
            )
        if time_spent:
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
        for u in [incident.caller, *_watchers(incident)]:
            recipients.setdefault(u.pk, u)
        if incident.assignee_id:
            recipients.setdefault(incident.assignee_id, incident.assignee)
    else:
        # a work note is internal: only IT staff hear of it, however they were named
        for u in _watchers(incident):
            recipients.setdefault(u.pk, u)
        recipients = {pk: u for pk, u in recipients.items() if u.is_it}
    recipients = {pk: u for pk, u in recipients.items() if _may_see(u, incident)}
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
    if actor is not None and not actor.is_it and actor.pk != user.pk:
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
    if actor is not None and not actor.is_it and actor.pk != user.pk:
        raise PermissionDenied("Requesters may only stop watching themselves.")
    require(actor, "view", incident)
    deleted, _ = Watcher.objects.filter(incident=incident, user=user).delete()
    if deleted:
        journal.record(actor, incident, "watcher_removed", {"watchers": [user, None]})


# --- handovers --------------------------------------------------------------------------------


@transaction.atomic
def hand_over(
    actor, incident: Incident, *, to_group: SupportGroup, reason: str, note: str = ""
) -> Handover:
    """Ask ``to_group`` to take the incident. Ownership stays with the sender until accepted."""
    require(actor, "change", incident)
    _locked(incident)
    if incident.status not in ACTIVE_STATUSES:
        raise Conflict(
            f"{incident.number} is {incident.status}: only open incidents can be handed over.",
            {"incident": [f"is {incident.status}"]},
        )
    if to_group.pk == incident.owning_group_id:
        raise ValidationError.field(
            "to_group",
            "is already the owning group: assigning within a group is not a handover",
        )
    if not to_group.is_active:
        raise ValidationError.field("to_group", f"group {to_group.name!r} is inactive")
    if not (reason or "").strip():
        raise ValidationError.field("reason", "required")
    pending = Handover.objects.filter(incident=incident, status=HandoverStatus.PENDING).first()
    if pending:
        raise Conflict(
            f"{incident.number} already has a pending handover (#{pending.pk}) to "
            f"{pending.to_group.name}; it must be accepted, rejected or cancelled first.",
            {"to_group": [f"handover #{pending.pk} is still pending"]},
        )
    handover = Handover(
        incident=incident,
        from_group=incident.owning_group,
        to_group=to_group,
        reason=reason.strip(),
        note=(note or "").strip(),
        requested_by=actor if getattr(actor, "pk", None) else None,
    )
    full_clean(handover, exclude=["incident", "from_group", "to_group"])
    try:
        with transaction.atomic():
            handover.save()
    except IntegrityError as exc:
        raise Conflict(
            f"{incident.number} already has a pending handover.",
            {"to_group": ["another handover is pending"]},
        ) from exc
    journal.record(
        actor,
        incident,
        "handover_requested",
        {"to_group": [None, to_group]},
        comment=f"Reason: {handover.reason}"
        + (f" — already tried: {handover.note}" if handover.note else ""),
    )
    recipients = list(to_group.members.filter(is_active=True))
    if to_group.manager:
        recipients.append(to_group.manager)
    notify(
        actor,
        recipients,
        subject=f"Handover to {to_group.name}: {incident.number} {incident.title}",
        body=f"From {handover.from_group.name}: {handover.reason}\n\n{handover.note}",
        link=link(incident),
        record=incident,
    )
    sla.handover_requested(incident, to_group)
    return handover


def _pending(handover: Handover) -> Handover:
    fresh = Handover.objects.select_for_update().filter(pk=handover.pk).first()
    if fresh is None:
        raise NotFound("Handover not found.")
    if fresh.status != HandoverStatus.PENDING:
        raise Conflict(
            f"Handover #{fresh.pk} is already {fresh.status}.",
            {"status": [f"is {fresh.status}, not pending"]},
        )
    return fresh


def _require_receiver(actor, handover: Handover, what: str) -> None:
    if actor is None:
        return
    if not actor.is_it:
        raise NotFound("Handover not found.")
    if not _is_member(actor, handover.to_group):
        raise PermissionDenied(
            f"Only members of {handover.to_group.name} may {what} this handover."
        )


@transaction.atomic
def accept_handover(actor, handover: Handover, *, take_assignment: bool = False) -> Handover:
    """A member of the receiving group accepts: ownership moves, and the acceptor may take the
    assignment."""
    handover = _pending(handover)
    _require_receiver(actor, handover, "accept")
    incident = _locked(handover.incident)
    if incident.status not in ACTIVE_STATUSES:
        raise Conflict(
            f"{incident.number} is {incident.status}; the handover can only be cancelled.",
            {"status": [f"incident is {incident.status}"]},
        )
    now = timezone.now()
    before = journal.snapshot(incident, ["owning_group", "assignee"])
    incident.owning_group = handover.to_group
    if take_assignment:
        if actor is None:
            raise ValidationError.field("take_assignment", "the system cannot take assignments")
        if not handover.to_group.members.filter(pk=actor.pk).exists():
            raise ValidationError.field(
                "take_assignment", f"you are not a member of {handover.to_group.name}"
            )
        incident.assignee = actor
    else:
        incident.assignee = None
    save_versioned(incident, None, ["owning_group", "assignee"])
    Handover.objects.filter(pk=handover.pk).update(
        status=HandoverStatus.ACCEPTED, decided_by=actor, decided_at=now
    )
    handover.status, handover.decided_by, handover.decided_at = HandoverStatus.ACCEPTED, actor, now
    journal.record(actor, handover, "accepted", {"status": ["pending", "accepted"]})
    journal.record(
        actor,
        incident,
        "handover_accepted",
        journal.diff(before, journal.snapshot(incident, ["owning_group", "assignee"])),
        comment=f"Handover from {handover.from_group.name} accepted",
    )
    recipients = [u for u in (handover.requested_by,) if u is not None]
    notify(
        actor,
        recipients,
        subject=f"{handover.to_group.name} accepted {incident.number}: {incident.title}",
        body=f"Accepted by {actor.display_name if actor else 'the system'}.",
        link=link(incident),
        record=incident,
    )
    sla.handover_decided(incident, handover.to_group)
    sla.group_released(incident, handover.from_group)
    sla.group_took_ownership(incident, handover.to_group)
    return handover


@transaction.atomic
def reject_handover(actor, handover: Handover, *, reason: str) -> Handover:
    """A member of the receiving group rejects with a reason; the sender is told why."""
    handover = _pending(handover)
    _require_receiver(actor, handover, "reject")
    if not (reason or "").strip():
        raise ValidationError.field("reason", "required: tell the sending group why")
    now = timezone.now()
    Handover.objects.filter(pk=handover.pk).update(
        status=HandoverStatus.REJECTED,
        decided_by=actor,
        decided_at=now,
        rejection_reason=reason.strip(),
    )
    handover.status, handover.decided_by, handover.decided_at = HandoverStatus.REJECTED, actor, now
    handover.rejection_reason = reason.strip()
    journal.record(actor, handover, "rejected", {"status": ["pending", "rejected"]}, reason)
    incident = handover.incident
    journal.record(
        actor,
        incident,
        "handover_rejected",
        {"to_group": [handover.to_group, None]},
        comment=f"Rejected by {handover.to_group.name}: {handover.rejection_reason}",
    )
    recipients = []
    if handover.requested_by:
        recipients.append(handover.requested_by)
    if handover.from_group.manager:
        recipients.append(handover.from_group.manager)
    notify(
        actor,
        recipients,
        subject=f"{handover.to_group.name} rejected {incident.number}: {incident.title}",
        body=f"Reason: {handover.rejection_reason}",
        link=link(incident),
        record=incident,
    )
    sla.handover_decided(handover.incident, handover.to_group)
    return handover


@transaction.atomic
def cancel_handover(actor, handover: Handover) -> Handover:
    """The sender withdraws a pending handover."""
    handover = _pending(handover)
    if actor is not None:
        if not actor.is_it:
            raise NotFound("Handover not found.")
        if actor.pk != handover.requested_by_id and not _is_member(actor, handover.from_group):
            raise PermissionDenied(
                f"Only the requester or members of {handover.from_group.name} may cancel it."
            )
    now = timezone.now()
    Handover.objects.filter(pk=handover.pk).update(
        status=HandoverStatus.CANCELLED, decided_by=actor, decided_at=now
    )
    handover.status, handover.decided_by, handover.decided_at = HandoverStatus.CANCELLED, actor, now
    journal.record(actor, handover, "cancelled", {"status": ["pending", "cancelled"]})
    journal.record(
        actor,
        handover.incident,
        "handover_cancelled",
        {"to_group": [handover.to_group, None]},
        comment="Handover withdrawn",
    )
    sla.handover_decided(handover.incident, handover.to_group)
    return handover


def groups_of(user) -> Iterable[int]:
    return SupportGroup.objects.filter(Q(members=user) | Q(manager=user)).values("pk")


def overdue_handovers(now=None) -> list[Handover]:
    """Pending handovers past the receiving group's acceptance target (the OLA's, in business
    time, where the group has one; else the default target)."""
    now = now or timezone.now()
    pending = list(
        Handover.objects.filter(status=HandoverStatus.PENDING)
        .select_related("incident", "to_group__manager", "from_group")
        .order_by("created_at")
    )
    due = sla.acceptance_due(pending)
    return [h for h in pending if now > due[h.pk][0]]


@transaction.atomic
def notify_overdue_handovers(now=None) -> int:
    """Tell each receiving group's manager (or, without one, its members) once about each
    handover past target. Idempotent: a handover already notified is skipped."""
    now = now or timezone.now()
    told = 0
    overdue = overdue_handovers(now)
    kept_by_ola = {pk for pk, (_, ola) in sla.acceptance_due(overdue).items() if ola}
    for h in overdue:
        if h.pk in kept_by_ola:
            continue  # slm escalates OLA breaches (once, to the manager) in business time
        claimed = Handover.objects.filter(pk=h.pk, overdue_notified_at__isnull=True).update(
            overdue_notified_at=now
        )
        if not claimed:
            continue
        group = h.to_group
        recipients = [group.manager] if group.manager else list(group.members.all())
        notify(
            None,
            recipients,
            subject=f"Handover waiting: {h.incident.number} to {group.name} is past its target",
            body=f"From {h.from_group.name}, requested {h.created_at:%Y-%m-%d %H:%M} UTC: "
            f"{h.reason}",
            link=link(h.incident),
            record=h.incident,
        )
        journal.record(None, h, "overdue_notified", {"overdue_notified_at": [None, now]})
        told += 1
    return told


def auto_close_days() -> int:
    return settings.STEWARD_INCIDENT_AUTO_CLOSE_DAYS


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
    if actor is not None and not actor.is_it:
        require(actor, "view", incident)
        if visibility != Visibility.PUBLIC:
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


# --- major incidents --------------------------------------------------------------------------

MAJOR_ROLES = {"group_manager", "admin"}


def _require_major_role(actor, what: str) -> None:
    if actor is not None and not (actor.is_admin or actor.roles & MAJOR_ROLES):
        raise PermissionDenied(f"Only group managers and administrators may {what}.")


def _major(incident: Incident) -> MajorIncident:
    major = MajorIncident.objects.filter(incident=incident).first()
    if major is None:
        raise NotFound(f"{incident.number} is not a major incident.")
    return major


@transaction.atomic
def declare_major(actor, incident: Incident, *, reason: str, manager: User) -> MajorIncident:
    """Declare an incident major (reason required) with a major-incident manager."""
    require(actor, "change", incident)
    _require_major_role(actor, "declare major incidents")
    _locked(incident)
    if incident.status not in ACTIVE_STATUSES:
        raise Conflict(
            f"{incident.number} is {incident.status}; only open incidents can be declared major.",
            {"incident": [f"is {incident.status}"]},
        )
    if MajorIncident.objects.filter(incident=incident).exists():
        raise Conflict(f"{incident.number} is already a major incident.", {"incident": ["major"]})
    if not (reason or "").strip():
        raise ValidationError.field("reason", "required")
    if not manager.is_active or not manager.is_it:
        raise ValidationError.field("manager", "must be an active member of IT staff")
    major = MajorIncident.objects.create(
        incident=incident,
        reason=reason.strip(),
        manager=manager,
        declared_by=actor if getattr(actor, "pk", None) else None,
    )
    journal.record(
        actor, incident, "declared_major", {"major_manager": [None, manager]}, comment=major.reason
    )
    recipients = [manager]
    if incident.service_id:
        recipients.append(incident.service.owner)
    notify(
        actor,
        recipients,
        subject=f"MAJOR INCIDENT {incident.number}: {incident.title}",
        body=f"Declared major: {major.reason}\nManager: {manager.display_name}",
        link=link(incident),
        record=incident,
    )
    return major


def stakeholders(incident: Incident) -> list[User]:
    """Who hears a major incident's updates: the service owner, the callers of the incident and
    its children, and the watchers of all of them."""
    ids = [incident.pk, *Incident.objects.filter(parent=incident).values_list("pk", flat=True)]
    people = User.objects.filter(is_active=True).filter(
        Q(pk__in=Incident.objects.filter(pk__in=ids).values("caller_id"))
        | Q(pk__in=Watcher.objects.filter(incident_id__in=ids).values("user_id"))
        | Q(pk=incident.service.owner_id if incident.service_id else None)
    )
    return list(people.distinct())


@transaction.atomic
def post_stakeholder_update(actor, incident: Incident, *, body: str) -> StakeholderUpdate:
    """Send an update to the stakeholders through the outbox (the manager or a group manager)."""
    require(actor, "change", incident)
    major = _major(incident)
    if actor is not None and actor.pk != major.manager_id:
        _require_major_role(actor, "post stakeholder updates")
    if not (body or "").strip():
        raise ValidationError.field("body", "required")
    people = stakeholders(incident)
    sent = notify(
        actor,
        people,
        subject=f"Update on major incident {incident.number}: {incident.title}",
        body=body.strip(),
        link=link(incident),
        record=incident,
        include_actor=False,
    )
    update = StakeholderUpdate.objects.create(
        major=major,
        author=actor if getattr(actor, "pk", None) else None,
        body=body.strip(),
        recipients=len(sent.notifications),
    )
    journal.record(actor, incident, "stakeholder_update", comment=update.body)
    return update


@transaction.atomic
def record_review(
    actor, incident: Incident, *, cause: str, actions: list[tuple[str, User]]
) -> PostIncidentReview:
    """Record the post-incident review: cause and follow-up actions, each with one owner."""
    require(actor, "change", incident)
    major = _major(incident)
    if actor is not None and actor.pk != major.manager_id:
        _require_major_role(actor, "record post-incident reviews")
    if hasattr(major, "review"):
        raise Conflict("The review is already recorded.", {"review": ["already recorded"]})
    if not (cause or "").strip():
        raise ValidationError.field("cause", "required")
    for n, (description, owner) in enumerate(actions):
        if not (description or "").strip():
            raise ValidationError.field(f"actions.{n}.description", "required")
        if owner is None or not owner.is_active:
            raise ValidationError.field(f"actions.{n}.owner", "an active user must own it")
    review = PostIncidentReview.objects.create(
        major=major,
        cause=cause.strip(),
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    FollowUpAction.objects.bulk_create(
        FollowUpAction(review=review, description=d.strip(), owner=o) for d, o in actions
    )
    journal.record(
        actor,
        incident,
        "review_recorded",
        {"follow_up_actions": [None, [f"{d.strip()} ({o.username})" for d, o in actions]]},
        comment=review.cause,
    )
    notify(
        actor,
        {o.pk: o for _, o in actions}.values(),
        subject=f"Follow-up action for {incident.number}",
        body="\n".join(d for d, _ in actions),
        link=link(incident),
        record=incident,
    )
    return review


# --- saved views ------------------------------------------------------------------------------

#: The query-string keys a saved view may hold (those of the incident list page).
VIEW_KEYS = frozenset({"queue", "q", "status", "priority", "sort"})


def _clean_query(query: str) -> str:
    from urllib.parse import parse_qsl, urlencode

    pairs = parse_qsl(query.lstrip("?"), keep_blank_values=False)
    unknown = sorted({k for k, _ in pairs} - VIEW_KEYS)
    if unknown:
        raise ValidationError.field(
            "query", f"unknown keys {unknown}; a view may hold {sorted(VIEW_KEYS)}"
        )
    return urlencode(pairs)[:1000]


@transaction.atomic
def save_view(actor, *, name: str, query: str) -> SavedView:
    """Save (or replace) the actor's view called ``name``."""
    if actor is None:
        raise ValidationError.field("user", "saved views belong to a person")
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise ValidationError.field("name", "required, at most 80 characters")
    view, _ = SavedView.objects.update_or_create(
        user=actor, name=name, defaults={"query": _clean_query(query or "")}
    )
    return view


@transaction.atomic
def delete_view(actor, view: SavedView) -> None:
    if actor is not None and view.user_id != actor.pk:
        raise NotFound("View not found.")
    view.delete()


# --- bulk loads (benchmarks, importers) -------------------------------------------------------


@transaction.atomic
def bulk_open_incidents(actor, rows: list[dict]) -> list[Incident]:
    """Insert many incidents at once (benchmarks, importers): numbers reserved in one step,
    priority from the matrix, one journal entry each. Each row names ``title``, ``caller``
    (a User), ``owning_group`` (a SupportGroup), ``impact``, ``urgency`` and optionally
    ``description``, ``service``, ``status`` (an active status only)."""
    require_admin(actor, "bulk-load incidents")
    if not rows:
        return []
    matrix = {(c.impact, c.urgency): c.priority for c in PriorityMatrix.objects.all()}
    first = reserve("INC", len(rows))
    incidents = []
    for n, row in enumerate(rows):
        row = dict(row)
        status = row.pop("status", Status.NEW)
        if status not in (Status.NEW, Status.IN_PROGRESS):
            raise ValidationError.field(f"rows.{n}.status", "bulk loads create new or open rows")
        caller = row["caller"]
        impact, urgency = row["impact"], row["urgency"]
        _check_level(f"rows.{n}.impact", impact)
        _check_level(f"rows.{n}.urgency", urgency)
        incidents.append(
            Incident(
                number=f"INC{first + n:07d}",
                status=status,
                organization_id=caller.organization_id,
                priority=matrix.get((impact, urgency), impact + urgency - 1),
                **row,
            )
        )
    incidents = Incident.objects.bulk_create(incidents, batch_size=2000)
    journal.record_many(actor, incidents, "created", comment="bulk load")
    return incidents
