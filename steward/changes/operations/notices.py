"""Who is told what as a change moves through authorization (in-app and mail, each reader in
their own language):

- entering Authorize: the approvers the change's authority names — the owning group for a
  peer review, the change managers, or the change board's group;
- a rejection: the change's owner and requester, with the reasons;
- the authorization complete: the owner and requester (it may now be scheduled).

Nobody is told about their own act, and the requester or owner is not asked to approve
their own change (``authorization.approval_refusal`` refuses it anyway)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from steward.changes.authorization import authorization
from steward.changes.choices import AuthorityLevel
from steward.changes.models import ChangeRequest
from steward.core.texts import Text
from steward.notifications.operations import notify
from steward.people.choices import Role
from steward.people.models import User


def _change_managers(change: ChangeRequest):
    return User.objects.filter(is_active=True, role_rows__role=Role.CHANGE_MANAGER.value).exclude(
        pk__in=[change.requester_id, change.owner_id or 0]
    )


def _parties(change: ChangeRequest) -> list:
    return [p for p in (change.owner, change.requester) if p is not None]


def awaiting_authorization(actor, change: ChangeRequest) -> None:
    """Ask the change's approvers for their decision (nothing for a pre-authorized change)."""
    state = authorization(change)
    if state.level == AuthorityLevel.NONE or state.complete:
        return
    subject = Text(
        gettext_noop("%(number)s awaits your authorization: %(title)s"),
        number=change.number,
        title=change.title,
    )
    body = (
        Text(
            gettext_noop("Planned from %(start)s. Approve or reject it on the change's page."),
            start=change.planned_start.strftime("%Y-%m-%d %H:%M UTC"),
        )
        if change.planned_start
        else Text(gettext_noop("Approve or reject it on the change's page."))
    )
    people, group = [], None
    if state.level == AuthorityLevel.PEER:
        group = change.owning_group
    elif state.level == AuthorityLevel.CHANGE_MANAGER:
        people = list(_change_managers(change))
    elif state.board is not None:
        group = state.board.group
    notify(
        actor,
        people,
        subject=subject,
        body=body,
        link=change.get_absolute_url(),
        record=change,
        group=group,
    )


def rejected(actor, change: ChangeRequest, reasons: str) -> None:
    notify(
        actor,
        _parties(change),
        subject=Text(
            gettext_noop("%(number)s was rejected and is back in Assess"), number=change.number
        ),
        body=reasons,
        link=change.get_absolute_url(),
        record=change,
    )


def authorized(actor, change: ChangeRequest) -> None:
    notify(
        actor,
        _parties(change),
        subject=Text(
            gettext_noop("%(number)s is authorized: it can be scheduled"), number=change.number
        ),
        body=change.title,
        link=change.get_absolute_url(),
        record=change,
    )
