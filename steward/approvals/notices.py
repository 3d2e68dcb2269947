"""What approvals tell people: the approvers of a step that opens (with one-click links), a
delegate, and the reminders and escalations of ``jobs.remind_and_escalate``.

Every sentence is a :class:`core.texts.Text` said in each reader's language. Each approver is
told on their own, since their email carries links signed for them.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_noop

from steward.approvals import links, registry
from steward.approvals.choices import Decision, Mode
from steward.approvals.models import Delegation
from steward.core.site import absolute
from steward.core.texts import Moment, Text
from steward.notifications.operations import notify


def deciders(request, excluded: set[int]) -> list:
    """The active people who may decide ``request`` themselves (named rows still pending, a
    mode-any step's group members and role holders), never the excluded."""
    from steward.people.models import User

    people = {
        row.user.pk: row.user
        for row in request.approvers.select_related("user")
        if row.decision == Decision.PENDING and row.user.is_active
    }
    if request.mode == Mode.ANY and request.group_id and request.group.is_active:
        people.update({u.pk: u for u in request.group.members.filter(is_active=True)})
    if request.mode == Mode.ANY and request.role:
        people.update(
            {u.pk: u for u in User.objects.filter(role_rows__role=request.role, is_active=True)}
        )
    return [p for pk, p in sorted(people.items()) if pk not in excluded]


def stand_ins(people, now) -> dict:
    """``{delegate: [the people they stand in for]}`` among ``people``'s active delegations."""
    result: dict = {}
    rows = Delegation.objects.filter(
        user__in=[p.pk for p in people],
        starts_at__lte=now,
        ends_at__gt=now,
        delegate__is_active=True,
    ).select_related("delegate", "user")
    for row in rows:
        result.setdefault(row.delegate, []).append(row.user)
    return result


def _page(request, person, instance) -> str:
    subject = registry.subject(request.subject_type)
    if not person.is_it and subject is not None and subject.portal_link and instance is not None:
        return subject.portal_link(instance, person)
    return request.get_absolute_url()


def _ask(actor, request, person, instance, subject_line: Text, opening: Text) -> None:
    body = Text(
        gettext_noop(
            "%(opening)s\n\nApprove: %(approve)s\nReject: %(reject)s\n\n"
            "Each link asks you to confirm. Or open %(page)s"
        ),
        opening=opening,
        approve=links.decision_link(request, person, Decision.APPROVED),
        reject=links.decision_link(request, person, Decision.REJECTED),
        page=absolute(_page(request, person, instance)),
    )
    notify(
        actor,
        [person],
        subject=subject_line,
        body=body,
        link=_page(request, person, instance),
        record=request,
    )


def _ask_all(actor, request, instance, people, excluded, now, subject_line, own, standing_in):
    """Ask each of ``people`` (``own``: the opening they read) and each active delegate of
    theirs who is not excluded (``standing_in``: a msgid with ``%(label)s``, ``%(step)s`` and
    ``%(away)s``, the people they stand in for); the number of people told."""
    told = 0
    for person in people:
        _ask(actor, request, person, instance, subject_line, own)
        told += 1
    for delegate, away in stand_ins(people, now).items():
        if delegate.pk in excluded:
            continue
        opening = Text(
            standing_in,
            label=request.subject_label,
            step=request.name,
            away=", ".join(p.display_name for p in away),
        )
        _ask(actor, request, delegate, instance, subject_line, opening)
        told += 1
    return told


def asked(actor, request, instance, excluded: set[int], now) -> int:
    """Tell the people who may decide a step that opened (and their active delegates); the
    number of people told."""
    who = getattr(request.requested_by, "display_name", "") or ""
    subject_line = Text(
        gettext_noop("Approval asked: %(label)s (%(step)s)"),
        label=request.subject_label,
        step=request.name,
    )
    own = Text(
        gettext_noop("%(label)s waits for your approval (step: %(step)s). Asked by %(who)s."),
        label=request.subject_label,
        step=request.name,
        who=who or "Steward",
    )
    return _ask_all(
        actor,
        request,
        instance,
        deciders(request, excluded),
        excluded,
        now,
        subject_line,
        own,
        gettext_noop(
            "%(label)s waits for the approval of %(away)s (step: %(step)s), for whom you stand in."
        ),
    )


def reminded(request, instance, excluded: set[int], now) -> int:
    """Remind the people who may still decide a pending step (and their delegates)."""
    decided = set(
        request.approvers.filter(decided_by__isnull=False).values_list("decided_by", flat=True)
    )
    people = [p for p in deciders(request, excluded) if p.pk not in decided]
    subject_line = Text(
        gettext_noop("Reminder: %(label)s waits for your approval (%(step)s)"),
        label=request.subject_label,
        step=request.name,
    )
    return _ask_all(
        None,
        request,
        instance,
        people,
        excluded,
        now,
        subject_line,
        Text(
            gettext_noop("%(label)s still waits for your approval (step: %(step)s)."),
            label=request.subject_label,
            step=request.name,
        ),
        gettext_noop(
            "%(label)s still waits for the approval of %(away)s (step: %(step)s), for whom "
            "you stand in."
        ),
    )


def escalated(request, recipients, days: int) -> None:
    notify(
        None,
        recipients,
        subject=Text(
            gettext_noop("Approval overdue: %(label)s (%(step)s)"),
            label=request.subject_label,
            step=request.name,
        ),
        body=Text(
            gettext_noop(
                "The step %(step)s of %(label)s has waited %(days)s business days for a "
                "decision. Please see that it is decided: %(page)s"
            ),
            step=request.name,
            label=request.subject_label,
            days=days,
            page=absolute(request.get_absolute_url()),
        ),
        link=request.get_absolute_url(),
        record=request,
    )


def delegated(actor, delegation) -> None:
    notify(
        actor,
        [delegation.delegate, delegation.user],
        subject=Text(
            gettext_noop("%(user)s's approvals: %(delegate)s stands in"),
            user=delegation.user.display_name,
            delegate=delegation.delegate.display_name,
        ),
        body=Text(
            gettext_noop(
                "From %(start)s to %(end)s (UTC), %(delegate)s may decide the approvals asked "
                "of %(user)s, on their behalf."
            ),
            start=Moment(delegation.starts_at),
            end=Moment(delegation.ends_at),
            delegate=delegation.delegate.display_name,
            user=delegation.user.display_name,
        ),
        link=reverse("approvals:delegations"),
    )
