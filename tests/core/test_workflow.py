"""The transition-table helper."""

from __future__ import annotations

import pytest

from steward.core.errors import TransitionNotAllowed, ValidationError
from steward.core.workflow import TransitionTable


def needs_notes(notes: str = "", **_):
    if not notes:
        raise ValidationError.field("notes", "required to resolve")


TABLE = TransitionTable(
    "ticket",
    {
        "new": {"in_progress", "cancelled"},
        "in_progress": {"resolved", "cancelled"},
        "resolved": {"in_progress", "closed"},
        "closed": set(),
        "cancelled": set(),
    },
    guards={("in_progress", "resolved"): needs_notes},
)


def test_allowed_transitions_pass():
    TABLE.check("new", "in_progress")
    TABLE.check("in_progress", "resolved", notes="fixed")


def test_a_refused_transition_names_the_current_state_and_the_allowed_ones():
    with pytest.raises(TransitionNotAllowed) as info:
        TABLE.check("new", "closed")
    assert "'new'" in info.value.message
    assert info.value.allowed == ["cancelled", "in_progress"]
    assert info.value.fields == {"to": ["not allowed from 'new'; allowed: cancelled, in_progress"]}


def test_a_final_state_says_so():
    with pytest.raises(TransitionNotAllowed, match="none \\(final state\\)"):
        TABLE.check("closed", "new")


def test_an_unknown_state_is_a_validation_error():
    with pytest.raises(ValidationError) as info:
        TABLE.check("new", "frozen")
    assert "to" in info.value.fields


def test_guards_run_beside_the_table():
    with pytest.raises(ValidationError) as info:
        TABLE.check("in_progress", "resolved")
    assert info.value.fields == {"notes": ["required to resolve"]}


def test_a_table_with_a_target_missing_its_own_row_is_rejected():
    with pytest.raises(ValueError, match="frozen"):
        TransitionTable("bad", {"new": {"frozen"}})
