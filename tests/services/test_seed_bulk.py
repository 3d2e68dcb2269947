"""The bulk seeding command behind the benchmarks."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from steward.core.models import JournalEntry
from steward.people.models import SupportGroup, User
from steward.services.models import Service

pytestmark = pytest.mark.django_db


def test_seed_bulk_creates_what_it_is_asked_for_and_journals_it():
    out = io.StringIO()
    call_command(
        "seed_bulk", orgs=3, users=250, groups=5, services=40, members_per_group=4, stdout=out
    )
    assert User.objects.count() == 250
    assert SupportGroup.objects.count() == 5
    assert Service.objects.count() == 40
    assert all(g.members.count() == 4 for g in SupportGroup.objects.all())
    assert not Service.objects.filter(customers__isnull=True).exists()
    assert JournalEntry.objects.filter(action="created").count() == 3 + 250 + 5 + 40
    assert User.objects.filter(role_rows__role="agent").count() == 250
    assert "250 users" in out.getvalue().replace(",", "")
