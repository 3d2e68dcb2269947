"""Major incidents: declaration, stakeholder updates, the post-incident review."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from steward.core import journal
from steward.core.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
)
from steward.core.operations import require
from steward.core.texts import Text, render
from steward.incidents import rules
from steward.incidents.choices import (
    ACTIVE_STATUSES,
    UpdateKind,
)
from steward.incidents.models import (
    FollowUpAction,
    Incident,
    MajorIncident,
    PostIncidentReview,
    StakeholderUpdate,
    Watcher,
)
from steward.incidents.operations import major_plan
from steward.incidents.operations.common import invalid, link, locked, touch
from steward.notifications.operations import notify
from steward.people.models import User

# --- major incidents --------------------------------------------------------------------------


#: The longest stakeholder update (characters), as the API's schema says.
UPDATE_MAX = 20_000

#: Why a person without the role is refused, per action.
REFUSALS = {
    "declare": gettext_noop("Only group managers and administrators may declare major incidents."),
    "update": gettext_noop("Only group managers and administrators may post stakeholder updates."),
    "review": gettext_noop(
        "Only group managers and administrators may record post-incident reviews."
    ),
}


def _require_major_role(actor, what: str) -> None:
    if not rules.may_lead_major(actor):
        raise PermissionDenied(_(REFUSALS[what]))


def _major(incident: Incident) -> MajorIncident:
    major = MajorIncident.objects.filter(incident=incident).first()
    if major is None:
        raise NotFound(_("%(number)s is not a major incident.") % {"number": incident.number})
    return major


@transaction.atomic
def declare_major(actor, incident: Incident, *, reason: str, manager: User) -> MajorIncident:
    """Declare an incident major (reason required) with a major-incident manager."""
    require(actor, "change", incident)
    _require_major_role(actor, "declare")
    locked(incident)
    if incident.status not in ACTIVE_STATUSES:
        raise Conflict(
            _("%(number)s is %(status)s; only open incidents can be declared major.")
            % {"number": incident.number, "status": incident.get_status_display().lower()},
            {"incident": [f"is {incident.status}"]},
        )
    if MajorIncident.objects.filter(incident=incident).exists():
        raise Conflict(
            _("%(number)s is already a major incident.") % {"number": incident.number},
            {"incident": ["major"]},
        )
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
    major_plan.create_default_plan(major)
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
def post_stakeholder_update(
    actor, incident: Incident, *, body: str | None, kind: str = UpdateKind.PROGRESS
) -> StakeholderUpdate:
    """Send an update to every audience of the communication plan (the manager, group
    managers, administrators). Sent as the template of ``kind`` (left unchanged, or no body)
    each reader reads it in their own language; an edited body goes out as written, under
    the subject of ``kind`` in the reader's language. "Next update due" moves on by the
    cadence (a resolved update ends it)."""
    require(actor, "change", incident)
    major = _major(incident)
    if actor is not None and actor.pk != major.manager_id:
        _require_major_role(actor, "update")
    if kind not in UpdateKind.values:
        raise invalid(
            "kind",
            _("Choose the kind of update: initial, progress or resolved."),
            "must be initial, progress or resolved",
        )
    plan = major_plan.plan_of(major)
    subject, template = major_plan.template(kind, incident, plan)
    text = (body or "").replace("\r\n", "\n").strip()
    language = getattr(actor, "language", None) or settings.LANGUAGE_CODE
    if body is None or text == template.render(language).strip():
        message = template
    elif not text:
        raise invalid("body", _("Write the update for the stakeholders first."), "required")
    elif len(text) > UPDATE_MAX:
        raise invalid(
            "body",
            _("Keep the update under %(max)s characters.")
            % {"max": number_format(UPDATE_MAX, force_grouping=True)},
            f"at most {UPDATE_MAX} characters",
        )
    else:
        message = text
    reached = major_plan.send(
        actor, incident, major, plan, kind, subject, message, stakeholders(incident)
    )
    update = StakeholderUpdate.objects.create(
        major=major,
        author=actor if getattr(actor, "pk", None) else None,
        kind=kind,
        body=render(message, settings.LANGUAGE_CODE) if isinstance(message, Text) else message,
        recipients=reached,
    )
    journal.record(  # the template's words in each reader's language, a person's as written
        actor, incident, "stakeholder_update", {"update_kind": [None, kind]}, comment=message
    )
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
        _require_major_role(actor, "review")
    if hasattr(major, "review"):
        raise Conflict(_("The review is already recorded."), {"review": ["already recorded"]})
    if not (cause or "").strip():
        raise invalid("cause", _("Write what caused the incident."), "required")
    for n, (description, owner) in enumerate(actions):
        if not (description or "").strip():
            raise invalid(
                f"actions.{n}.description", _("Describe each follow-up action."), "required"
            )
        if owner is None or not owner.is_active:
            raise invalid(
                f"actions.{n}.owner",
                _("An active user must own each follow-up action."),
                "an active user must own it",
            )
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
