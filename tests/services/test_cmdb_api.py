"""The CMDB API: classes with attribute schemas, CIs, relationships, links, impact, permissions."""

from __future__ import annotations

import pytest

from steward.core.models import JournalEntry
from steward.services import operations as ops
from steward.services.models import CIRelationship, ConfigurationItem, ServiceCI

pytestmark = pytest.mark.django_db

SERVER_SCHEMA = {
    "type": "object",
    "properties": {
        "cpu_count": {"type": "integer", "minimum": 1},
        "ram_gb": {"type": "number"},
        "os": {"type": "string", "enum": ["linux", "windows"]},
    },
    "required": ["cpu_count"],
    "additionalProperties": False,
}


@pytest.fixture
def server(world):
    return ops.create_ci_class(None, name="Server", attribute_schema=SERVER_SCHEMA)


@pytest.fixture
def admin(world, api_as):
    return api_as(world["people"]["admin"])


def test_admins_define_classes_with_a_valid_json_schema(world, api_as, admin):
    status, body = admin.post("ci-classes", {"name": "Server", "attribute_schema": SERVER_SCHEMA})
    assert status == 201, body
    assert body["attribute_schema"] == SERVER_SCHEMA and body["ci_count"] == 0
    status, body = admin.post(
        "ci-classes", {"name": "Broken", "attribute_schema": {"type": "objekt"}}
    )
    assert status == 422
    assert "attribute_schema" in body["error"]["fields"]
    status, body = api_as(world["people"]["agent"]).post("ci-classes", {"name": "Mine"})
    assert status == 403


def test_ci_attributes_are_validated_and_a_bad_one_is_named(admin, server, world):
    group = world["group"]
    base = {"name": "srv-01", "ci_class": server.pk, "owner_group": group.pk}
    status, body = admin.post("cis", {**base, "attributes": {"cpu_count": "four", "os": "beos"}})
    assert status == 422
    fields = body["error"]["fields"]
    assert set(fields) == {"attributes.cpu_count", "attributes.os"}
    assert "is not of type 'integer'" in fields["attributes.cpu_count"][0]
    status, body = admin.post("cis", {**base, "attributes": {"ram_gb": 16, "colour": "red"}})
    assert status == 422
    assert body["error"]["fields"] == {
        "attributes.cpu_count": ["required"],
        "attributes.colour": ["unknown attribute for this class"],
    }
    assert not ConfigurationItem.objects.exists()
    status, body = admin.post("cis", {**base, "attributes": {"cpu_count": 4, "os": "linux"}})
    assert status == 201, body
    assert body["owner_group"] == {"id": group.pk, "name": "Network"}
    assert body["attributes"] == {"cpu_count": 4, "os": "linux"}
    status, body = admin.patch(
        f"cis/{body['id']}", {"version": body["version"], "attributes": {"cpu_count": 0}}
    )
    assert status == 422 and "attributes.cpu_count" in body["error"]["fields"]
    entry = JournalEntry.objects.filter(record_type="services.configurationitem").last()
    assert entry.action == "created"


def test_a_schema_change_that_would_break_existing_cis_is_refused(admin, server):
    ops.create_ci(None, name="srv-01", ci_class=server, attributes={"cpu_count": 2})
    status, body = admin.patch(
        f"ci-classes/{server.pk}",
        {"version": server.version, "attribute_schema": {**SERVER_SCHEMA, "required": ["os"]}},
    )
    assert status == 422
    assert "srv-01" in body["error"]["fields"]["attribute_schema"][0]


@pytest.mark.parametrize("who", ["requester", "outsider"])
def test_a_requester_sees_none_of_the_cmdb(world, api_as, server, who):
    ci = ops.create_ci(None, name="srv-01", ci_class=server, attributes={"cpu_count": 2})
    ops.link_service_ci(None, service=world["services"]["retail_live"], ci=ci)
    client = api_as(world["people"][who], "read")
    for path in ("ci-classes", "cis", "ci-relationships", "service-cis"):
        status, body = client.get(path)
        assert status == 200 and body["count"] == 0, path
    for path in (f"cis/{ci.pk}", f"cis/{ci.pk}/impact", f"ci-classes/{server.pk}"):
        status, body = client.get(path)
        assert status == 404, path
    status, _ = api_as(world["people"][who]).post(
        "cis", {"name": "mine", "ci_class": server.pk, "attributes": {"cpu_count": 1}}
    )
    assert status in (403, 422)
    assert ConfigurationItem.objects.count() == 1


def test_the_owner_group_changes_its_cis_and_others_do_not(world, api_as, server, make_user):
    group = world["group"]  # manager: agent; members: agent, owner
    ci = ops.create_ci(
        None, name="srv-01", ci_class=server, owner_group=group, attributes={"cpu_count": 2}
    )
    stranger = make_user("stranger")
    status, body = api_as(stranger).patch(f"cis/{ci.pk}", {"version": 1, "status": "maintenance"})
    assert status == 403
    status, body = api_as(world["owner"]).patch(
        f"cis/{ci.pk}", {"version": 1, "status": "maintenance"}
    )
    assert status == 200 and body["status"] == "maintenance"
    status, body = api_as(world["owner"]).patch(f"cis/{ci.pk}", {"version": 1, "status": "active"})
    assert status == 409
    # an agent may record a CI for their own group, not for someone else's
    client = api_as(world["people"]["agent"])
    base = {"ci_class": server.pk, "attributes": {"cpu_count": 1}}
    assert client.post("cis", {**base, "name": "ours", "owner_group": group.pk})[0] == 201
    assert api_as(stranger).post("cis", {**base, "name": "x", "owner_group": group.pk})[0] == 403


def test_relationships_links_and_impact_through_the_api(world, api_as, admin, server):
    attrs = {"cpu_count": 2}
    db, app = (
        ops.create_ci(None, name=n, ci_class=server, attributes=attrs) for n in ("db-01", "app-01")
    )
    status, body = admin.post(
        "ci-relationships", {"source": app.pk, "type": "depends_on", "target": db.pk}
    )
    assert status == 201, body
    assert (body["source"]["name"], body["type"], body["target"]["name"]) == (
        "app-01",
        "depends_on",
        "db-01",
    )
    rel_id = body["id"]
    status, body = admin.post(
        "ci-relationships", {"source": app.pk, "type": "depends_on", "target": db.pk}
    )
    assert status == 422 and "target" in body["error"]["fields"]
    status, body = admin.post(
        "ci-relationships", {"source": app.pk, "type": "depends_on", "target": app.pk}
    )
    assert status == 422
    service = world["services"]["retail_live"]
    status, body = api_as(world["owner"]).post("service-cis", {"service": service.pk, "ci": app.pk})
    assert status == 201, body
    status, body = api_as(world["people"]["agent"]).post(
        "service-cis", {"service": world["services"]["corporate_live"].pk, "ci": app.pk}
    )
    assert status == 403

    status, body = api_as(world["people"]["agent"], "read").get(f"cis/{db.pk}/impact")
    assert status == 200
    assert body["count"] == 1
    (row,) = body["services"]
    assert row["service"]["name"] == "Online Banking"
    assert row["owner"]["username"] == "owner"
    assert [s["ci"]["name"] for s in row["path"]] == ["db-01", "app-01"]
    assert row["explanation"] == [
        "app-01 depends on db-01",
        "Online Banking is delivered by app-01",
    ]
    status, body = admin.get("ci-relationships", ci=db.pk)
    assert body["count"] == 1
    status, body = admin.delete(f"ci-relationships/{rel_id}")
    assert status == 204
    assert not CIRelationship.objects.exists()
    assert api_as(world["people"]["agent"], "read").get(f"cis/{db.pk}/impact")[1]["count"] == 0
    link = ServiceCI.objects.get()
    assert admin.delete(f"service-cis/{link.pk}")[0] == 204
    actions = set(JournalEntry.objects.values_list("action", flat=True))
    assert {"relationship_added", "relationship_removed", "ci_linked", "ci_unlinked"} <= actions


def test_a_ci_without_an_owner_group_is_an_ownership_gap(world, api_as, server):
    ci = ops.create_ci(None, name="orphan", ci_class=server, attributes={"cpu_count": 1})
    client = api_as(world["people"]["agent"], "read")
    _, body = client.get("ownership/gaps", kind="ci_without_owner_group")
    assert [g["record"] for g in body["items"]] == [{"type": "ci", "id": ci.pk, "name": "orphan"}]
    ops.update_ci(None, ci, version=ci.version, owner_group=world["group"])
    _status, body = client.get("ownership/gaps", kind="ci_without_owner_group")
    assert body["items"] == []
    _, body = client.get("ownership/mine")
    assert body["cis"] == [{"id": ci.pk, "name": "orphan"}] and body["cis_count"] == 1


@pytest.mark.parametrize("path", ["cis", "ci-relationships", "service-cis", "ci-classes"])
def test_cmdb_lists_run_a_constant_number_of_queries(world, api_as, server, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_as(world["people"]["admin"], "read")
    client.get("me")
    service = world["services"]["retail_live"]

    def grow(start, n):
        prev = None
        for i in range(start, start + n):
            ops.create_ci_class(None, name=f"Class {i}")
            ci = ops.create_ci(
                None,
                name=f"ci-{i}",
                ci_class=server,
                owner_group=world["group"],
                attributes={"cpu_count": 1},
            )
            ops.link_service_ci(None, service=service, ci=ci)
            if prev:
                ops.create_relationship(None, source=ci, target=prev, type="depends_on")
            prev = ci

    def count():
        with CaptureQueriesContext(connection) as ctx:
            status, body = client.get(path, limit=200)
        assert status == 200
        return len(ctx.captured_queries), len(body["items"])

    grow(0, 3)
    small = count()
    grow(100, 20)
    big = count()
    assert big[1] > small[1] and big[0] == small[0]
