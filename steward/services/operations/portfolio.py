"""Domain operations of the services app: the only code that writes services."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from steward.core import journal
from steward.core.concurrency import save_versioned
from steward.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from steward.core.operations import full_clean, require, require_admin
from steward.core.texts import Text
from steward.notifications import operations as notifications
from steward.people.models import Organization, SupportGroup, User
from steward.services.choices import OwnershipStatus, SupportLine
from steward.services.models import OwnershipProposal, Service, ServiceDependency, ServiceSupport
from steward.services.workflow import SERVICE

FIELDS = ["name", "description", "owner", "criticality", "status", "kind", "review_date"]


def _check_owner(owner: User | None) -> None:
    if owner is None:
        raise ValidationError.field("owner", _("required: every service has a service owner"))
    if not owner.is_active:
        raise ValidationError.field(
            "owner", _("user %(username)s is inactive") % {"username": repr(owner.username)}
        )


def _customers(service: Service) -> list[str]:
    return sorted(service.customers.values_list("name", flat=True))


@transaction.atomic
def create_service(actor, *, customers: Iterable[Organization] = (), **fields) -> Service:
    require_admin(actor, gettext_lazy("create services"))
    _check_owner(fields.get("owner"))
    service = Service(**fields)
    full_clean(service)
    if actor is not None and actor.pk == service.owner_id:
        service.owner_accepted_at = timezone.now()
    service.save()
    service.customers.set(list(customers))
    if service.owner_accepted_at is None:
        _propose(actor, service, service.owner, note="named owner of a new service")
    journal.record(
        actor,
        service,
        "created",
        {f: [None, v] for f, v in journal.snapshot(service, FIELDS).items()}
        | {"customers": [None, _customers(service)]},
    )
    return service


@transaction.atomic
def update_service(
    actor,
    service: Service,
    *,
    version: int | None,
    customers: Iterable[Organization] | None = None,
    **changes,
) -> Service:
    require(actor, "change", service)
    new_owner = changes.pop("owner", None)
    if new_owner is not None or "owner" in changes:
        _check_owner(new_owner)
    before = journal.snapshot(service, FIELDS) | {"customers": _customers(service)}
    if changes.get("status") not in (None, service.status):
        SERVICE.check(service.status, changes["status"], field_name="status")
    for name, value in changes.items():
        setattr(service, name, value)
    full_clean(service)
    save_versioned(service, version, list(changes))
    if customers is not None:
        service.customers.set(list(customers))
    after = journal.snapshot(service, FIELDS) | {"customers": _customers(service)}
    journal.record(actor, service, "updated", journal.diff(before, after))
    if new_owner is not None and new_owner.pk != service.owner_id:
        propose_owner(actor, service, new_owner)
    return service


@transaction.atomic
def edit_service(
    actor,
    service: Service,
    *,
    version: int | None,
    support: dict[str, Iterable[SupportGroup]] | None = None,
    depends_on: Iterable[Service] | None = None,
    **changes,
) -> Service:
    """The service page's one save, in one transaction: the fields and customers
    (version-checked, as :func:`update_service`), then each support line and the dependencies
    that differ from what is recorded. A stale version changes nothing."""
    update_service(actor, service, version=version, **changes)
    for line, groups in (support or {}).items():
        groups = list(groups)
        current = set(
            ServiceSupport.objects.filter(service=service, line=line).values_list(
                "group_id", flat=True
            )
        )
        if current != {g.pk for g in groups}:
            set_support(actor, service, line, groups)
    if depends_on is not None:
        depends_on = list(depends_on)
        current = set(
            ServiceDependency.objects.filter(service=service).values_list(
                "depends_on_id", flat=True
            )
        )
        if current != {d.pk for d in depends_on}:
            set_dependencies(actor, service, depends_on)
    return service


# --- ownership: a new owner signs up before they answer for the service -------------------------


def _propose(actor, service: Service, owner: User, note: str = "") -> OwnershipProposal:
    OwnershipProposal.objects.filter(service=service, status=OwnershipStatus.PENDING).update(
        status=OwnershipStatus.WITHDRAWN, decided_at=timezone.now()
    )
    proposal = OwnershipProposal.objects.create(
        service=service, proposed_owner=owner, proposed_by=actor if actor else None, note=note
    )
    notifications.notify(
        actor,
        [owner],
        subject=Text(gettext_noop("Please accept ownership of %(service)s"), service=service.name),
        body=Text(
            gettext_noop(
                "You are proposed as the service owner of %(service)s. Until you accept, "
                "%(owner)s stays accountable."
            ),
            service=service.name,
            owner=service.owner,
        ),
        link=service.get_absolute_url(),
        record=service,
    )
    return proposal


@transaction.atomic
def propose_owner(actor, service: Service, owner: User, note: str = "") -> OwnershipProposal:
    """Propose a new service owner. The current owner stays accountable until they accept."""
    require(actor, "change", service)
    _check_owner(owner)
    if owner.pk == service.owner_id and service.owner_accepted_at is not None:
        raise ValidationError.field(
            "owner",
            _("%(owner)s already owns %(service)s") % {"owner": owner, "service": service.name},
        )
    proposal = _propose(actor, service, owner, note)
    journal.record(
        actor,
        service,
        "owner_proposed",
        {"proposed_owner": [None, {"id": owner.pk, "name": str(owner)}]},
        comment=note,
    )
    return proposal


def _pending(service: Service) -> OwnershipProposal:
    proposal = (
        OwnershipProposal.objects.select_for_update()
        .filter(service=service, status=OwnershipStatus.PENDING)
        .first()
    )
    if proposal is None:
        raise NotFound(
            _("No ownership of %(service)s is waiting for acceptance.") % {"service": service.name}
        )
    return proposal


@transaction.atomic
def accept_ownership(actor: User, service: Service) -> Service:
    """The proposed owner signs up: from now on they answer for the service."""
    proposal = _pending(service)
    if actor.pk != proposal.proposed_owner_id:
        raise PermissionDenied(_("Only the proposed owner can accept ownership."))
    if not actor.is_active:
        raise Conflict(_("An inactive user cannot own a service."))
    previous = service.owner
    now = timezone.now()
    proposal.status, proposal.decided_at = OwnershipStatus.ACCEPTED, now
    proposal.save(update_fields=["status", "decided_at"])
    Service.objects.filter(pk=service.pk).update(owner=actor, owner_accepted_at=now)
    service.owner, service.owner_accepted_at = actor, now
    journal.record(
        actor,
        service,
        "ownership_accepted",
        {
            "owner": [
                {"id": previous.pk, "name": str(previous)},
                {"id": actor.pk, "name": str(actor)},
            ]
        },
    )
    if previous.pk != actor.pk:
        notifications.notify(
            actor,
            [previous],
            subject=Text(
                gettext_noop("%(person)s now owns %(service)s"), person=actor, service=service.name
            ),
            body=Text(
                gettext_noop("%(person)s accepted ownership of %(service)s."),
                person=actor,
                service=service.name,
            ),
            link=service.get_absolute_url(),
            record=service,
        )
    return service


@transaction.atomic
def decline_ownership(actor: User, service: Service, reason: str) -> OwnershipProposal:
    proposal = _pending(service)
    if actor.pk != proposal.proposed_owner_id:
        raise PermissionDenied(_("Only the proposed owner can decline ownership."))
    if not reason.strip():
        raise ValidationError(
            _("Say why you decline, so that whoever proposed you can find another owner."),
            {"reason": [_("Say why you decline.")]},
        )
    proposal.status, proposal.decided_at = OwnershipStatus.DECLINED, timezone.now()
    proposal.note = reason
    proposal.save(update_fields=["status", "decided_at", "note"])
    journal.record(actor, service, "ownership_declined", comment=reason)
    tell = [u for u in (proposal.proposed_by, service.owner) if u is not None]
    notifications.notify(
        actor,
        tell,
        subject=Text(
            gettext_noop("%(person)s declined ownership of %(service)s"),
            person=actor,
            service=service.name,
        ),
        body=reason,
        link=service.get_absolute_url(),
        record=service,
    )
    return proposal


# --- supporting groups and dependencies ---------------------------------------------------------


@transaction.atomic
def set_support(actor, service: Service, line: str, groups: Iterable[SupportGroup]) -> None:
    """The groups that support the service at ``line`` (replaces that line's list)."""
    require(actor, "change", service)
    if line not in SupportLine.values:
        raise ValidationError.field(
            "line", _("must be one of %(values)s") % {"values": SupportLine.values}
        )
    groups = list(dict.fromkeys(groups))
    before = sorted(
        ServiceSupport.objects.filter(service=service, line=line).values_list(
            "group__name", flat=True
        )
    )
    ServiceSupport.objects.filter(service=service, line=line).delete()
    ServiceSupport.objects.bulk_create(
        [ServiceSupport(service=service, group=g, line=line) for g in groups]
    )
    after = sorted(g.name for g in groups)
    journal.record(actor, service, "support_set", {f"{line} line": [before, after]})


@transaction.atomic
def set_dependencies(actor, service: Service, depends_on: Iterable[Service]) -> None:
    """The services this service needs (replaces the list)."""
    require(actor, "change", service)
    targets = list(dict.fromkeys(depends_on))
    if any(t.pk == service.pk for t in targets):
        raise ValidationError.field("depends_on", _("a service cannot depend on itself"))
    before = sorted(
        ServiceDependency.objects.filter(service=service).values_list("depends_on__name", flat=True)
    )
    ServiceDependency.objects.filter(service=service).delete()
    ServiceDependency.objects.bulk_create(
        [ServiceDependency(service=service, depends_on=t) for t in targets]
    )
    journal.record(
        actor,
        service,
        "dependencies_set",
        {"depends_on": [before, sorted(t.name for t in targets)]},
    )


@transaction.atomic
def bulk_create_services(
    actor, rows: list[dict], customers: dict[str, list[Organization]]
) -> list[Service]:
    """Insert many services at once (benchmarks, importers); every owner must be active."""
    require_admin(actor, gettext_lazy("bulk-load services"))
    services = [Service(**r) for r in rows]
    inactive = {s.owner_id for s in services} & set(
        User.objects.filter(is_active=False).values_list("pk", flat=True)
    )
    if inactive:
        raise ValidationError.field(
            "owner",
            _("inactive users %(ids)s cannot own services") % {"ids": sorted(inactive)},
        )
    services = Service.objects.bulk_create(services, batch_size=2000)
    through = Service.customers.through
    through.objects.bulk_create(
        [
            through(service_id=s.pk, organization_id=o.pk)
            for s in services
            for o in customers.get(s.name, ())
        ],
        batch_size=5000,
    )
    journal.record_many(actor, services, "created", comment=gettext_noop("bulk load"))
    return services
