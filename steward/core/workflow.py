"""Transition tables: the one place a record type's lifecycle is written down.

A practice declares its table in its own ``workflow.py``::

    INCIDENT = TransitionTable("incident", {
        "new": {"in_progress", "cancelled"},
        "in_progress": {"on_hold", "resolved", "cancelled"},
        ...
    }, guards={("in_progress", "resolved"): require_resolution})

and its operations call ``INCIDENT.check(obj.status, target, obj=obj, **context)`` before moving.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from steward.core.errors import TransitionNotAllowed, ValidationError

Guard = Callable[..., None]


@dataclass(frozen=True)
class TransitionTable:
    name: str
    transitions: Mapping[str, Iterable[str]]
    guards: Mapping[tuple[str, str], Iterable[Guard] | Guard] = field(default_factory=dict)
    #: What people call each state ("in_progress" → "In progress"): with them, a refused move
    #: is told as a sentence in the reader's language; the API's ``fields`` keep the codes.
    labels: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self):
        # Sorted tuples: the same order in every process (tests parametrize from them).
        table = {state: tuple(sorted(set(targets))) for state, targets in self.transitions.items()}
        unknown = {t for targets in table.values() for t in targets} - set(table)
        if unknown:
            raise ValueError(f"{self.name}: targets without a row of their own: {sorted(unknown)}")
        object.__setattr__(self, "transitions", table)

    @property
    def states(self) -> frozenset[str]:
        return frozenset(self.transitions)

    def allowed(self, current: str) -> tuple[str, ...]:
        """The states reachable from ``current``, sorted."""
        return self.transitions.get(current, ())

    def refusal(self, current: str, target: str) -> str:
        """A refused move as a sentence, with the states' labels."""

        def label(state):
            return str(self.labels.get(state, state))

        names = [f"“{label(s)}”" for s in self.allowed(current)]
        values = {"current": label(current), "target": label(target)}
        if not names:
            return (
                _(
                    "It cannot go from “%(current)s” to “%(target)s”: “%(current)s” is final, "
                    "nothing follows it."
                )
                % values
            )
        allowed = (
            names[0]
            if len(names) == 1
            else _("%(first)s or %(last)s")
            % {
                "first": ", ".join(names[:-1]),
                "last": names[-1],
            }
        )
        return _(
            "It cannot go from “%(current)s” to “%(target)s”: from “%(current)s” it can only "
            "go to %(allowed)s."
        ) % {**values, "allowed": allowed}

    def can(self, current: str, target: str) -> bool:
        return target in self.allowed(current)

    def check(self, current: str, target: str, *, field_name: str = "to", **context) -> None:
        """Raise unless ``current → target`` is in the table and its guards pass."""
        if target not in self.transitions:
            raise ValidationError.field(
                field_name,
                _("unknown state %(target)s; states are: %(states)s")
                % {"target": repr(target), "states": ", ".join(sorted(self.transitions))},
            )
        if not self.can(current, target):
            refused = TransitionNotAllowed(current, target, self.allowed(current), field=field_name)
            if self.labels:
                refused.message = self.refusal(current, target)
                refused.args = (refused.message,)
            raise refused
        guards = self.guards.get((current, target), ())
        if callable(guards):
            guards = (guards,)
        for guard in guards:
            guard(**context)
