"""CSV import of CIs and relationships: all rows or none, each bad row named."""

from __future__ import annotations

import pytest

from steward.core.models import JournalEntry
from steward.services import operations as ops
from steward.services.models import CIRelationship, ConfigurationItem

pytestmark = pytest.mark.django_db

SCHEMA = {
    "type": "object",
    "properties": {"cpu_count": {"type": "integer", "minimum": 1}, "virtual": {"type": "boolean"}},
    "required": ["cpu_count"],
}


@pytest.fixture
def admin(world, api_as):
    ops.create_ci_class(None, name="Server", attribute_schema=SCHEMA)
    ops.create_ci_class(None, name="Database")
    return api_as(world["people"]["admin"])


GOOD = """name,class,status,environment,owner_group,attr:cpu_count,attr:virtual
srv-01,Server,active,production,Network,4,yes
srv-02,Server,,,Network,8,no
db-01,Database,,,,,
"""


def test_a_good_file_imports_every_row_and_again_changes_nothing(admin):
    status, body = admin.post("cis/import", {"csv": GOOD})
    assert status == 200, body
    assert body == {"created": 3, "updated": 0, "unchanged": 0}
    srv = ConfigurationItem.objects.get(name="srv-01")
    assert srv.attributes == {"cpu_count": 4, "virtual": True}
    assert srv.owner_group.name == "Network"
    assert ConfigurationItem.objects.get(name="db-01").owner_group is None
    assert admin.post("cis/import", {"csv": GOOD})[1] == {
        "created": 0,
        "updated": 0,
        "unchanged": 3,
    }
    changed = GOOD.replace("srv-02,Server,,,Network,8,no", "srv-02,Server,retired,,Network,8,no")
    assert admin.post("cis/import", {"csv": changed})[1] == {
        "created": 0,
        "updated": 1,
        "unchanged": 2,
    }
    assert JournalEntry.objects.filter(record_type="services.configurationitem").count() == 4


def test_a_bad_row_imports_nothing_and_is_named(admin):
    bad = (
        GOOD
        + "srv-03,Server,active,production,Nobody,zero,\nsrv-04,Servr,,,,,\nsrv-05,Server,,,,,\n"
    )
    status, body = admin.post("cis/import", {"csv": bad})
    assert status == 422
    fields = body["error"]["fields"]
    assert fields["rows.5.owner_group"] == ["unknown group 'Nobody'"]
    assert "is not of type 'integer'" in fields["rows.5.attributes.cpu_count"][0]
    assert fields["rows.6.class"] == ["unknown CI class 'Servr'"]
    assert fields["rows.7.attributes.cpu_count"] == ["required"]
    assert "3 CI rows" in body["error"]["message"]
    assert not ConfigurationItem.objects.exists()


def test_a_bad_header_is_refused(admin):
    status, body = admin.post("cis/import", {"csv": "naam,class\nx,Server\n"})
    assert status == 422 and "name" in body["error"]["fields"]["header"][0]
    assert "naam" in body["error"]["fields"]["header"][1]


def test_only_admins_import(world, api_as, admin):
    status, _ = api_as(world["people"]["agent"]).post("cis/import", {"csv": GOOD})
    assert status == 403
    assert not ConfigurationItem.objects.exists()


def test_relationships_import_all_or_nothing(admin):
    admin.post("cis/import", {"csv": GOOD})
    good = "source,type,target\nsrv-01,depends_on,db-01\nsrv-02,depends_on,db-01\n"
    bad = good + "srv-01,hosts,db-01\nsrv-09,runs_on,srv-01\nsrv-01,runs_on,srv-01\n"
    status, body = admin.post("ci-relationships/import", {"csv": bad})
    assert status == 422
    fields = body["error"]["fields"]
    assert set(fields) == {"rows.4.type", "rows.5.source", "rows.6.target"}
    assert not CIRelationship.objects.exists()
    status, body = admin.post("ci-relationships/import", {"csv": good})
    assert status == 200 and body["created"] == 2
    status, body = admin.post("ci-relationships/import", {"csv": good})
    assert body == {"created": 0, "updated": 0, "unchanged": 2}
