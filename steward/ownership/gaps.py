"""Ownership gaps: every place where nobody (or nobody able) answers for something.

A small registry of gap providers. Each provider returns the gaps of one kind, as data:
``{kind, severity, record: {type, id, name}, problem, fix_by: {kind, id, name}, link}``.
The providers live here, in the ownership app, which may read services and people; a practice
above ownership (incidents, slm, ...) that wants to add gaps declares its providers in its
``Practice(gaps=[...])`` (``core.practices``), and the gaps of a practice that is switched off
are not collected. :func:`register` adds a provider outside any practice (a test's stand-in).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steward.core.practices import contributions
from steward.ownership.choices import PartyKind, Severity
from steward.ownership.models import Process
from steward.people.choices import Role
from steward.people.models import SupportGroup, User
from steward.services.choices import CIStatus, OwnershipStatus
from steward.services.models import ConfigurationItem, OwnershipProposal, Service


@dataclass(frozen=True)
class GapProvider:
    kind: str
    label: str
    collect: Callable[[], list[dict]]  # () -> gaps of this kind
    order: int = 100
    #: (user) -> the gaps of this kind that may be the user's to fix, read without the rest of
    #: the estate (a superset of what :func:`needs_me` keeps). Without it the start page's
    #: "needs me" panel collects the provider whole.
    collect_for: Callable[[User], list[dict]] | None = None


_providers: dict[str, GapProvider] = {}


def register(provider: GapProvider) -> None:
    _providers[provider.kind] = provider


def providers() -> list[GapProvider]:
    """The providers of the practices that are on (and any registered directly)."""
    found = {p.kind: p for p in contributions("gaps")} | _providers
    return sorted(found.values(), key=lambda p: (p.order, p.kind))


def kinds() -> list[dict]:
    return [{"kind": p.kind, "label": str(p.label)} for p in providers()]


def collect(user=None) -> list[dict]:
    """Every gap, provider by provider. Gaps are organisation-wide: callers show them to IT
    staff only."""
    return [gap for p in providers() for gap in p.collect()]


def collect_needing(user: User) -> list[dict]:
    """The gaps ``user`` should fix (:func:`needs_me` of :func:`collect`), reading only what may
    be theirs where a provider can narrow it: the start page asks on every visit, and building
    every gap of a 2,000-service estate to keep a handful cost it a quarter of a second."""
    rows = [
        gap
        for p in providers()
        for gap in (p.collect_for(user) if p.collect_for is not None else p.collect())
    ]
    return needs_me(user, rows)


def fixes_for_admins(user: User) -> bool:
    """Whether gaps whose fixer is the administrators are ``user``'s to fix."""
    return user.has_role(Role.ADMIN.value) or user.is_admin


def for_admins(collect_all: Callable[[], list[dict]]) -> Callable[[User], list[dict]]:
    """``collect_for`` of a provider whose gaps the administrators always fix."""
    return lambda user: collect_all() if fixes_for_admins(user) else []


# --- building blocks ----------------------------------------------------------------------------

#: (its ``name`` is said in the reader's language when a gap is built: see :func:`gap`)
ADMINS = {"kind": PartyKind.ROLE, "id": Role.ADMIN.value, "name": "Administrator"}


def person(user: User) -> dict:
    return {"kind": PartyKind.USER, "id": user.pk, "name": user.display_name}


def group_fixer(group: SupportGroup) -> dict:
    return {"kind": PartyKind.GROUP, "id": group.pk, "name": group.name}


def gap(kind, record_type, obj, problem, fix_by, link, severity=Severity.ERROR) -> dict:
    return {
        "kind": kind,
        "severity": severity,
        "record": {"type": record_type, "id": obj.pk, "name": str(obj)},
        "problem": problem,
        "fix_by": (
            {**fix_by, "name": str(Role(fix_by["id"]).label)}
            if fix_by["kind"] == PartyKind.ROLE and fix_by["id"] in Role.values
            else fix_by
        ),
        "link": link,
    }


def page(url_name: str, pk: int, api_path: str) -> str:
    """The page that fixes the record, or its API address while it has no page."""
    try:
        return reverse(url_name, args=[pk])
    except NoReverseMatch:
        return f"/api/v1/{api_path}"


# --- the providers ------------------------------------------------------------------------------


def services_without_active_owner() -> list[dict]:
    rows = Service.objects.filter(owner__is_active=False).exclude(status="retired")
    return [
        gap(
            "service_owner_inactive",
            "service",
            s,
            _("the service owner %(owner)s has an inactive account: nobody answers for the service")
            % {"owner": s.owner},
            ADMINS,
            page("services:detail", s.pk, f"services/{s.pk}"),
        )
        for s in rows.select_related("owner").order_by("name")
    ]


def services_ownership_not_accepted(only_for: User | None = None) -> list[dict]:
    """Services whose owner has not signed up (accepted ownership) yet; with ``only_for``, the
    services that user owns or is proposed to own (the gaps that may be theirs)."""
    rows = (
        Service.objects.filter(owner_accepted_at__isnull=True, owner__is_active=True)
        .exclude(status="retired")
        .select_related("owner")
        .order_by("name")
    )
    if only_for is not None:
        proposed = OwnershipProposal.objects.filter(
            status=OwnershipStatus.PENDING, proposed_owner=only_for
        ).values("service_id")
        rows = rows.filter(Q(owner=only_for) | Q(pk__in=proposed))
    pending = dict(
        OwnershipProposal.objects.filter(
            status=OwnershipStatus.PENDING, service__in=rows
        ).values_list("service_id", "proposed_owner_id")
    )
    people = {u.pk: u for u in User.objects.filter(pk__in=pending.values())}
    out = []
    for s in rows:
        proposed = people.get(pending.get(s.pk))
        who = proposed or s.owner
        out.append(
            gap(
                "service_ownership_not_accepted",
                "service",
                s,
                _("%(person)s has not accepted ownership of the service") % {"person": who}
                if proposed is None or proposed.pk == s.owner_id
                else _(
                    "%(proposed)s is proposed as owner and has not accepted; %(owner)s still "
                    "answers for it"
                )
                % {"proposed": proposed, "owner": s.owner},
                person(who),
                page("services:detail", s.pk, f"services/{s.pk}"),
                Severity.WARNING,
            )
        )
    return out


def services_past_review() -> list[dict]:
    """Services whose review date has passed (once the portfolio records one)."""
    if "review_date" not in {f.name for f in Service._meta.get_fields()}:
        return []
    today = timezone.localdate()
    rows = Service.objects.filter(review_date__lt=today).exclude(status="retired")
    return [
        gap(
            "service_review_overdue",
            "service",
            s,
            _("the service review was due on %(date)s") % {"date": s.review_date.isoformat()},
            person(s.owner) if s.owner.is_active else ADMINS,
            page("services:detail", s.pk, f"services/{s.pk}"),
            Severity.WARNING,
        )
        for s in rows.select_related("owner").order_by("review_date", "name")
    ]


def processes_without_owner() -> list[dict]:
    rows = Process.objects.filter(Q(owner__isnull=True) | Q(owner__is_active=False))
    out = []
    for p in rows.select_related("owner").order_by("name"):
        problem = (
            _("the process has no process owner")
            if p.owner is None
            else _("the process owner %(owner)s has an inactive account") % {"owner": p.owner}
        )
        out.append(
            gap(
                "process_without_owner",
                "process",
                p,
                problem,
                ADMINS,
                page("ownership:process_detail", p.pk, f"processes/{p.pk}"),
            )
        )
    return out


def raci_errors(only_for: User | None = None) -> list[dict]:
    """Activities breaking the RACI rules; with ``only_for``, of the processes whose errors may
    be that user's to fix (their own, or all for an administrator)."""
    from steward.ownership import validation

    processes = validation.matrix_queryset().order_by("name")
    if only_for is not None and not fixes_for_admins(only_for):
        processes = processes.filter(owner=only_for)
    processes = list(processes)
    findings = validation.validate_processes(processes)
    out = []
    for p in processes:
        fixer = person(p.owner) if p.owner and p.owner.is_active else ADMINS
        activities = {a.pk: a for a in p.activities.all()}
        for f in findings[p.pk]:
            if f["severity"] != Severity.ERROR:
                continue
            activity = activities[f["activity"]["id"]]
            item = gap(
                f"raci_{f['rule']}",
                "activity",
                activity,
                f["message"],
                fixer,
                page("ownership:process_detail", p.pk, f"processes/{p.pk}/raci")
                + f"#activity-{activity.pk}",
            )
            item["record"]["name"] = f"{p.name} › {activity.name}"
            out.append(item)
    return out


def groups_without_manager() -> list[dict]:
    rows = SupportGroup.objects.filter(is_active=True).filter(
        Q(manager__isnull=True) | Q(manager__is_active=False)
    )
    return [
        gap(
            "group_without_manager",
            "group",
            g,
            _("the group has no manager")
            if g.manager is None
            else _("the group manager %(manager)s has an inactive account")
            % {"manager": g.manager},
            ADMINS,
            page("people:group_detail", g.pk, f"groups/{g.pk}"),
        )
        for g in rows.select_related("manager").order_by("name")
    ]


def groups_without_members() -> list[dict]:
    rows = (
        SupportGroup.objects.filter(is_active=True)
        .annotate(active=Count("members", filter=Q(members__is_active=True)))
        .filter(active=0)
        .select_related("manager")
        .order_by("name")
    )
    return [
        gap(
            "group_without_members",
            "group",
            g,
            _("the group has no active members: work assigned to it waits for nobody"),
            person(g.manager) if g.manager and g.manager.is_active else ADMINS,
            page("people:group_detail", g.pk, f"groups/{g.pk}"),
        )
        for g in rows
    ]


def cis_without_owner_group() -> list[dict]:
    rows = (
        ConfigurationItem.objects.exclude(status=CIStatus.RETIRED)
        .filter(Q(owner_group__isnull=True) | Q(owner_group__is_active=False))
        .select_related("owner_group")
        .order_by("name", "id")
    )
    return [
        gap(
            "ci_without_owner_group",
            "ci",
            ci,
            _("the configuration item has no owner group")
            if ci.owner_group is None
            else _("the owner group %(group)s is inactive") % {"group": ci.owner_group},
            ADMINS,
            page("ci_detail", ci.pk, f"cis/{ci.pk}"),
        )
        for ci in rows
    ]


#: The ownership app's own providers (declared in its practice, apps.py).
PROVIDERS = (
    GapProvider(
        "service_owner_inactive",
        gettext_lazy("Services without an active owner"),
        services_without_active_owner,
        10,
        for_admins(services_without_active_owner),
    ),
    GapProvider(
        "service_ownership_not_accepted",
        gettext_lazy("Services whose owner has not accepted ownership"),
        services_ownership_not_accepted,
        12,
        lambda user: services_ownership_not_accepted(only_for=user),
    ),
    GapProvider(
        "service_review_overdue",
        gettext_lazy("Services past their review date"),
        services_past_review,
        15,
    ),
    GapProvider(
        "process_without_owner",
        gettext_lazy("Processes without an owner"),
        processes_without_owner,
        20,
        for_admins(processes_without_owner),
    ),
    GapProvider(
        "raci",
        gettext_lazy("Activities breaking the RACI rules"),
        raci_errors,
        30,
        lambda user: raci_errors(only_for=user),
    ),
    GapProvider(
        "group_without_manager",
        gettext_lazy("Groups without a manager"),
        groups_without_manager,
        40,
        for_admins(groups_without_manager),
    ),
    GapProvider(
        "group_without_members",
        gettext_lazy("Groups without active members"),
        groups_without_members,
        41,
    ),
    GapProvider(
        "ci_without_owner_group",
        gettext_lazy("CIs without an owner group"),
        cis_without_owner_group,
        50,
        for_admins(cis_without_owner_group),
    ),
)


# --- "what do I own, and what of it needs me?" --------------------------------------------------


def needs_me(user: User, gaps: list[dict]) -> list[dict]:
    """The gaps whose fixer is ``user``, a role they hold, or a group they manage."""
    managed = set(user.managed_groups.values_list("pk", flat=True))

    def mine(fixer: dict) -> bool:
        if fixer["kind"] == PartyKind.USER:
            return fixer["id"] == user.pk
        if fixer["kind"] == PartyKind.ROLE:
            return user.has_role(fixer["id"]) or (
                fixer["id"] == Role.ADMIN and fixes_for_admins(user)
            )
        return fixer["id"] in managed

    return [g for g in gaps if mine(g["fix_by"])]


def mine(user: User) -> dict:
    from steward.ownership.models import RaciAssignment

    services = Service.objects.filter(owner=user).order_by("name")
    owned = Process.objects.filter(owner=user).order_by("name")
    managed = Process.objects.filter(managers=user).order_by("name")
    groups = SupportGroup.objects.filter(manager=user, is_active=True).order_by("name")
    raci = (
        RaciAssignment.objects.filter(
            Q(user=user, letter__in=["R", "A"]) | Q(accountable_person=user)
        )
        .select_related("activity__process")
        .order_by("activity__process__name", "activity__order", "letter")
    )
    cis, cis_count = owned_cis(user)
    return {
        "services": [{"id": s.pk, "name": s.name, "status": s.status} for s in services],
        "processes": [{"id": p.pk, "key": p.key, "name": p.name} for p in owned],
        "managed_processes": [{"id": p.pk, "key": p.key, "name": p.name} for p in managed],
        "groups": [{"id": g.pk, "name": g.name} for g in groups],
        "activities": [
            {
                "process": {
                    "id": a.activity.process.pk,
                    "key": a.activity.process.key,
                    "name": a.activity.process.name,
                },
                "activity": {"id": a.activity.pk, "name": a.activity.name},
                "letter": a.letter,
            }
            for a in raci
        ],
        "cis": cis,
        "cis_count": cis_count,
        "needs_me": collect_needing(user),
    }


def owned_cis(user: User, limit: int = 200) -> tuple[list[dict], int]:
    """CIs owned by the groups ``user`` manages: the first ``limit`` and how many in all."""
    rows = ConfigurationItem.objects.filter(owner_group__manager=user).order_by("name", "id")
    return [{"id": c.pk, "name": c.name} for c in rows[:limit]], rows.count()
