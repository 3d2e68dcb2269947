"""Bulk actions on a selection of a queue: assign, hand over or resolve several incidents.

Each incident goes through the existing operation (``ops.assign``, ``ops.hand_over``,
``ops.transition``) on its own, in a transaction of its own, against the version the person
read it at: one refused or stale incident changes nothing of itself and does not stop the
others. The result says, per incident, whether it was done or why it was refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steward.core.errors import DomainError, StaleVersion, ValidationError
from steward.incidents import operations as ops
from steward.incidents.choices import Status
from steward.incidents.models import Incident

#: The actions and their labels, in the order the page offers them.
ACTIONS = {
    "assign": gettext_lazy("Assign to"),
    "hand_over": gettext_lazy("Hand over to"),
    "resolve": gettext_lazy("Resolve"),
}

#: At most this many incidents in one go (a queue page shows fifty).
MAX_SELECTION = 100


@dataclass(frozen=True)
class Pick:
    """One selected incident and the version the person read it at."""

    incident_id: int
    version: int


@dataclass(frozen=True)
class Outcome:
    """What became of one selected incident."""

    number: str
    done: bool
    message: str


def parse_picks(values) -> list[Pick]:
    """The selection as the page sends it, ``"<id>:<version>"`` per incident; anything else
    is dropped (a hand-made value selects nothing). Duplicates count once."""
    picks: dict[int, Pick] = {}
    for value in values:
        pk, _sep, version = str(value).partition(":")
        if pk.isdigit() and version.isdigit() and len(pk) < 19 and len(version) < 19:
            picks.setdefault(int(pk), Pick(int(pk), int(version)))
    return list(picks.values())


def _stale(incident: Incident) -> str:
    return _(
        "%(number)s was changed by someone else after you opened the list: reload it and try again."
    ) % {"number": incident.number}


def _one(actor, action: str, incident: Incident, version: int, params: dict) -> None:
    if action == "assign":
        ops.assign(actor, incident, params["assignee"], version=version)
    elif action == "hand_over":
        with ops.at_version(incident, version):
            ops.hand_over(actor, incident, to_group=params["to_group"], reason=params["reason"])
    elif action == "resolve":
        ops.transition(
            actor,
            incident,
            Status.RESOLVED,
            resolution_code=params["resolution_code"],
            resolution_notes=params["resolution_notes"],
            version=version,
        )
    else:
        raise ValidationError.field("action", "unknown action")


def apply(actor, action: str, picks: list[Pick], **params) -> list[Outcome]:
    """Run ``action`` on each picked incident that ``actor`` may see, one transaction each,
    in the order picked. ``params``: ``assignee`` (assign), ``to_group`` and ``reason`` (hand
    over), ``resolution_code`` and ``resolution_notes`` (resolve)."""
    if action not in ACTIONS:
        raise ValidationError.field("action", "unknown action")
    picks = picks[:MAX_SELECTION]
    found = Incident.objects.for_user(actor, "view").in_bulk([p.incident_id for p in picks])
    outcomes = []
    for pick in picks:
        incident = found.get(pick.incident_id)
        if incident is None:  # gone, or never visible: said the same way
            outcomes.append(Outcome("—", False, _("This incident does not exist.")))
            continue
        try:
            with transaction.atomic():
                _one(actor, action, incident, pick.version, params)
        except StaleVersion:
            outcomes.append(Outcome(incident.number, False, _stale(incident)))
        except DomainError as exc:
            outcomes.append(Outcome(incident.number, False, str(exc.message)))
        else:
            outcomes.append(Outcome(incident.number, True, _("Done.")))
    return outcomes
