"""The ownership part of `load_demo`: owners, a matrix per process, a CMDB, deliberate gaps."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from steward.core.models import JournalEntry
from steward.ownership import gaps
from steward.ownership.models import Process, RaciAssignment
from steward.services import impact
from steward.services.models import ConfigurationItem, ServiceCI

pytestmark = pytest.mark.django_db


def test_demo_gives_every_process_a_matrix_a_cmdb_and_a_few_gaps():
    call_command("load_demo", stdout=io.StringIO())
    for process in Process.objects.all():
        assert RaciAssignment.objects.filter(activity__process=process).exists(), process.key
    assert Process.objects.filter(owner__isnull=True).count() == 1
    assert ServiceCI.objects.count() == 10
    kinds = {(g["kind"], g["record"]["name"]) for g in gaps.collect()}
    assert ("process_without_owner", "Continual improvement") in kinds
    assert ("raci_responsible", "Problem management › Review") in kinds
    assert ("raci_accountable_person", "Change enablement › Authorize") in kinds
    assert ("ci_without_owner_group", "legacy-fax-01") in kinds
    affected = impact.analyse(ConfigurationItem.objects.get(name="san-01"))
    assert affected["count"] == 10  # everything runs on the SAN

    before = (JournalEntry.objects.count(), RaciAssignment.objects.count())
    call_command("load_demo", stdout=io.StringIO())
    assert (JournalEntry.objects.count(), RaciAssignment.objects.count()) == before
