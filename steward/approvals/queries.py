"""Read-side helpers of approvals: what awaits a person, the flow of a record, and who may
decide a step (with the sentence that says why not)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.approvals import registry
from steward.approvals.choices import DONE, Decision, Mode, State
from steward.approvals.models import ApprovalRequest, Approver, Delegation, active_delegators


def _askable(user, now=None) -> Q:
    """The steps ``user`` is asked on: named in a row still pending, a member of a mode-any
    step's group, a holder of its role — themselves or as an active delegate."""
    from steward.people.models import User, UserRole

    ids = User.objects.filter(
        Q(pk=user.pk) | Q(pk__in=active_delegators(user, now)), is_active=True
    ).values("pk")
    named = Approver.objects.filter(user__in=ids, decision=Decision.PENDING).values("request_id")
    groups = User.support_groups.through.objects.filter(user__in=ids).values("supportgroup_id")
    roles = UserRole.objects.filter(user__in=ids).values("role")
    return (
        Q(pk__in=named)
        | Q(mode=Mode.ANY, group_id__in=groups, group__is_active=True)
        | (Q(mode=Mode.ANY, role__in=roles) & ~Q(role=""))
    )


def awaiting(user, now=None) -> QuerySet:
    """The pending steps ``user`` may decide now (named, group member, role holder, or as the
    active delegate of such a person), that they have not decided yet and that their subject
    does not exclude them from (its snapshot when the step opened; ``decide`` asks afresh).
    Oldest first."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ApprovalRequest.objects.none()
    decided = Approver.objects.filter(
        Q(decided_by_id=user.pk) | Q(user_id=user.pk, decision__in=DONE)
    ).values("request_id")
    return (
        ApprovalRequest.objects.filter(state=State.PENDING)
        .filter(_askable(user, now))
        .exclude(pk__in=decided)
        .exclude(excluded_users=user)
        .select_related("group")
        .order_by("requested_at", "id")
    )


def awaiting_count(user) -> int:
    return awaiting(user).count() if user is not None and user.is_authenticated else 0


def flow(subject_type: str, subject_id) -> list[ApprovalRequest]:
    """Every step of every round asked on one record, each with its approvers (who, decision,
    comment, on behalf of, time), in order: for the pages and the API."""
    approvers = Approver.objects.select_related("user", "decided_by", "on_behalf_of").order_by("id")
    return list(
        ApprovalRequest.objects.filter(subject_type=subject_type, subject_id=subject_id)
        .select_related("group", "requested_by", "escalate_to")
        .prefetch_related(Prefetch("approvers", queryset=approvers))
        .order_by("round", "step")
    )


def current_round(subject_type: str, subject_id) -> int:
    """The latest round asked on a record (0 when none was)."""
    last = (
        ApprovalRequest.objects.filter(subject_type=subject_type, subject_id=subject_id)
        .order_by("-round")
        .values_list("round", flat=True)
        .first()
    )
    return last or 0


def excluded(request: ApprovalRequest) -> set[int]:
    """The ids of the people the subject says may never decide ``request`` (asked afresh)."""
    subject = registry.subject(request.subject_type)
    if subject is None:
        return set()
    instance = subject.instance(request.subject_id)
    if instance is None:
        return set()
    return {pk for pk in subject.excluded(instance) if pk is not None}


def _directly_eligible(
    person, request: ApprovalRequest, rows: list[Approver], *, asked: bool = False
) -> bool:
    """Whether ``person`` themselves (not as a delegate) is among those who may decide
    (``asked``: who were asked, whether or not their row is still pending)."""
    if person is None or not person.is_active:
        return False
    if any(r.user_id == person.pk and (asked or r.decision == Decision.PENDING) for r in rows):
        return True
    if request.mode != Mode.ANY:
        return False
    if (
        request.group_id
        and request.group.is_active
        and request.group.members.filter(pk=person.pk).exists()
    ):
        return True
    return bool(request.role) and person.has_role(request.role)


@dataclass(frozen=True)
class Refusal:
    """Why a person may not decide a step: the field, the sentence, and whether it is a
    conflict with the step's state (409) rather than a matter of who they are (403)."""

    field: str
    message: str
    conflict: bool = False

    def pair(self) -> tuple[str, str]:
        return self.field, self.message


def resolve(user, request: ApprovalRequest, now=None):
    """Whether ``user`` may decide ``request`` now, and for whom.

    Returns ``(on_behalf_of, refusal)``: ``on_behalf_of`` is the person a delegate decides
    for (None when they decide as themselves); ``refusal`` a :class:`Refusal` or None.
    Checked in this order: a person decides; never on what they are excluded from
    (self-approval); once per person and step; only those asked (or their active delegates);
    a step that is pending.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None, Refusal("approver", _("A decision is a person's."))
    shut_out = excluded(request)
    if user.pk in shut_out:
        return None, Refusal("approver", _("Nobody approves their own request."))
    rows = list(request.approvers.all())
    already = Refusal("approver", _("You have already decided on this step."), conflict=True)
    if any(r.decided_by_id == user.pk for r in rows):
        return None, already
    now = now or timezone.now()
    from steward.people.models import User

    delegators = list(
        User.objects.filter(pk__in=active_delegators(user, now), is_active=True).exclude(
            pk__in=shut_out
        )
    )
    people = [user, *delegators]
    if not any(_directly_eligible(p, request, rows, asked=True) for p in people):
        return None, Refusal("approver", _("You are not among the approvers of this step."))
    if request.state != State.PENDING:
        message = _("This step is not waiting for a decision: it is %(state)s.") % {
            "state": State(request.state).label.lower()
        }
        return None, Refusal("state", message, conflict=True)
    eligible = [p for p in people if _directly_eligible(p, request, rows)]
    if not eligible:
        return None, already
    person = eligible[0]
    return (None if person.pk == user.pk else person), None


def refusal(user, request: ApprovalRequest):
    """``(field, sentence)`` saying why ``user`` may not decide ``request`` now, or None."""
    found = resolve(user, request)[1]
    return found.pair() if found is not None else None


def eligible(user, request: ApprovalRequest) -> bool:
    return refusal(user, request) is None


def delegations_of(user) -> QuerySet:
    """The delegations ``user`` gave or received, newest first (ended ones too)."""
    return (
        Delegation.objects.filter(Q(user=user) | Q(delegate=user))
        .select_related("user", "delegate", "created_by")
        .order_by("-starts_at", "-id")
    )
