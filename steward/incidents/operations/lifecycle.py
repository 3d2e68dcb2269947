"""Raising, editing, assigning and moving incidents through their lifecycle (workflow.py
decides what is allowed)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from steward.core import journal
from steward.core.concurrency import save_versioned
from steward.core.errors import (
    PermissionDenied,
    StaleVersion,
    ValidationError,
)
from steward.core.numbering import next_number, next_values
from steward.core.operations import full_clean, require, require_admin
from steward.core.texts import Text
from steward.incidents import audiences, mail_events, rules, sla
from steward.incidents.choices import (
    ACTIVE_STATUSES,
    FINAL_STATUSES,
    Priority,
    Status,
)
from steward.incidents.models import (
    Incident,
    IncidentCategory,
    PriorityMatrix,
)
from steward.incidents.operations.common import (
    EDITABLE,
    FIELDS,
    check_level,
    invalid,
    link,
    locked,
    require_not_final,
)
from steward.incidents.operations.communication import watchers_of
from steward.incidents.operations.reference_data import check_categories, priority_for, route_to
from steward.incidents.workflow import INCIDENT, REOPEN
from steward.notifications.operations import notify
from steward.people.models import SupportGroup, User
from steward.services.impact import propose_service
from steward.services.models import ConfigurationItem, Service

# --- incidents --------------------------------------------------------------------------------


_RELATED = [
    "caller",
    "organization",
    "service",
    "owning_group",
    "category",
    "subcategory",
    "parent",
    "affected_ci",
]


#: Why a requester may not route an incident, per field.
ROUTING_ONLY = {
    "owning_group": gettext_noop("Only IT staff may set owning_group."),
    "parent": gettext_noop("Only IT staff may set parent."),
}


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
    if not rules.may_raise_for(actor, caller):
        raise PermissionDenied(
            _("Requesters may raise incidents only for themselves."),
            {"caller": ["must be yourself"]},
        )
    if not rules.may_route(actor) and (owning_group is not None or parent is not None):
        field = "owning_group" if owning_group is not None else "parent"
        raise PermissionDenied(_(ROUTING_ONLY[field]), {field: ["IT staff only"]})
    if not caller.is_active:
        raise invalid(
            "caller",
            _("%(name)s is no longer active: choose another caller.")
            % {"name": caller.display_name},
            f"user {caller.username!r} is inactive",
        )
    check_level("impact", impact)
    check_level("urgency", urgency)
    check_categories(category, subcategory)
    if affected_ci is not None and service is None:
        service = propose_service(affected_ci)
    group = route_to(owning_group, service)
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
    # check constraints hold by construction; the related rows were read by the caller of this
    # operation (or come from the caller's own row), so checking that each exists would cost a
    # query each to learn nothing. The database enforces both regardless.
    full_clean(incident, exclude=["number", *_RELATED], constraints=False)
    incident.number = next_number("INC")
    incident.save()
    journal.record(
        actor,
        incident,
        "created",
        {f: [None, v] for f, v in journal.snapshot(incident, FIELDS).items() if v not in ("", None)}
        | {"number": [None, incident.number]},
    )
    # one in-app notification for the whole group (each member reads it on their own), an
    # email to each member
    notify(
        actor,
        group=group,
        subject=Text(
            mail_events.NEW_SUBJECT, number=incident.number, group=group.name, title=incident.title
        ),
        body=f"P{incident.priority} · {incident.title}",
        link=link(incident),
        record=incident,
        event=mail_events.CREATED,
        context={"priority": incident.priority},
    )
    sla.feed(incident, new=True)
    sla.group_took_ownership(incident, group)
    return incident


def _assign(actor, incident: Incident, assignee: User | None) -> None:
    if assignee is not None:
        if not assignee.is_active:
            raise invalid(
                "assignee",
                _("%(name)s is no longer active and cannot be assigned.")
                % {"name": assignee.display_name},
                f"user {assignee.username!r} is inactive",
            )
        if not rules.may_be_assignee(assignee, incident.owning_group):
            raise invalid(
                "assignee",
                _(
                    "%(name)s is not a member of %(group)s, which owns the incident: hand it "
                    "over to their group instead."
                )
                % {"name": assignee.display_name, "group": incident.owning_group.name},
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
    require_not_final(incident)
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ValidationError(
            _("Unknown fields %(fields)s") % {"fields": sorted(unknown)},
            {k: ["unknown field"] for k in sorted(unknown)},
        )
    before = journal.snapshot(incident, FIELDS)
    for name in ("impact", "urgency"):
        if name in changes:
            check_level(name, changes[name])
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
        check_categories(incident.category, incident.subcategory)
    if "assignee" in changes:
        _assign(actor, incident, changes["assignee"])
    matrix = priority_for(incident.impact, incident.urgency)
    override = "priority" in changes and changes["priority"] != matrix
    comment = ""
    if override:
        if changes["priority"] not in Priority.values:
            raise invalid("priority", _("Choose a priority from 1 to 5."), "must be 1 to 5")
        if not (priority_reason or "").strip():
            raise invalid(
                "priority_reason",
                _("Say why the priority is P%(priority)s instead of the matrix's P%(matrix)s.")
                % {"priority": changes["priority"], "matrix": matrix},
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
        subject=Text(
            gettext_noop("%(number)s is assigned to you: %(title)s"),
            number=incident.number,
            title=incident.title,
        ),
        body=f"P{incident.priority} · {incident.owning_group.name}",
        link=link(incident),
        record=incident,
    )


@transaction.atomic
def assign(actor, incident: Incident, assignee: User | None, version: int | None = None):
    """Assign within the owning group (moving to another group is a handover)."""
    require(actor, "change", incident)
    locked(incident)
    require_not_final(incident)
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
    comment: str | Text = "",
    version: int | None = None,
) -> Incident:
    """Move an incident through its lifecycle (see workflow.INCIDENT)."""
    if not rules.is_staff(actor):
        require(actor, "view", incident)
        if not rules.may_transition(actor, incident, to):
            raise PermissionDenied(
                _("Callers may only reopen their own resolved incidents."),
                {"to": ["callers may only reopen a resolved incident"]},
            )
    else:
        require(actor, "change", incident)
    locked(incident)
    if version is not None and version != incident.version:
        raise StaleVersion(version, incident.version)
    if to == Status.CANCELLED and not rules.may_cancel(actor, incident):
        raise PermissionDenied(
            _(
                "Only members of the owning group, its manager and administrators may cancel "
                "%(number)s."
            )
            % {"number": incident.number},
            {"to": ["only the owning group or an administrator may cancel"]},
        )
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
    elif to == Status.CANCELLED:
        incident.cancelled_at = now
        fields.append("cancelled_at")
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
        recipients = [incident.caller, *watchers_of(incident)]
        if action == "reopened" and incident.assignee:
            recipients.append(incident.assignee)
        # the caller's message: the caller's fields only (audiences.CALLER_MESSAGE_FIELDS) and
        # text written for the caller
        notify(
            actor,
            recipients,
            subject=audiences.caller_subject(incident),
            body=incident.resolution_notes if to == Status.RESOLVED else comment,
            link=link(incident),
            record=incident,
            event=mail_events.RESOLVED if to == Status.RESOLVED else "",
        )
    return incident


def _resolve_children(actor, parent: Incident) -> None:
    """Resolving a parent resolves its open children with the parent's resolution."""
    children = Incident.objects.filter(parent=parent, status__in=ACTIVE_STATUSES).order_by("id")
    for child in children:
        locked(child)
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
            comment=Text(
                gettext_noop("Resolved with parent %(number)s: %(notes)s"),
                number=parent.number,
                notes=parent.resolution_notes,
            ),
        )
        sla.feed(child)
        notify(
            actor,
            [child.caller, *watchers_of(child)],
            subject=audiences.caller_subject(child),
            body=parent.resolution_notes,
            link=link(child),
            record=child,
            event=mail_events.RESOLVED,
        )


@transaction.atomic
def link_parent(
    actor, incident: Incident, parent: Incident | None, version: int | None = None
) -> Incident:
    """Put ``incident`` under ``parent`` (``None`` unlinks it). One level only; neither may be
    closed or cancelled. Both rows are locked, the lower id first, so two links that share an
    incident run one after the other and each checks what the other wrote."""
    require(actor, "change", incident)
    if parent is not None and parent.pk == incident.pk:
        raise invalid(
            "parent",
            _("An incident cannot be its own parent."),
            "an incident cannot be its own parent",
        )
    for row in sorted([incident] if parent is None else [incident, parent], key=lambda i: i.pk):
        locked(row)
    require_not_final(incident)
    if parent is not None:
        if parent.status in FINAL_STATUSES:
            raise invalid(
                "parent",
                _("%(parent)s is %(status)s: link to an open incident.")
                % {"parent": parent.number, "status": parent.get_status_display().lower()},
                f"{parent.number} is {parent.status}: link to an open incident",
            )
        if parent.parent_id is not None or incident.children.exists():
            raise invalid(
                "parent",
                _(
                    "Parents and children are one level deep: %(parent)s has a parent itself, "
                    "or %(number)s has children."
                )
                % {"parent": parent.number, "number": incident.number},
                "parents and children are one level deep",
            )
    before = incident.parent
    incident.parent = parent
    save_versioned(incident, version, ["parent"])
    journal.record(actor, incident, "parent_set", {"parent": [before, parent]})
    return incident


_KEEP = object()


@transaction.atomic
def change_incident(
    actor,
    incident: Incident,
    *,
    version: int | None,
    priority_reason: str = "",
    parent: Incident | object | None = _KEEP,
    **changes,
) -> Incident:
    """Change fields and the parent of an incident at once (an edit form, the API's PATCH): the
    fields as :func:`update_incident` does, then the parent as :func:`link_parent` does, all or
    nothing, against the one version the client read. ``parent`` omitted leaves it as it is."""
    if changes or parent is _KEEP:
        update_incident(
            actor, incident, version=version, priority_reason=priority_reason, **changes
        )
        version = None  # checked by the update, which advanced it
    if parent is not _KEEP:
        link_parent(actor, incident, parent, version=version)
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
                transition(
                    None,
                    incident,
                    Status.CLOSED,
                    comment=Text(gettext_noop("Closed automatically")),
                )
        except ValidationError:
            continue  # a major incident still waiting for its review
        closed += 1
    return closed


def auto_close_days() -> int:
    return settings.STEWARD_INCIDENT_AUTO_CLOSE_DAYS


# --- bulk loads (benchmarks, importers) -------------------------------------------------------


@transaction.atomic
def bulk_open_incidents(actor, rows: list[dict]) -> list[Incident]:
    """Insert many incidents at once (benchmarks, importers): numbers taken in one step,
    priority from the matrix, one journal entry each. Each row names ``title``, ``caller``
    (a User), ``owning_group`` (a SupportGroup), ``impact``, ``urgency`` and optionally
    ``description``, ``service``, ``status`` (an active status only)."""
    require_admin(actor, "bulk-load incidents")
    if not rows:
        return []
    matrix = {(c.impact, c.urgency): c.priority for c in PriorityMatrix.objects.all()}
    numbers = next_values("INC", len(rows))
    incidents = []
    for n, row in enumerate(rows):
        row = dict(row)
        status = row.pop("status", Status.NEW)
        if status not in (Status.NEW, Status.IN_PROGRESS):
            raise ValidationError.field(f"rows.{n}.status", "bulk loads create new or open rows")
        caller = row["caller"]
        impact, urgency = row["impact"], row["urgency"]
        check_level(f"rows.{n}.impact", impact)
        check_level(f"rows.{n}.urgency", urgency)
        incidents.append(
            Incident(
                number=f"INC{numbers[n]:07d}",
                status=status,
                organization_id=caller.organization_id,
                priority=matrix.get((impact, urgency), impact + urgency - 1),
                **row,
            )
        )
    incidents = Incident.objects.bulk_create(incidents, batch_size=2000)
    journal.record_many(actor, incidents, "created", comment=Text(gettext_noop("bulk load")))
    return incidents
