"""Who is told what as a change moves through authorization (in-app and mail, each reader in
their own language):

- entering Authorize: the approvers the change's authority names — the owning group for a
  peer review, the change managers, or the change board's group — are asked by the shared
  approvals (``approvals.notices.asked``: "Approval asked: CHG… (Peer review)", with signed
  one-click links), never the change's requester or owner;
- a rejection: the change's owner and requester, with the reasons;
- the authorization complete: the owner and requester (it may now be scheduled).

Nobody is told about their own act."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from steward.changes.models import ChangeRequest
from steward.core.texts import Text
from steward.notifications.operations import notify


def _parties(change: ChangeRequest) -> list:
    return [p for p in (change.owner, change.requester) if p is not None]


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
