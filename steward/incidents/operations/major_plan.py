"""A major incident's communication plan: its audiences and their channels, the update
cadence and the "next update due" it drives, the update templates said in each reader's
language, and the reminder to the major-incident manager when an update is late."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from steward.core import journal
from steward.core.concurrency import save_versioned
from steward.core.errors import NotFound, PermissionDenied
from steward.core.operations import require
from steward.core.texts import Text, render
from steward.incidents import rules
from steward.incidents.choices import (
    ACTIVE_STATUSES,
    CADENCE_MAX,
    CADENCE_MIN,
    Channel,
    UpdateKind,
    default_cadence,
    status_category,
)
from steward.incidents.models import CommunicationPlan, Incident, MajorIncident
from steward.incidents.operations.common import SERVICE_DESK, invalid, link
from steward.notifications.operations import notify, send_email
from steward.people.models import OrganizationContact, SupportGroup, User

#: The plan's fields the journal follows.
PLAN_FIELDS = [
    "cadence_minutes",
    "customer_channel",
    "stakeholder_channel",
    "desk_group",
    "desk_channel",
]
#: Channels for the audiences that are people with an account.
USER_CHANNELS = frozenset(Channel.values)
#: Customers' contacts have no account: e-mail or nothing.
CONTACT_CHANNELS = frozenset({Channel.EMAIL, Channel.NONE})
#: At most this many named stakeholders on a plan.
MAX_STAKEHOLDERS = 200

SUBJECTS = {
    UpdateKind.INITIAL: gettext_noop("Major incident %(number)s: %(title)s"),
    UpdateKind.PROGRESS: gettext_noop("Update on major incident %(number)s: %(title)s"),
    UpdateKind.RESOLVED: gettext_noop("Resolved: major incident %(number)s: %(title)s"),
}
BODIES = {
    UpdateKind.INITIAL: gettext_noop(
        "We are aware of a major disruption: %(title)s.\n"
        "Our teams are working on it with the highest priority.\n"
        "We will send the next update within %(minutes)s minutes."
    ),
    UpdateKind.PROGRESS: gettext_noop(
        "Our teams are still working on the disruption: %(title)s.\n"
        "We will send the next update within %(minutes)s minutes."
    ),
    UpdateKind.RESOLVED: gettext_noop(
        "The disruption is over: %(title)s.\n"
        "We are sorry for the inconvenience. We will look into the cause and prevent it "
        "from happening again."
    ),
}


def plan_of(major: MajorIncident) -> CommunicationPlan:
    """The major incident's plan (one made with the defaults if it has none yet)."""
    plan = CommunicationPlan.objects.filter(major=major).first()
    return plan if plan is not None else create_default_plan(major)


def create_default_plan(major: MajorIncident) -> CommunicationPlan:
    """The plan a major incident starts with: the cadence of its priority, the customers'
    contacts by e-mail, the named stakeholders in app and by e-mail, the service desk in
    app; the first update is due one cadence after the declaration."""
    cadence = default_cadence(major.incident.priority)
    return CommunicationPlan.objects.create(
        major=major,
        cadence_minutes=cadence,
        desk_group=SupportGroup.objects.filter(name=SERVICE_DESK, is_active=True).first(),
        next_update_due=major.declared_at + timedelta(minutes=cadence),
    )


def moment(incident: Incident, major: MajorIncident) -> str:
    """Which template fits now: initial before the first update, resolved once the incident
    is resolved, progress in between."""
    if status_category(incident.status) == "resolved":
        return UpdateKind.RESOLVED
    return UpdateKind.PROGRESS if major.updates.exists() else UpdateKind.INITIAL


def template(kind: str, incident: Incident, plan: CommunicationPlan) -> tuple[Text, Text]:
    """The subject and body of an update of ``kind``, to be said in each reader's language."""
    params = {"number": incident.number, "title": incident.title}
    return (
        Text(SUBJECTS[kind], **params),
        Text(BODIES[kind], title=incident.title, minutes=plan.cadence_minutes),
    )


def customer_contacts(incident: Incident) -> list[OrganizationContact]:
    """The contacts of the customer organisations of the incident's service and of its
    children's services."""
    services = {
        pk
        for pk in [
            incident.service_id,
            *Incident.objects.filter(parent=incident).values_list("service_id", flat=True),
        ]
        if pk
    }
    if not services:
        return []
    return list(
        OrganizationContact.objects.filter(
            organization__services__in=services, organization__is_active=True
        )
        .select_related("organization")
        .distinct()
        .order_by("organization__name", "name", "pk")
    )


def contact_language(contact: OrganizationContact) -> str:
    languages = {code for code, _name in settings.LANGUAGES}
    return contact.language if contact.language in languages else settings.LANGUAGE_CODE


def _require_lead(actor, major: MajorIncident) -> None:
    if actor is not None and actor.pk != major.manager_id and not rules.may_lead_major(actor):
        raise PermissionDenied(
            _(
                "Only the major-incident manager, group managers and administrators may change "
                "the communication plan."
            )
        )


def _major(incident: Incident) -> MajorIncident:
    major = MajorIncident.objects.select_related("incident").filter(incident=incident).first()
    if major is None:
        raise NotFound(_("%(number)s is not a major incident.") % {"number": incident.number})
    return major


def _channel(name: str, value: str, allowed) -> str:
    if value not in allowed:
        raise invalid(
            name,
            _("Choose how this audience hears the updates: %(choices)s.")
            % {"choices": ", ".join(str(Channel(c).label) for c in sorted(allowed))},
            f"must be one of {', '.join(sorted(allowed))}",
        )
    return value


_UNSET = object()


@transaction.atomic
def set_plan(
    actor,
    incident: Incident,
    *,
    version: int,
    cadence_minutes: int | None = None,
    customer_channel: str | None = None,
    stakeholders: list[User] | None = None,
    stakeholder_channel: str | None = None,
    desk_group=_UNSET,
    desk_channel: str | None = None,
) -> CommunicationPlan:
    """Change the communication plan (the manager, group managers, administrators). A new
    cadence moves "next update due" to the last update (or the declaration) plus it."""
    require(actor, "change", incident)
    major = _major(incident)
    _require_lead(actor, major)
    plan = plan_of(major)
    before = journal.snapshot(plan, PLAN_FIELDS)
    before_people = sorted(u.username for u in plan.stakeholders.all())
    if cadence_minutes is not None:
        if not CADENCE_MIN <= cadence_minutes <= CADENCE_MAX:
            raise invalid(
                "cadence_minutes",
                _("The update cadence is between %(min)s and %(max)s minutes.")
                % {"min": CADENCE_MIN, "max": CADENCE_MAX},
                f"must be between {CADENCE_MIN} and {CADENCE_MAX}",
            )
        plan.cadence_minutes = cadence_minutes
    if customer_channel is not None:
        plan.customer_channel = _channel("customer_channel", customer_channel, CONTACT_CHANNELS)
    if stakeholder_channel is not None:
        plan.stakeholder_channel = _channel(
            "stakeholder_channel", stakeholder_channel, USER_CHANNELS
        )
    if desk_channel is not None:
        plan.desk_channel = _channel("desk_channel", desk_channel, USER_CHANNELS)
    if desk_group is not _UNSET:
        if desk_group is not None and not desk_group.is_active:
            raise invalid(
                "desk_group", _("Choose an active support group."), "must be an active group"
            )
        plan.desk_group = desk_group
    if stakeholders is not None:
        if len(stakeholders) > MAX_STAKEHOLDERS:
            raise invalid(
                "stakeholders",
                _("Name at most %(count)s stakeholders.") % {"count": MAX_STAKEHOLDERS},
                f"at most {MAX_STAKEHOLDERS}",
            )
        for user in stakeholders:
            if not user.is_active:
                raise invalid(
                    "stakeholders",
                    _("%(name)s is not an active user.") % {"name": user.display_name},
                    "must be active users",
                )
    if plan.next_update_due is not None:
        plan.next_update_due = _since(major) + timedelta(minutes=plan.cadence_minutes)
    save_versioned(plan, version, [*PLAN_FIELDS, "next_update_due"])
    changes = journal.diff(before, journal.snapshot(plan, PLAN_FIELDS))
    if stakeholders is not None:
        plan.stakeholders.set(stakeholders)
        after_people = sorted(u.username for u in stakeholders)
        if after_people != before_people:
            changes["stakeholders"] = [before_people, after_people]
    if changes:
        journal.record(actor, incident, "communication_plan_changed", changes)
    return plan


def _since(major: MajorIncident) -> datetime:
    last = major.updates.order_by("-created_at").values_list("created_at", flat=True).first()
    return last or major.declared_at


def _tell_people(actor, users, group, channel, subject, body, record) -> int:
    """Tell ``users`` (and ``group``'s members) through ``channel``; how many were reached."""
    if channel == Channel.NONE:
        return 0
    users = [u for u in users if u.is_active]
    if channel == Channel.EMAIL:  # the outbox only: no in-app row
        people = {u.pk: u for u in users}
        if group is not None:
            people.update({u.pk: u for u in group.members.filter(is_active=True)})
        people.pop(getattr(actor, "pk", None), None)
        sent = 0
        for user in people.values():
            if user.email:
                send_email(user.email, render(subject, user.language), render(body, user.language))
                sent += 1
        return sent
    if not users and group is None:
        return 0
    told = notify(
        actor,
        users,
        group=group,
        subject=subject,
        body=body,
        link=link(record),
        record=record,
        email=channel == Channel.BOTH,
    )
    reached = {n.recipient_id for n in told.notifications if n.recipient_id}
    reached |= {e.recipient_id for e in told.emails if e.recipient_id}
    if group is not None and any(n.recipient_id is None for n in told.notifications):
        members = group.members.filter(is_active=True).exclude(pk=getattr(actor, "pk", None))
        reached |= set(members.values_list("pk", flat=True))
    return len(reached)


def send(actor, incident: Incident, major: MajorIncident, plan, kind, subject, body, people):
    """Tell every audience of the plan; the number of people and contacts reached."""
    named = list(plan.stakeholders.filter(is_active=True))
    audience = {u.pk: u for u in [*people, *named]}
    reached = _tell_people(
        actor, audience.values(), None, plan.stakeholder_channel, subject, body, incident
    )
    if plan.desk_group_id and plan.desk_group.is_active:
        told = audience.keys() if plan.stakeholder_channel != Channel.NONE else ()
        others = plan.desk_group.members.filter(is_active=True).exclude(pk__in=told)
        group = plan.desk_group if others.exists() else None
        if group is not None:
            reached += _tell_people(actor, [], group, plan.desk_channel, subject, body, incident)
    if plan.customer_channel == Channel.EMAIL:
        for contact in customer_contacts(incident):
            language = contact_language(contact)
            send_email(contact.email, render(subject, language), render(body, language))
            reached += 1
    if kind == UpdateKind.RESOLVED:
        plan.next_update_due = None
    else:
        plan.next_update_due = timezone.now() + timedelta(minutes=plan.cadence_minutes)
    plan.overdue_notified_for = None
    CommunicationPlan.objects.filter(pk=plan.pk).update(
        next_update_due=plan.next_update_due, overdue_notified_for=None
    )
    return reached


def is_overdue(plan: CommunicationPlan | None, incident: Incident, now=None) -> bool:
    """An update is late: the incident is still being worked on and its due time passed."""
    return bool(
        plan is not None
        and plan.next_update_due is not None
        and incident.status in ACTIVE_STATUSES
        and plan.next_update_due <= (now or timezone.now())
    )


def notify_overdue_updates(now=None) -> int:
    """Tell each late plan's major-incident manager once per overdue period (one cadence
    long, starting at the due time). Idempotent: a period already told is skipped."""
    now = now or timezone.now()
    told = 0
    late = (
        CommunicationPlan.objects.filter(
            next_update_due__lte=now, major__incident__status__in=ACTIVE_STATUSES
        )
        .select_related("major__incident", "major__manager")
        .order_by("next_update_due", "pk")
    )
    for plan in late:
        cadence = timedelta(minutes=plan.cadence_minutes)
        periods = (now - plan.next_update_due) // cadence
        period = plan.next_update_due + periods * cadence
        if plan.overdue_notified_for is not None and plan.overdue_notified_for >= period:
            continue
        claimed = (
            CommunicationPlan.objects.filter(pk=plan.pk, next_update_due=plan.next_update_due)
            .exclude(overdue_notified_for__gte=period)
            .update(overdue_notified_for=period)
        )
        if not claimed:
            continue
        incident = plan.major.incident
        notify(
            None,
            [plan.major.manager],
            subject=Text(
                gettext_noop("Update overdue: major incident %(number)s"),
                number=incident.number,
            ),
            body=Text(
                gettext_noop(
                    "The next update on %(number)s (%(title)s) was due at %(at)s UTC. "
                    "Send it to the stakeholders now."
                ),
                number=incident.number,
                title=incident.title,
                at=f"{plan.next_update_due:%Y-%m-%d %H:%M}",
            ),
            link=link(incident),
            record=incident,
        )
        journal.record(
            None, incident, "update_overdue_notified", {"next_update_due": [None, period]}
        )
        told += 1
    return told
