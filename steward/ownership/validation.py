"""The RACI rules, as data: each rule has a key, a severity and a check; validating a process
returns findings ``{activity, rule, severity, message}`` that the API and the pages both show.

A matrix may be saved while it still breaks rules (people fill a grid in several steps); the
findings say what is left to fix, and the ownership gaps list the errors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steward.ownership.choices import Letter, Severity
from steward.ownership.models import Activity, Process, RaciAssignment
from steward.people.choices import Role
from steward.people.models import SupportGroup, User, UserRole

#: More consulted + informed parties than this on one activity is a warning (noise, not ownership).
MAX_CONSULTED_INFORMED = 5


@dataclass
class Context:
    """What the rules need to know about the people behind the parties, loaded in bulk."""

    group_active_members: dict[int, int] = field(default_factory=dict)
    group_people: set[tuple[int, int]] = field(default_factory=set)  # (group, member or manager)
    role_holders: dict[str, int] = field(default_factory=dict)  # active holders per role
    user_roles: set[tuple[int, str]] = field(default_factory=set)


@dataclass(frozen=True)
class Rule:
    key: str
    severity: str
    description: str
    check: Callable[[list[RaciAssignment], Context], Iterable[str]]


def _who(a: RaciAssignment) -> str:
    return _("%(role)s (role)") % {"role": a.get_role_display()} if a.role else a.party_name


def _by(rows: list[RaciAssignment], *letters: str) -> list[RaciAssignment]:
    return [a for a in rows if a.letter in letters]


def _one_accountable(rows, ctx):
    accountable = _by(rows, Letter.ACCOUNTABLE)
    if not accountable:
        yield _("nobody is accountable (A): give exactly one party the A")
    elif len(accountable) > 1:
        names = ", ".join(_who(a) for a in accountable)
        yield _("%(count)s parties are accountable (%(names)s): exactly one may be") % {
            "count": len(accountable),
            "names": names,
        }


def _accountable_person(rows, ctx):
    for a in _by(rows, Letter.ACCOUNTABLE):
        if a.user_id:
            continue
        person = a.accountable_person
        if person is None:
            yield _("%(party)s is accountable but names no accountable person") % {"party": _who(a)}
        elif a.group_id and (a.group_id, person.pk) not in ctx.group_people:
            yield _(
                "the accountable person %(person)s is neither a member nor the manager of "
                "group %(group)s"
            ) % {"person": person, "group": a.group}
        elif a.role and (person.pk, a.role) not in ctx.user_roles:
            yield _("the accountable person %(person)s does not hold the role %(role)s") % {
                "person": person,
                "role": a.get_role_display(),
            }


def _responsible(rows, ctx):
    if not _by(rows, Letter.RESPONSIBLE):
        yield _("nobody is responsible (R): give at least one party the R")


def _accountable_not_informed(rows, ctx):
    informed = _by(rows, Letter.INFORMED)
    informed_keys = {a.party_key for a in informed}
    for a in _by(rows, Letter.ACCOUNTABLE):
        if a.party_key in informed_keys:
            yield _("%(party)s is both accountable (A) and informed (I)") % {"party": _who(a)}
        elif a.accountable_person_id and ("user", a.accountable_person_id) in informed_keys:
            yield _("%(person)s answers for the A of %(party)s and is also informed (I)") % {
                "person": a.accountable_person,
                "party": _who(a),
            }


def _too_many_consulted_informed(rows, ctx):
    n = len(_by(rows, Letter.CONSULTED, Letter.INFORMED))
    if n > MAX_CONSULTED_INFORMED:
        yield _(
            "%(count)s parties are consulted or informed (more than %(max)s): keep only those "
            "who need it"
        ) % {"count": n, "max": MAX_CONSULTED_INFORMED}


def _inactive_user(rows, ctx):
    for a in _by(rows, Letter.RESPONSIBLE, Letter.ACCOUNTABLE):
        if a.user_id and not a.user.is_active:
            yield _("%(letter)s points at %(user)s, whose account is inactive") % {
                "letter": a.letter,
                "user": a.user,
            }
        if a.accountable_person_id and not a.accountable_person.is_active:
            yield _("the accountable person %(person)s has an inactive account") % {
                "person": a.accountable_person
            }


def _empty_party(rows, ctx):
    for a in _by(rows, Letter.RESPONSIBLE, Letter.ACCOUNTABLE):
        if a.group_id:
            if not a.group.is_active:
                yield _("%(letter)s points at group %(group)s, which is inactive") % {
                    "letter": a.letter,
                    "group": a.group,
                }
            elif not ctx.group_active_members.get(a.group_id):
                yield _("%(letter)s points at group %(group)s, which has no active members") % {
                    "letter": a.letter,
                    "group": a.group,
                }
        elif a.role and not ctx.role_holders.get(a.role):
            yield _("%(letter)s points at the role %(role)s, which nobody holds") % {
                "letter": a.letter,
                "role": a.get_role_display(),
            }


RULES: list[Rule] = [
    Rule(
        "one_accountable",
        Severity.ERROR,
        gettext_lazy("Exactly one A per activity."),
        _one_accountable,
    ),
    Rule(
        "accountable_person",
        Severity.ERROR,
        gettext_lazy("A role or group given A names one accountable person who belongs to it."),
        _accountable_person,
    ),
    Rule("responsible", Severity.ERROR, gettext_lazy("At least one R per activity."), _responsible),
    Rule(
        "accountable_not_informed",
        Severity.ERROR,
        gettext_lazy("Nobody is both A and I on one activity."),
        _accountable_not_informed,
    ),
    Rule(
        "too_many_consulted_informed",
        Severity.WARNING,
        format_lazy(
            gettext_lazy("At most {count} C and I entries on one activity."),
            count=MAX_CONSULTED_INFORMED,
        ),
        _too_many_consulted_informed,
    ),
    Rule(
        "inactive_user",
        Severity.ERROR,
        gettext_lazy("R and A (and accountable persons) are active users."),
        _inactive_user,
    ),
    Rule(
        "empty_party",
        Severity.ERROR,
        gettext_lazy(
            "R and A groups are active and have active members; R and A roles have holders."
        ),
        _empty_party,
    ),
]


def matrix_queryset():
    """Processes with their activities and assignments (and the people behind them) prefetched."""
    assignments = RaciAssignment.objects.select_related(
        "group", "user", "accountable_person"
    ).order_by("letter", "id")
    activities = Activity.objects.order_by("order", "id").prefetch_related(
        Prefetch("assignments", queryset=assignments)
    )
    return Process.objects.select_related("owner").prefetch_related(
        Prefetch("activities", queryset=activities)
    )


def load_context(rows: Iterable[RaciAssignment]) -> Context:
    rows = list(rows)
    ctx = Context()
    group_ids = {a.group_id for a in rows if a.group_id}
    if group_ids:
        ctx.group_active_members = dict(
            SupportGroup.objects.filter(pk__in=group_ids)
            .annotate(n=Count("members", filter=Q(members__is_active=True)))
            .values_list("pk", "n")
        )
        pairs = [(a.group_id, a.accountable_person_id) for a in rows if a.group_id]
        people = {p for _, p in pairs if p}
        if people:
            through = SupportGroup.members.through
            ctx.group_people = set(
                through.objects.filter(
                    supportgroup_id__in=group_ids, user_id__in=people
                ).values_list("supportgroup_id", "user_id")
            ) | set(
                SupportGroup.objects.filter(pk__in=group_ids, manager_id__in=people).values_list(
                    "pk", "manager_id"
                )
            )
    roles = {a.role for a in rows if a.role}
    if roles:
        ctx.role_holders = dict(
            UserRole.objects.filter(role__in=roles, user__is_active=True)
            .values("role")
            .annotate(n=Count("id"))
            .values_list("role", "n")
        )
        if Role.ADMIN in roles:
            supers = User.objects.filter(is_superuser=True, is_active=True).count()
            ctx.role_holders[Role.ADMIN] = ctx.role_holders.get(Role.ADMIN, 0) + supers
        people = {a.accountable_person_id for a in rows if a.role and a.accountable_person_id}
        if people:
            ctx.user_roles = set(
                UserRole.objects.filter(user_id__in=people, role__in=roles).values_list(
                    "user_id", "role"
                )
            )
    return ctx


def finding(activity: Activity, rule: Rule, message: str) -> dict:
    return {
        "activity": {"id": activity.pk, "name": activity.name},
        "rule": rule.key,
        "severity": rule.severity,
        "message": message,
    }


def validate_activity(activity: Activity, ctx: Context) -> list[dict]:
    rows = list(activity.assignments.all())
    return [finding(activity, rule, m) for rule in RULES for m in rule.check(rows, ctx)]


def validate_processes(processes: Iterable[Process]) -> dict[int, list[dict]]:
    """Findings per process id, for processes loaded through :func:`matrix_queryset`."""
    processes = list(processes)
    ctx = load_context(
        a for p in processes for act in p.activities.all() for a in act.assignments.all()
    )
    return {
        p.pk: [f for act in p.activities.all() for f in validate_activity(act, ctx)]
        for p in processes
    }


def validate(process: Process) -> list[dict]:
    """Findings of one process (loads its matrix in a constant number of queries)."""
    loaded = matrix_queryset().get(pk=process.pk)
    return validate_processes([loaded])[loaded.pk]
