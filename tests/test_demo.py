"""`manage.py load_demo`: a small realistic organisation, and running it twice changes nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from steward.core.models import JournalEntry
from steward.people.models import Organization, SupportGroup, User
from steward.services.models import Service

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        Organization.objects.count(),
        SupportGroup.objects.count(),
        User.objects.count(),
        Service.objects.count(),
        JournalEntry.objects.count(),
    )


def test_load_demo_builds_the_organisation_once():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "admin / " in out.getvalue()
    orgs, groups, users, services, _ = snapshot()
    assert orgs == 3 and groups == 6 and services == 12
    assert 38 <= users <= 45
    assert set(SupportGroup.objects.values_list("name", flat=True)) == {
        "Service Desk",
        "Network",
        "Server Operations",
        "Applications",
        "Database",
        "Security",
    }
    assert not SupportGroup.objects.filter(manager__isnull=True).exists()
    assert all(s.owner.is_active for s in Service.objects.select_related("owner"))
    admin = User.objects.get(username="admin")
    assert admin.is_admin and admin.is_staff

    before = snapshot()
    again = io.StringIO()
    call_command("load_demo", stdout=again)
    assert snapshot() == before
    assert "admin / " not in again.getvalue()
