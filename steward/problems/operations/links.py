"""Incidents and problems: linking them, applying a known error's workaround to an incident,
and resolving the linked incidents in bulk once the fix is in. Incidents are changed through
the incidents practice's own operations (its only writers)."""

from __future__ import annotations

from contextlib import nullcontext

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from steward.core import journal
from steward.core.concurrency import save_versioned
from steward.core.errors import Conflict, ValidationError
from steward.incidents import operations as incident_ops
from steward.incidents.choices import ACTIVE_STATUSES as INCIDENT_ACTIVE
from steward.incidents.choices import ResolutionCode, Visibility
from steward.incidents.choices import Status as IncidentStatus
from steward.incidents.models import Incident
from steward.problems import rules
from steward.problems.choices import PUBLISHED_STATUSES, LinkVia
from steward.problems.models import Problem, ProblemIncident, WorkaroundUse
from steward.problems.operations.common import invalid, locked, require_editable, require_staff


@transaction.atomic
def link_incidents(
    actor, problem: Problem, incidents: list[Incident], *, via: str = LinkVia.LINKED
) -> list[Incident]:
    """Link incidents to the problem (those already linked stay as they are). Journaled on
    the problem and on each incident. Returns the incidents newly linked."""
    require_editable(actor, problem)
    if via not in LinkVia.values:
        raise invalid("via", "unknown link", f"must be one of {', '.join(LinkVia.values)}")
    wanted = list(dict.fromkeys(incidents))
    linked = set(
        ProblemIncident.objects.filter(problem=problem, incident__in=wanted).values_list(
            "incident_id", flat=True
        )
    )
    new = [i for i in wanted if i.pk not in linked]
    if not new:
        return []
    ProblemIncident.objects.bulk_create(
        [
            ProblemIncident(
                problem=problem,
                incident=i,
                via=via,
                linked_by=actor if getattr(actor, "pk", None) else None,
            )
            for i in new
        ]
    )
    numbers = [i.number for i in new]
    journal.record(actor, problem, "incidents_linked", {"incidents": [None, numbers]})
    for incident in new:
        journal.record(actor, incident, "problem_linked", {"problem": [None, problem.number]})
    return new


def _published(problem: Problem) -> bool:
    return problem.known_error and problem.status in PUBLISHED_STATUSES


@transaction.atomic
def apply_workaround(
    actor,
    incident: Incident,
    problem: Problem,
    *,
    visibility: str = Visibility.INTERNAL,
    version: int | None = None,
) -> WorkaroundUse:
    """Apply a known error's workaround to an open incident: link the incident to the problem,
    add the workaround as a work note or a reply to the caller (the agent chooses), and record
    the use. ``version``: the incident's, as the agent read it."""
    require_staff(actor)
    if not rules.may_apply_workaround(actor, problem) or not _published(problem):
        raise invalid(
            "problem",
            _("%(number)s is not a published known error: it has no workaround to apply.")
            % {"number": problem.number},
            "not a published known error",
        )
    if visibility not in Visibility.values:
        raise invalid(
            "visibility",
            _("Choose a work note (internal) or a reply to the caller (public)."),
            "must be internal or public",
        )
    guard = incident_ops.at_version(incident, version) if version is not None else nullcontext()
    with guard:
        if incident.status not in INCIDENT_ACTIVE:
            raise Conflict(
                _("%(number)s is no longer open: a workaround applies to open incidents.")
                % {"number": incident.number},
                {"incident": [f"is {incident.status}"]},
            )
        link_incidents(actor, problem, [incident], via=LinkVia.WORKAROUND)
        # a reply is read by the caller: its opening words in the caller's language
        language = incident.caller.language if visibility == Visibility.PUBLIC else None
        with translation.override(language) if language else nullcontext():
            heading = _("Workaround (known error %(number)s):") % {"number": problem.number}
        incident_ops.add_comment(
            actor, incident, body=f"{heading}\n{problem.workaround}", visibility=visibility
        )
        use = WorkaroundUse.objects.create(
            problem=problem,
            incident=incident,
            visibility=visibility,
            used_by=actor if getattr(actor, "pk", None) else None,
        )
        journal.record(
            actor,
            problem,
            "workaround_applied",
            {"incident": [None, incident.number], "visibility": [None, visibility]},
        )
    return use


def resolvable(problem: Problem):
    """The linked incidents still open (what a bulk resolution would resolve), oldest first."""
    return Incident.objects.filter(
        pk__in=ProblemIncident.objects.filter(problem=problem).values("incident_id"),
        status__in=sorted(INCIDENT_ACTIVE),
    ).order_by("id")


@transaction.atomic
def resolve_incidents(
    actor, problem: Problem, *, numbers: list[str] | None = None, version: int | None = None
) -> list[Incident]:
    """The fix is in: resolve the problem's linked open incidents (all, or ``numbers``) with the
    problem's resolution. Each incident moves through the incidents' own lifecycle, so each
    caller (and its watchers) is told once, in their own language, that it is resolved."""
    require_staff(actor)
    locked(problem)
    if version is not None and version != problem.version:
        from steward.core.errors import StaleVersion

        raise StaleVersion(version, problem.version)
    if not rules.may_resolve_incidents(actor, problem):
        raise Conflict(
            _("%(number)s has no fix in yet: resolve it with a fix description first.")
            % {"number": problem.number},
            {"status": ["the problem must be resolved with a fix description"]},
        )
    rows = list(resolvable(problem).select_related("caller", "owning_group"))
    if numbers is not None:
        wanted = [n.upper() for n in numbers]
        by_number = {i.number: i for i in rows}
        unknown = [n for n in wanted if n not in by_number]
        if unknown:
            raise ValidationError.field(
                "numbers", f"not open incidents linked to {problem.number}: {', '.join(unknown)}"
            )
        rows = [by_number[n] for n in dict.fromkeys(wanted)]
    notes = f"{problem.number}: {problem.fix_description}"
    resolved = []
    for incident in rows:
        incident.refresh_from_db()
        if incident.status not in INCIDENT_ACTIVE:
            continue  # resolved meanwhile with its parent
        if incident.status != IncidentStatus.IN_PROGRESS:
            incident_ops.transition(actor, incident, IncidentStatus.IN_PROGRESS)
        incident_ops.transition(
            actor,
            incident,
            IncidentStatus.RESOLVED,
            resolution_code=ResolutionCode.SOLVED,
            resolution_notes=notes,
        )
        resolved.append(incident)
    if resolved:
        save_versioned(problem, None, [])
        journal.record(
            actor,
            problem,
            "incidents_resolved",
            {"incidents": [None, [i.number for i in resolved]]},
        )
    return resolved
