"""Major incidents: declaration, stakeholder updates, the post-incident review."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from steward.core import journal
from steward.core.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from steward.core.operations import require
from steward.core.texts import Text
from steward.incidents import rules
from steward.incidents.choices import (
    ACTIVE_STATUSES,
)
from steward.incidents.models import (
    FollowUpAction,
    Incident,
    MajorIncident,
    PostIncidentReview,
    StakeholderUpdate,
    Watcher,
)
from steward.incidents.operations.common import invalid, link, locked, touch
from steward.notifications.operations import notify
from steward.people.models import User

# --- major incidents --------------------------------------------------------------------------


def _require_major_role(actor, what: str) -> None:
    if not rules.may_lead_major(actor):
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
    locked(incident)
    if incident.status not in ACTIVE_STATUSES:
        raise Conflict(
            f"{incident.number} is {incident.status}; only open incidents can be declared major.",
            {"incident": [f"is {incident.status}"]},
        )
    if MajorIncident.objects.filter(incident=incident).exists():
        raise Conflict(f"{incident.number} is already a major incident.", {"incident": ["major"]})
    if not (reason or "").strip():
        raise invalid("reason", _("Say why this is a major incident."), "required")
    if not manager.is_active or not manager.is_it:
        raise invalid(
            "manager",
            _("The major-incident manager must be an active member of IT staff."),
            "must be an active member of IT staff",
        )
    major = MajorIncident.objects.create(
        incident=incident,
        reason=reason.strip(),
        manager=manager,
        declared_by=actor if getattr(actor, "pk", None) else None,
    )
    journal.record(
        actor, incident, "declared_major", {"major_manager": [None, manager]}, comment=major.reason
    )
    touch(incident)
    recipients = [manager]
    if incident.service_id:
        recipients.append(incident.service.owner)
    notify(
        actor,
        recipients,
        subject=Text(
            gettext_noop("MAJOR INCIDENT %(number)s: %(title)s"),
            number=incident.number,
            title=incident.title,
        ),
        body=Text(
            gettext_noop("Declared major: %(reason)s\nManager: %(manager)s"),
            reason=major.reason,
            manager=manager.display_name,
        ),
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
        raise invalid("body", _("Write the update for the stakeholders first."), "required")
    people = stakeholders(incident)
    sent = notify(
        actor,
        people,
        subject=Text(
            gettext_noop("Update on major incident %(number)s: %(title)s"),
            number=incident.number,
            title=incident.title,
        ),
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
    touch(incident)
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
        raise invalid("cause", _("Write what caused the incident."), "required")
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
    touch(incident)
    notify(
        actor,
        {o.pk: o for _, o in actions}.values(),
        subject=Text(gettext_noop("Follow-up action for %(number)s"), number=incident.number),
        body="\n".join(d for d, _ in actions),
        link=link(incident),
        record=incident,
    )
    return review
