"""Raising, editing and moving problems through their lifecycle (workflow.py decides what is
allowed), publishing them as known errors, and recording the root cause analysis."""

from __future__ import annotations

from urllib.parse import urlparse

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from steward.core import journal, practices
from steward.core.concurrency import save_versioned
from steward.core.errors import StaleVersion, ValidationError
from steward.core.numbering import next_number
from steward.core.operations import full_clean
from steward.core.texts import Text
from steward.incidents.models import Incident, IncidentCategory
from steward.incidents.operations import priority_for
from steward.notifications.operations import notify
from steward.people.models import SupportGroup, User
from steward.problems.choices import CauseCategory, LinkVia, RcaMethod, Status
from steward.problems.models import Problem, RootCauseAnalysis
from steward.problems.operations.common import (
    FIELDS,
    check_owner,
    invalid,
    locked,
    require_editable,
    require_staff,
)
from steward.problems.operations.links import link_incidents
from steward.problems.workflow import PROBLEM, known_error_problems
from steward.services.models import ConfigurationItem, Service

EDITABLE = {
    "title",
    "statement",
    "services",
    "cis",
    "category",
    "owner",
    "owning_group",
    "impact",
    "urgency",
    "known_error",
    "workaround",
}


def _names(rows) -> list[str]:
    return sorted(str(r.name) for r in rows)


def _tell_owner(actor, problem: Problem) -> None:
    if problem.owner is None:
        return
    notify(
        actor,
        [problem.owner],
        subject=Text(
            gettext_noop("You own problem %(number)s: %(title)s"),
            number=problem.number,
            title=problem.title,
        ),
        body=f"P{problem.priority} · {problem.owning_group.name}",
        link=problem.get_absolute_url(),
        record=problem,
    )


@transaction.atomic
def create_problem(
    actor,
    *,
    title: str,
    owning_group: SupportGroup,
    impact: int,
    urgency: int,
    statement: str = "",
    owner: User | None = None,
    services: list[Service] = (),
    cis: list[ConfigurationItem] = (),
    category: IncidentCategory | None = None,
    incidents: list[Incident] = (),
) -> Problem:
    """Raise a problem, directly or from incidents (linked at once). From incidents, the
    services, CIs and category not given are taken from them."""
    require_staff(actor)
    check_owner(owner)
    incidents = list(dict.fromkeys(incidents))
    if incidents:
        if not services:
            services = list({i.service_id: i.service for i in incidents if i.service_id}.values())
        if not cis:
            cis = list(
                {i.affected_ci_id: i.affected_ci for i in incidents if i.affected_ci_id}.values()
            )
        if category is None:
            category = next((i.category for i in incidents if i.category_id), None)
    problem = Problem(
        title=title,
        statement=statement or "",
        owning_group=owning_group,
        owner=owner,
        category=category,
        impact=impact,
        urgency=urgency,
        priority=priority_for(impact, urgency),
        number="PRB",
    )
    full_clean(problem, exclude=["number"])
    problem.number = next_number("PRB")
    problem.save()
    problem.services.set(services)
    problem.cis.set(cis)
    created = {
        f: [None, v] for f, v in journal.snapshot(problem, FIELDS).items() if v not in ("", None)
    }
    created["number"] = [None, problem.number]
    if services:
        created["services"] = [None, _names(services)]
    if cis:
        created["cis"] = [None, _names(cis)]
    journal.record(actor, problem, "created", created)
    if incidents:
        link_incidents(actor, problem, incidents, via=LinkVia.CREATED_FROM)
    if owner is not None and owner != actor:
        _tell_owner(actor, problem)
    return problem


def _check_known_error(problem: Problem, changes: dict) -> None:
    workaround = changes.get("workaround", problem.workaround)
    turning_on = changes.get("known_error") is True and not problem.known_error
    if turning_on:
        missing = known_error_problems(problem, workaround=workaround)
        if missing:
            raise ValidationError(
                _("It cannot be published as a known error yet: %(missing)s.")
                % {"missing": "; ".join(missing.values())},
                {k: [v] for k, v in missing.items()},
            )
    stays_on = changes.get("known_error", problem.known_error)
    if stays_on and not (workaround or "").strip():
        raise invalid(
            "workaround",
            _("A known error publishes its workaround: it cannot be empty."),
            "required for a known error",
        )


@transaction.atomic
def update_problem(actor, problem: Problem, *, version: int | None, **changes) -> Problem:
    """Change fields of a problem, the known-error flag and workaround included."""
    require_editable(actor, problem)
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ValidationError(
            f"Unknown fields {sorted(unknown)}", {k: ["unknown field"] for k in sorted(unknown)}
        )
    locked(problem)
    if version is not None and version != problem.version:
        raise StaleVersion(version, problem.version)
    require_editable(actor, problem)
    if "owner" in changes:
        check_owner(changes["owner"])
    for name in ("title", "owning_group", "impact", "urgency"):
        if name in changes and changes[name] is None:
            raise invalid(name, _("%(field)s cannot be empty.") % {"field": name}, "required")
    if "known_error" in changes:
        changes["known_error"] = bool(changes["known_error"])
    if "workaround" in changes:
        changes["workaround"] = (changes["workaround"] or "").strip()
    _check_known_error(problem, changes)
    before = journal.snapshot(problem, FIELDS)
    before["services"] = _names(problem.services.all())
    before["cis"] = _names(problem.cis.all())
    services = changes.pop("services", None)
    cis = changes.pop("cis", None)
    for name, value in changes.items():
        setattr(problem, name, value)
    if "known_error" in changes and changes["known_error"] != (before["known_error"]):
        problem.known_error_at = timezone.now() if problem.known_error else None
        changes["known_error_at"] = problem.known_error_at
    problem.priority = priority_for(problem.impact, problem.urgency)
    full_clean(problem)
    save_versioned(problem, None, list(dict.fromkeys([*changes, "priority"])))
    if services is not None:
        problem.services.set(services)
    if cis is not None:
        problem.cis.set(cis)
    after = journal.snapshot(problem, FIELDS)
    after["services"] = _names(problem.services.all())
    after["cis"] = _names(problem.cis.all())
    diff = journal.diff(before, after)
    if diff:
        action = "updated"
        if "known_error" in diff:
            action = "known_error_published" if problem.known_error else "known_error_retired"
        journal.record(actor, problem, action, diff)
    if "owner" in diff and problem.owner is not None and problem.owner != actor:
        _tell_owner(actor, problem)
    return problem


@transaction.atomic
def transition(
    actor,
    problem: Problem,
    to: str,
    *,
    version: int | None = None,
    fix_description: str = "",
    no_fix_reason: str = "",
    fix_change=None,
    cancel_reason: str = "",
    comment: str = "",
) -> Problem:
    """Move a problem through its lifecycle (see workflow.PROBLEM). Resolving with a fix names
    the change that fixed it (``fix_change``, closed successful) while the changes practice is
    on; its number and title become the fix's description when none is given."""
    require_editable(actor, problem)
    locked(problem)
    if version is not None and version != problem.version:
        raise StaleVersion(version, problem.version)
    require_editable(actor, problem)
    current = problem.status
    PROBLEM.check(
        current,
        to,
        problem=problem,
        fix_description=fix_description,
        no_fix_reason=no_fix_reason,
        fix_change=fix_change,
        changes_on=practices.is_enabled("changes"),
        cancel_reason=cancel_reason,
    )
    before = journal.snapshot(problem, FIELDS)
    now = timezone.now()
    fields = ["status"]
    problem.status = to
    text = (comment or "").strip()
    if to == Status.RESOLVED:
        if (fix_description or "").strip():
            problem.fix_description = fix_description.strip()
        if (no_fix_reason or "").strip():
            problem.no_fix_reason = no_fix_reason.strip()
        if fix_change is not None:
            problem.fix_change = fix_change
            if not problem.fix_description:
                problem.fix_description = f"{fix_change.number} {fix_change.title}"
        problem.resolved_at = now
        fields += ["fix_description", "fix_change", "no_fix_reason", "resolved_at"]
        text = text or problem.fix_description or problem.no_fix_reason
    elif to == Status.FIX_IN_PROGRESS and current == Status.RESOLVED:
        problem.resolved_at = None  # the fix did not hold
        fields.append("resolved_at")
    if to == Status.CANCELLED:
        problem.cancel_reason = cancel_reason.strip()
        fields.append("cancel_reason")
        text = text or problem.cancel_reason
    if to == Status.CLOSED:
        problem.closed_at = now
        fields.append("closed_at")
    full_clean(problem)
    save_versioned(problem, None, list(dict.fromkeys(fields)))
    diff = journal.diff(before, journal.snapshot(problem, FIELDS))
    journal.record(actor, problem, "status_changed", diff, comment=text)
    return problem


# --- root cause analysis ------------------------------------------------------------------------


def _lines(name: str, values) -> list[str]:
    out = []
    for n, value in enumerate(values or []):
        text = (value or "").strip()
        if not text:
            raise invalid(f"{name}.{n}", _("An entry cannot be empty."), "cannot be empty")
        out.append(text)
    return out


def _evidence(values) -> list[str]:
    links = _lines("evidence", values)
    for n, link in enumerate(links):
        parsed = urlparse(link)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise invalid(
                f"evidence.{n}",
                _("Evidence is a link starting with http:// or https://."),
                "must be an http(s) URL",
            )
    return links


RCA_FIELDS = ["method", "whys", "causes", "root_cause", "contributing_factors", "evidence"]


@transaction.atomic
def record_rca(
    actor,
    problem: Problem,
    *,
    version: int | None,
    method: str,
    whys=(),
    causes=None,
    root_cause: str = "",
    contributing_factors=(),
    evidence=(),
) -> RootCauseAnalysis:
    """Record (replace) the problem's root cause analysis; the problem's version advances and
    the journal keeps every version."""
    require_editable(actor, problem)
    locked(problem)
    if version is not None and version != problem.version:
        raise StaleVersion(version, problem.version)
    if method not in RcaMethod.values:
        raise invalid(
            "method",
            _("Choose a method: 5 whys, fishbone or timeline."),
            f"must be one of {', '.join(RcaMethod.values)}",
        )
    by_category = {}
    for key, values in (causes or {}).items():
        if key not in CauseCategory.values:
            raise invalid(
                f"causes.{key}",
                _("Causes are grouped as people, process, technology, supplier or environment."),
                f"must be one of {', '.join(CauseCategory.values)}",
            )
        if values:
            by_category[key] = _lines(f"causes.{key}", values)
    root_cause = (root_cause or "").strip()
    if problem.known_error and not root_cause:
        raise invalid(
            "root_cause",
            _("A known error keeps its root cause: retire the known error first."),
            "required while the problem is a known error",
        )
    whys = _lines("whys", whys)
    contributing_factors = _lines("contributing_factors", contributing_factors)
    evidence = _evidence(evidence)
    rca = RootCauseAnalysis.objects.filter(problem=problem).first()
    before = journal.snapshot(rca, RCA_FIELDS) if rca else {}
    rca = rca or RootCauseAnalysis(problem=problem)
    rca.method = method
    rca.whys = whys
    rca.causes = by_category
    rca.root_cause = root_cause
    rca.contributing_factors = contributing_factors
    rca.evidence = evidence
    rca.recorded_by = actor if getattr(actor, "pk", None) else None
    full_clean(rca, exclude=["problem", "recorded_by"])
    rca.save()
    fields = []
    if root_cause and problem.root_cause_at is None:
        problem.root_cause_at = timezone.now()
        fields.append("root_cause_at")
    save_versioned(problem, None, fields)
    problem.rca = rca
    journal.record(
        actor,
        problem,
        "rca_recorded",
        journal.diff(before, journal.snapshot(rca, RCA_FIELDS)),
        comment=root_cause,
    )
    return rca
