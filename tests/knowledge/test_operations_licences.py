"""Granting, changing and revoking licences: who may, one per person and domain, journaled
on the person."""

from __future__ import annotations

import pytest

from steward.core.errors import Conflict, StaleVersion, ValidationError
from steward.core.models import JournalEntry
from steward.knowledge import operations as ops
from steward.knowledge.choices import LicenceLevel
from steward.knowledge.models import Licence


def user_actions(user):
    return list(
        JournalEntry.objects.filter(record_type="people.user", record_id=str(user.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_grant_change_revoke_are_journaled_on_the_person(kb):
    admin, candidate = kb["people"]["admin"], kb["people"]["candidate"]
    licence = ops.grant_licence(
        admin, user=candidate, level=LicenceLevel.CONTRIBUTOR, category=kb["categories"]["network"]
    )
    assert (licence.granted_by, licence.coach) == (admin, False)
    licence = ops.change_licence(admin, licence, version=licence.version, coach=True)
    assert licence.coach and licence.version == 2
    ops.revoke_licence(admin, licence, version=licence.version)
    assert not Licence.objects.filter(user=candidate).exists()
    assert user_actions(candidate)[-3:] == ["licence_granted", "licence_changed", "licence_revoked"]


def test_one_licence_per_domain(kb):
    admin, contributor = kb["people"]["admin"], kb["people"]["contributor"]
    with pytest.raises(Conflict) as refused:
        ops.grant_licence(
            admin,
            user=contributor,
            level=LicenceLevel.PUBLISHER,
            service=kb["services"]["retail_live"],
        )
    assert "service" in refused.value.fields
    # another domain is fine
    ops.grant_licence(
        admin,
        user=contributor,
        level=LicenceLevel.PUBLISHER,
        service=kb["services"]["corporate_live"],
    )


def test_bad_grants_name_the_field(kb):
    admin = kb["people"]["admin"]
    with pytest.raises(ValidationError) as refused:
        ops.grant_licence(admin, user=kb["people"]["requester"], level=LicenceLevel.CANDIDATE)
    assert "user" in refused.value.fields
    with pytest.raises(ValidationError) as refused:
        ops.grant_licence(admin, user=kb["people"]["candidate"], level="guru")
    assert "level" in refused.value.fields
    with pytest.raises(ValidationError) as refused:
        ops.grant_licence(
            admin,
            user=kb["people"]["candidate"],
            level="publisher",
            service=kb["services"]["retail_live"],
            category=kb["categories"]["network"],
        )
    assert "category" in refused.value.fields


def test_stale_licence_version(kb):
    admin = kb["people"]["admin"]
    licence = Licence.objects.get(user=kb["people"]["publisher"])
    with pytest.raises(StaleVersion):
        ops.change_licence(admin, licence, version=licence.version + 1, level="contributor")
    with pytest.raises(StaleVersion):
        ops.revoke_licence(admin, licence, version=licence.version + 1)
    assert Licence.objects.get(pk=licence.pk).level == "publisher"
