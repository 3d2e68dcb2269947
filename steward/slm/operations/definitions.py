"""Operations on SLA definitions and on which calendar services, groups and people work."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from steward.core import journal
from steward.core.concurrency import save_versioned
from steward.core.errors import PermissionDenied, StaleVersion, ValidationError
from steward.core.operations import full_clean, require
from steward.core.texts import Text
from steward.notifications.operations import notify
from steward.people.models import SupportGroup, User
from steward.services.models import Service
from steward.slm import escalation, rules
from steward.slm.models import (
    Calendar,
    GroupCalendar,
    OlaDefinition,
    ServiceCalendar,
    SlaDefinition,
    UserCalendar,
)

FIELDS = [
    "name",
    "description",
    "record_type",
    "priority",
    "service",
    "organization",
    "response_seconds",
    "resolution_seconds",
    "calendar",
    "thresholds",
    "pause_when_paused",
    "reopen_policy",
    "escalations",
    "is_active",
]
#: Changing one of these changes the commitment, so the service owner must sign it off again.
COMMITMENT = {
    "record_type",
    "priority",
    "service",
    "organization",
    "response_seconds",
    "resolution_seconds",
    "calendar",
    "pause_when_paused",
    "reopen_policy",
}


def _check(definition: SlaDefinition) -> None:
    if definition.response_seconds is None and definition.resolution_seconds is None:
        raise ValidationError(
            _("An SLA needs at least one target: response_seconds or resolution_seconds."),
            {"resolution_seconds": [_("set a response or a resolution target")]},
        )
    for name in ("response_seconds", "resolution_seconds"):
        value = getattr(definition, name)
        if value is not None and value <= 0:
            raise ValidationError.field(name, _("must be a positive number of seconds"))
    t = definition.thresholds
    if not isinstance(t, list) or not all(isinstance(x, int) and 0 < x < 100 for x in t):
        raise ValidationError.field("thresholds", _("a list of percentages between 1 and 99"))
    definition.thresholds = sorted(set(t))
    definition.escalations = escalation.check_rules(
        definition.escalations,
        targets={
            "response": definition.response_seconds,
            "resolution": definition.resolution_seconds,
        },
    )


def _require_author(actor, service) -> None:
    if not rules.may_create_definition(actor, service):
        raise PermissionDenied(
            _("Only administrators, or the owner of the SLA's service, may define its SLAs."),
            {"service": [_("you do not own this service")]} if service is not None else {},
        )


@transaction.atomic
def create_definition(actor, **fields) -> SlaDefinition:
    """A new SLA (administrators; a service owner for a service they own)."""
    _require_author(actor, fields.get("service"))
    definition = SlaDefinition(**fields)
    _check(definition)
    full_clean(definition)
    definition.save()
    journal.record(
        actor,
        definition,
        "created",
        {f: [None, v] for f, v in journal.snapshot(definition, FIELDS).items()},
    )
    _ask_for_sign_off(actor, definition)
    return definition


def _ask_for_sign_off(actor, definition: SlaDefinition) -> None:
    """Tell the service's owner that a commitment made in the service's name waits for them."""
    if definition.service_id is None or definition.signed_off_by_id is not None:
        return
    owner = definition.service.owner
    notify(
        actor,
        [owner],
        subject=Text(gettext_noop("SLA %(name)s waits for your sign-off"), name=definition.name),
        body=Text(
            gettext_noop("A commitment for %(service)s needs the service owner's sign-off."),
            service=definition.service.name,
        ),
        link=definition.get_absolute_url(),
        record=definition,
    )


@transaction.atomic
def update_definition(
    actor, definition: SlaDefinition, *, version: int | None, **changes
) -> SlaDefinition:
    require(actor, "change", definition)
    if "service" in changes:
        _require_author(actor, changes["service"])
    before = journal.snapshot(definition, [*FIELDS, "signed_off_by"])
    for name, value in changes.items():
        setattr(definition, name, value)
    _check(definition)
    full_clean(definition)
    fields = list(changes)
    changed = {k for k, v in journal.diff(before, journal.snapshot(definition, FIELDS)).items()}
    comment = ""
    if changed & COMMITMENT and definition.signed_off_by_id:
        definition.signed_off_by, definition.signed_off_at = None, None
        fields += ["signed_off_by", "signed_off_at"]
        comment = "The commitment changed: the service owner's sign-off is withdrawn."
    save_versioned(definition, version, fields)
    after = journal.snapshot(definition, [*FIELDS, "signed_off_by"])
    journal.record(actor, definition, "updated", journal.diff(before, after), comment=comment)
    if comment or "service" in journal.diff(before, after):
        _ask_for_sign_off(actor, definition)
    return definition


@transaction.atomic
def sign_off(
    actor: User, definition: SlaDefinition, *, version: int | None = None
) -> SlaDefinition:
    """The service owner accepts the commitment: a record of who signed and when.
    ``version``: the SLA's version the signer read (a page sends it, so nobody signs a
    commitment that changed after they read it; a stale one is refused)."""
    if not rules.may_sign_off(actor, definition):
        owner = definition.service.owner if definition.service_id else None
        raise PermissionDenied(
            _("Only the service owner (%(owner)s) can sign this SLA off.") % {"owner": owner}
            if owner
            else _("Only a service owner can sign this SLA off.")
        )
    if version is not None:
        current = (
            SlaDefinition.objects.select_for_update()
            .filter(pk=definition.pk)
            .values_list("version", flat=True)
            .first()
        )
        if current != version:
            raise StaleVersion(version, current or 0)
    now = timezone.now()
    SlaDefinition.objects.filter(pk=definition.pk).update(signed_off_by=actor, signed_off_at=now)
    definition.signed_off_by, definition.signed_off_at = actor, now
    journal.record(
        actor,
        definition,
        "signed_off",
        {"signed_off_by": [None, {"id": actor.pk, "name": str(actor)}]},
    )
    return definition


_LINKS = {
    Service: (ServiceCalendar, "service"),
    SupportGroup: (GroupCalendar, "group"),
    User: (UserCalendar, "user"),
}


@transaction.atomic
def set_calendar(actor, target, calendar: Calendar | None):
    """Point a service, group or user to a calendar (None: back to the default).
    Administrators for any record; a group's manager for their own group."""
    if not rules.may_assign_calendar(actor, target):
        raise PermissionDenied(
            _("Only administrators, or the group's manager for their group, may assign calendars.")
        )
    link_model, field = _LINKS[type(target)]
    current = link_model.objects.filter(**{field: target}).select_related("calendar").first()
    before = current.calendar.name if current else None
    if calendar is None:
        link_model.objects.filter(**{field: target}).delete()
    else:
        link_model.objects.update_or_create(**{field: target}, defaults={"calendar": calendar})
    journal.record(
        actor, target, "calendar_set", {"calendar": [before, calendar.name if calendar else None]}
    )


@transaction.atomic
def assign_calendar(actor, calendar: Calendar | None, targets) -> None:
    """Point several services, groups and users to one calendar, all or none (each as
    :func:`set_calendar`, with its journal entry; a target ``actor`` may not assign refuses
    them all)."""
    for target in targets:
        set_calendar(actor, target, calendar)


OLA_FIELDS = [
    "handover_acceptance_seconds",
    "time_with_group_seconds",
    "thresholds",
    "pause_when_paused",
    "is_active",
]


@transaction.atomic
def set_ola(actor, group: SupportGroup, *, version: int | None = None, **fields) -> OlaDefinition:
    """Create or change a group's OLA (administrators, or the group's own manager).
    ``version``: the OLA's version the change was made on (a stale one is refused)."""
    if not rules.may_set_ola(actor, group):
        raise PermissionDenied(_("Only administrators or the group's manager may set its OLA."))
    unknown = set(fields) - set(OLA_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown fields %(fields)s") % {"fields": sorted(unknown)},
            {k: [_("unknown field")] for k in sorted(unknown)},
        )
    ola = OlaDefinition.objects.filter(group=group).first() or OlaDefinition(group=group)
    before = journal.snapshot(ola, OLA_FIELDS) if ola.pk else {}
    for name, value in fields.items():
        setattr(ola, name, value)
    for name in ("handover_acceptance_seconds", "time_with_group_seconds"):
        value = getattr(ola, name)
        if value is not None and value <= 0:
            raise ValidationError.field(name, _("must be a positive number of seconds"))
    t = ola.thresholds
    if not isinstance(t, list) or not all(isinstance(x, int) and 0 < x < 100 for x in t):
        raise ValidationError.field("thresholds", _("a list of percentages between 1 and 99"))
    full_clean(ola)
    if ola.pk:
        save_versioned(ola, version, list(fields))
    else:
        ola.save()
    journal.record(actor, group, "ola_set", journal.diff(before, journal.snapshot(ola, OLA_FIELDS)))
    return ola
