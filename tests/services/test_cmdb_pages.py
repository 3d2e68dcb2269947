"""The CMDB pages: the CI list, a CI with its generated attribute form, relationships, the
impact view, CI classes and the CSV import, per role."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from steward.services import operations as ops
from steward.services.models import CIClass, CIRelationship, ConfigurationItem

pytestmark = pytest.mark.django_db

SERVER_SCHEMA = {
    "type": "object",
    "properties": {
        "cpu_count": {"type": "integer", "minimum": 1, "title": "CPUs"},
        "os": {"type": "string", "enum": ["linux", "windows"]},
        "hostname": {"type": "string", "pattern": "^[a-z0-9-]+$"},
        "virtual": {"type": "boolean"},
    },
    "required": ["cpu_count"],
}


@pytest.fixture
def cmdb(world):
    server = ops.create_ci_class(None, name="Server", attribute_schema=SERVER_SCHEMA)
    database = ops.create_ci_class(None, name="Database")
    group = world["group"]  # "Network": managed by the agent, with the owner as member
    web = ops.create_ci(
        None, name="web-01", ci_class=server, owner_group=group, attributes={"cpu_count": 4}
    )
    db = ops.create_ci(None, name="pg-01", ci_class=database)
    ops.create_relationship(None, source=web, target=db, type="depends_on")
    ops.link_service_ci(None, service=world["services"]["retail_live"], ci=web)
    return {"server": server, "database": database, "web": web, "db": db}


def names(response) -> list[str]:
    return [ci.name for ci in response.context["page_obj"]]


def test_requesters_see_no_cmdb_page(world, cmdb, client_for):
    client = client_for(world["people"]["requester"])
    for url in [
        reverse("cmdb:list"),
        reverse("cmdb:detail", args=[cmdb["web"].pk]),
        reverse("cmdb:impact", args=[cmdb["web"].pk]),
        reverse("cmdb:classes"),
        reverse("cmdb:import"),
    ]:
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["pg-01", "web-01"]),
        ({"q": "web"}, ["web-01"]),
        ({"ci_class": "server"}, ["web-01"]),
        ({"owner_group": "group"}, ["web-01"]),
        ({"sort": "-name"}, ["web-01", "pg-01"]),
        ({"sort": "class"}, ["pg-01", "web-01"]),
    ],
)
def test_the_ci_list_filters_like_the_api(world, cmdb, client_for, api_as, params, expected):
    ids = {"server": cmdb["server"].pk, "group": world["group"].pk}
    params = {k: ids.get(v, v) for k, v in params.items()}
    agent = world["people"]["agent"]
    assert names(client_for(agent).get(reverse("cmdb:list"), params)) == expected
    api_params = {k: v for k, v in params.items() if k != "sort"}
    if "sort" not in params:
        body = api_as(agent).get("cis", **api_params)[1]
        assert [ci["name"] for ci in body["items"]] == expected


def test_the_attribute_form_is_generated_from_the_class_schema(world, cmdb, client_for):
    response = client_for(world["owner"]).get(cmdb["web"].get_absolute_url())
    form = response.context["attribute_form"]
    # required first, then by name: the same order on either database
    assert list(form.fields) == ["attr_cpu_count", "attr_hostname", "attr_os", "attr_virtual"]
    assert form.fields["attr_cpu_count"].label == "CPUs" and form.fields["attr_cpu_count"].required
    assert [c[0] for c in form.fields["attr_os"].choices] == ["", '"linux"', '"windows"']
    html = response.content.decode()
    assert 'name="attr_cpu_count"' in html and 'value="4"' in html


def test_attributes_are_saved_and_a_schema_problem_is_shown_beside_its_field(
    world, cmdb, client_for
):
    web = cmdb["web"]
    client = client_for(world["owner"])
    url = reverse("cmdb:attributes", args=[web.pk])
    good = {
        "version": web.version,
        "attr_cpu_count": "8",
        "attr_os": '"linux"',
        "attr_virtual": "true",
    }
    assert client.post(url, good).status_code == 302
    web.refresh_from_db()
    assert web.attributes == {"cpu_count": 8, "os": "linux", "virtual": True}
    # the pattern is checked by the server's JSON Schema validation, not by the form
    bad = {"version": web.version, "attr_cpu_count": "8", "attr_hostname": "Not A Host!"}
    response = client.post(url, bad)
    assert response.status_code == 422
    errors = response.context["attribute_form"].errors
    assert list(errors) == ["attr_hostname"] and "does not match" in errors["attr_hostname"][0]
    zero = client.post(url, {"version": web.version, "attr_cpu_count": "0"})
    assert zero.status_code == 422 and "attr_cpu_count" in zero.context["attribute_form"].errors
    web.refresh_from_db()
    assert web.attributes == {"cpu_count": 8, "os": "linux", "virtual": True}


def test_a_stale_attribute_save_shows_the_conflict(world, cmdb, client_for):
    web = cmdb["web"]
    version = web.version
    ops.update_ci(world["people"]["admin"], web, version=version, description="moved racks")
    response = client_for(world["owner"]).post(
        reverse("cmdb:attributes", args=[web.pk]),
        {"version": version, "attr_cpu_count": "2"},
    )
    assert response.status_code == 409
    assert "while you were editing" in response.content.decode()
    web.refresh_from_db()
    assert web.attributes == {"cpu_count": 4}


def test_only_the_owner_group_and_administrators_change_a_ci(world, cmdb, client_for, make_user):
    outsider = make_user("outsider-agent", roles=["agent"])
    web = cmdb["web"]
    client = client_for(outsider)
    page = client.get(web.get_absolute_url())
    assert page.status_code == 200 and page.context["actions"] == frozenset()
    assert 'name="attr_cpu_count"' not in page.content.decode()
    assert client.get(reverse("cmdb:edit", args=[web.pk])).status_code == 403
    url = reverse("cmdb:attributes", args=[web.pk])
    assert client.post(url, {"version": web.version, "attr_cpu_count": "9"}).status_code == 403


def test_editing_a_ci_checks_its_version(world, cmdb, client_for):
    web = cmdb["web"]
    client = client_for(world["owner"])
    url = reverse("cmdb:edit", args=[web.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(owner_group=world["group"].pk, status="maintenance")
    assert client.post(url, data).status_code == 302
    web.refresh_from_db()
    assert web.status == "maintenance"
    stale = client.post(url, {**data, "status": "retired"})
    assert stale.status_code == 409
    web.refresh_from_db()
    assert web.status == "maintenance"
    empty = client.post(url, {**data, "version": web.version, "name": ""})
    assert empty.status_code == 422 and "name" in empty.context["form"].errors


def test_an_agent_records_a_ci_for_their_group(world, cmdb, client_for):
    client = client_for(world["people"]["agent"])
    data = {"name": "sw-01", "ci_class": cmdb["database"].pk, "status": "active"}
    data |= {"environment": "production", "owner_group": world["group"].pk}
    response = client.post(reverse("cmdb:create"), data)
    ci = ConfigurationItem.objects.get(name="sw-01")
    assert response.status_code == 302 and response["Location"] == ci.get_absolute_url()
    refused = client.post(reverse("cmdb:create"), {**data, "name": "sw-02", "owner_group": ""})
    assert refused.status_code == 422 and "owner_group" in refused.context["form"].errors


def test_relationships_are_added_by_name_and_removed(world, cmdb, client_for):
    web, db = cmdb["web"], cmdb["db"]
    client = client_for(world["owner"])
    add = reverse("cmdb:relationship_add", args=[web.pk])
    assert client.post(add, {"type": "runs_on", "target": "pg-01"}).status_code == 302
    rel = CIRelationship.objects.get(source=web, target=db, type="runs_on")
    again = client.post(add, {"type": "runs_on", "target": "pg-01"})
    assert again.status_code == 422 and "target" in again.context["relationship_form"].errors
    itself = client.post(add, {"type": "part_of", "target": "web-01"})
    assert "target" in itself.context["relationship_form"].errors
    html = client.get(web.get_absolute_url()).content.decode()
    assert "runs on" in html and "pg-01" in html
    remove = reverse("cmdb:relationship_remove", args=[web.pk, rel.pk])
    assert client.post(remove).status_code == 302
    assert not CIRelationship.objects.filter(pk=rel.pk).exists()


def test_the_impact_view_draws_and_lists_services_and_customers(world, cmdb, client_for):
    response = client_for(world["people"]["agent"]).get(
        reverse("cmdb:impact", args=[cmdb["db"].pk])
    )
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('<svg class="impact__svg"')
    svg = html[start : html.index("</svg>", start)]
    assert 'role="img"' in svg and "<title" in svg
    assert "Online Banking" in svg and "Retail" in svg and "pg-01" in svg
    assert "<script" not in html.split("<main", 1)[1]
    table = html[html.index('id="list-heading"') :]
    assert "Online Banking" in table and "web-01 depends on pg-01" in table
    assert response.context["impact"]["count"] == 1


def test_administrators_define_classes_and_a_bad_schema_is_named(world, client_for):
    client = client_for(world["people"]["admin"])
    create = reverse("cmdb:class_create")
    bad = client.post(create, {"name": "Switch", "attribute_schema": '{"type": "objekt"}'})
    assert bad.status_code == 422 and "attribute_schema" in bad.context["form"].errors
    junk = client.post(create, {"name": "Switch", "attribute_schema": "{not json"})
    assert "Not valid JSON" in junk.context["form"].errors["attribute_schema"][0]
    schema = '{"type": "object", "properties": {"ports": {"type": "integer"}}}'
    assert client.post(create, {"name": "Switch", "attribute_schema": schema}).status_code == 302
    switch = CIClass.objects.get(name="Switch")
    assert switch.attribute_schema["properties"]["ports"] == {"type": "integer"}
    listing = client_for(world["people"]["agent"]).get(reverse("cmdb:classes"))
    assert listing.status_code == 200 and "ports" in listing.content.decode()
    assert client_for(world["people"]["agent"]).get(create).status_code == 403


def test_a_class_change_that_would_break_a_ci_is_refused_beside_the_schema(world, cmdb, client_for):
    server = cmdb["server"]
    client = client_for(world["people"]["admin"])
    url = reverse("cmdb:class_edit", args=[server.pk])
    stricter = {**SERVER_SCHEMA, "required": ["cpu_count", "os"]}
    import json

    data = {"name": "Server", "attribute_schema": json.dumps(stricter), "version": server.version}
    response = client.post(url, data)
    assert response.status_code == 422
    assert "web-01" in response.context["form"].errors["attribute_schema"][0]


CSV_GOOD = "name,class,owner_group,attr:cpu_count\nsrv-01,Server,Network,2\nsrv-02,Server,,4\n"
CSV_BAD = "name,class,attr:cpu_count\nsrv-01,Server,two\nsrv-02,Servr,\n"


def upload(kind: str, text: str) -> dict:
    return {"kind": kind, "file": SimpleUploadedFile("cis.csv", text.encode(), "text/csv")}


def test_the_import_page_imports_a_good_file(world, cmdb, client_for):
    response = client_for(world["people"]["admin"]).post(
        reverse("cmdb:import"), upload("cis", CSV_GOOD)
    )
    assert response.status_code == 200
    assert response.context["result"] == {"created": 2, "updated": 0, "unchanged": 0}
    assert "2 created" in response.content.decode()


def test_the_import_page_lists_each_bad_row_and_imports_nothing(world, cmdb, client_for):
    client = client_for(world["people"]["admin"])
    response = client.post(reverse("cmdb:import"), upload("cis", CSV_BAD))
    assert response.status_code == 422
    problems = response.context["problems"]
    assert ("2", "attr:cpu_count", "'two' is not of type 'integer'") in problems
    assert any(line == "3" and column == "class" for line, column, _p in problems)
    assert not ConfigurationItem.objects.filter(name__startswith="srv-").exists()
    # with htmx the answer is the result fragment, as a 200 that htmx swaps in
    partial = client.post(
        reverse("cmdb:import"),
        upload("cis", CSV_BAD),
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="import-result",
    )
    assert partial.status_code == 200 and "<html" not in partial.content.decode()
    assert "Line numbers count the header" in partial.content.decode()


def test_relationships_import_from_the_page(world, cmdb, client_for):
    text = "source,type,target\nweb-01,runs_on,pg-01\n"
    response = client_for(world["people"]["admin"]).post(
        reverse("cmdb:import"), upload("relationships", text)
    )
    assert response.context["result"]["created"] == 1


def test_only_administrators_import(world, cmdb, client_for):
    client = client_for(world["people"]["agent"])
    assert client.get(reverse("cmdb:import")).status_code == 403
    assert client.post(reverse("cmdb:import"), upload("cis", CSV_GOOD)).status_code == 403


def test_the_ci_list_and_a_ci_page_run_a_bounded_number_of_queries(
    world, cmdb, client_for, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world["people"]["agent"])
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("cmdb:list"))
    for i in range(30):
        ops.create_ci(
            None, name=f"vm-{i:02}", ci_class=cmdb["database"], owner_group=world["group"]
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(reverse("cmdb:list")).context["page_obj"]) == 32
    web = cmdb["web"]
    for i in range(10):
        target = ConfigurationItem.objects.get(name=f"vm-{i:02}")
        ops.create_relationship(None, source=web, target=target, type="depends_on")
    with CaptureQueriesContext(connection) as detail:
        client.get(web.get_absolute_url())
    for i in range(10, 20):
        source = ConfigurationItem.objects.get(name=f"vm-{i:02}")
        ops.create_relationship(None, source=source, target=web, type="runs_on")
    with django_assert_max_num_queries(len(detail.captured_queries)):
        assert client.get(web.get_absolute_url()).context["relationship_count"] == 21
