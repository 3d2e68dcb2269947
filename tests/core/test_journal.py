"""The journal is append-only: no code path changes or deletes an entry."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from steward.core import journal
from steward.core.errors import JournalImmutableError
from steward.core.models import JournalEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(world):
    return journal.record(
        world["people"]["admin"],
        world["group"],
        "updated",
        {"description": ["old", "new"]},
        comment="why",
    )


def test_record_keeps_who_what_before_after_and_why(entry, world):
    assert entry.actor == world["people"]["admin"]
    assert entry.record_type == "people.supportgroup"
    assert entry.record_id == str(world["group"].pk)
    assert entry.changes == {"description": ["old", "new"]}
    assert entry.comment == "why"
    assert list(journal.history(world["group"]))[-1] == entry


def test_saving_an_existing_entry_is_refused(entry):
    entry.comment = "rewritten"
    with pytest.raises(JournalImmutableError):
        entry.save()


def test_deleting_an_entry_is_refused(entry):
    with pytest.raises(JournalImmutableError):
        entry.delete()
    with pytest.raises(JournalImmutableError):
        JournalEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(JournalImmutableError):
        JournalEntry.objects.filter(pk=entry.pk).update(comment="x")
    assert JournalEntry.objects.get(pk=entry.pk).comment == "why"


@pytest.mark.postgres
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE core_journalentry SET comment = 'tampered' WHERE id = %s",
        "DELETE FROM core_journalentry WHERE id = %s",
    ],
)
def test_postgresql_refuses_update_and_delete_on_the_journal(entry, statement):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [entry.pk])
    assert JournalEntry.objects.get(pk=entry.pk).comment == "why"


def test_every_operation_journals_its_change(world, api_as):
    admin = api_as(world["people"]["admin"])
    service = world["services"]["retail_live"]
    admin.patch(
        f"services/{service.pk}",
        {"version": 1, "criticality": 2, "customers": [world["orgs"]["corporate"].pk]},
    )
    last = JournalEntry.objects.for_record(service).last()
    assert last.action == "updated"
    assert last.actor == world["people"]["admin"]
    assert last.changes == {"criticality": [1, 2], "customers": [["Retail"], ["Corporate"]]}


def test_diff_lists_only_changed_fields():
    assert journal.diff({"a": 1, "b": 2}, {"a": 1, "b": 3}) == {"b": [2, 3]}
