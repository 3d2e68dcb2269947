"""The service and CMDB pages in a real browser: an administrator records a service and its
owner signs up and runs it; an owner group keeps a CI's attributes and relationships, reads its
impact, and an administrator imports a CSV file. Every page opened is audited by axe and, with
STEWARD_SCREENSHOTS set to a folder, photographed at 1280 and 390 px."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from steward.people.choices import Role
from steward.services import operations as ops

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("STEWARD_SCREENSHOTS")


def shoot(page, name: str) -> None:
    """Screenshots at desktop and phone widths, for a person to look at (when asked for)."""
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.fixture
def people(make_user, make_org):
    return {
        "admin": make_user("ada", roles=[Role.ADMIN], last_name="Admin"),
        "owner": make_user("olivia", roles=[Role.AGENT, Role.SERVICE_OWNER], last_name="Owner"),
        "org": make_org("Retail Banking"),
    }


def test_a_service_is_recorded_accepted_edited_and_put_live(new_page, sign_in, axe_audit, people):
    from steward.people import operations as people_ops

    people_ops.create_group(None, name="Service Desk", manager=people["owner"])
    admin = new_page()
    sign_in(admin, people["admin"], audit=False)
    admin.goto("/services/")
    admin.get_by_role("link", name="New service").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("New service")
    axe_audit(admin)
    admin.get_by_role("button", name="Record service").click()
    expect(admin.locator("#id_name_error")).to_be_visible()  # bad input beside the field
    admin.get_by_label("Name").fill("Payroll")
    admin.get_by_label("Service owner").select_option(label="Olivia Owner (olivia)")
    admin.get_by_label("Criticality").select_option("2")
    admin.get_by_label("Retail Banking").check()
    admin.get_by_role("button", name="Record service").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Payroll")
    expect(admin.locator(".props")).to_contain_text("waiting to accept")
    axe_audit(admin)

    owner = new_page()
    sign_in(owner, people["owner"], audit=False)
    owner.goto(admin.url)
    owner.get_by_role("button", name="Accept ownership").click()
    expect(owner.locator(".messages")).to_contain_text("You now own Payroll")
    axe_audit(owner)
    shoot(owner, "service-detail")

    owner.get_by_role("link", name="Edit service").click()
    axe_audit(owner)
    owner.get_by_role("group", name="First line").get_by_label("Service Desk").check()
    owner.get_by_label("Next review").fill("2027-05-31")
    owner.get_by_role("button", name="Save").click()
    expect(owner.locator(".props")).to_contain_text("Service Desk")
    expect(owner.locator(".props")).to_contain_text("31 May 2027")

    owner.get_by_role("button", name="Go live").click()
    expect(owner.locator(".subtitle")).to_contain_text("Live")
    expect(owner.get_by_role("button", name="Retire")).to_be_visible()
    axe_audit(owner)

    shoot_edit = owner.url + "edit/"
    owner.goto(shoot_edit)
    shoot(owner, "service-edit")
    owner.goto("/services/")
    shoot(owner, "service-list")


@pytest.fixture
def cmdb(people):
    from steward.people import operations as people_ops

    group = people_ops.create_group(None, name="Hosting", manager=people["owner"])
    schema = {
        "type": "object",
        "properties": {
            "cpu_count": {"type": "integer", "minimum": 1, "title": "CPUs"},
            "os": {"type": "string", "enum": ["linux", "windows"], "title": "Operating system"},
            "hostname": {"type": "string", "pattern": "^[a-z0-9-]+$", "title": "Host name"},
        },
        "required": ["cpu_count"],
    }
    server = ops.create_ci_class(None, name="Server", attribute_schema=schema)
    database = ops.create_ci_class(None, name="Database")
    web = ops.create_ci(
        None, name="web-01", ci_class=server, owner_group=group, attributes={"cpu_count": 2}
    )
    db = ops.create_ci(None, name="pg-01", ci_class=database, owner_group=group)
    ops.create_ci(None, name="esx-01", ci_class=server, attributes={"cpu_count": 64})
    banking = ops.create_service(
        None,
        name="Online Banking",
        owner=people["owner"],
        status="live",
        criticality=1,
        customers=[people["org"]],
    )
    ops.link_service_ci(None, service=banking, ci=web)
    ops.create_relationship(None, source=web, target=db, type="depends_on")
    return {"web": web, "db": db}


def test_an_owner_group_keeps_a_ci_and_reads_its_impact(page, sign_in, axe_audit, people, cmdb):
    sign_in(page, people["owner"], audit=False)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="CMDB").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Configuration items")
    axe_audit(page)
    page.get_by_label("Class").select_option(label="Server")  # the list follows the filters
    expect(page.locator("#results tbody tr")).to_have_count(2)
    shoot(page, "ci-list")

    page.get_by_role("link", name="web-01").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("web-01")
    axe_audit(page)
    page.get_by_label("Host name").fill("Web 01!")
    page.get_by_role("button", name="Save attributes").click()
    expect(page.locator("#attr_attr_hostname_error")).to_contain_text("does not match")
    axe_audit(page)
    page.get_by_label("Host name").fill("web-01")
    page.get_by_label("CPUs").fill("4")
    page.get_by_label("Operating system").select_option(label="linux")
    page.get_by_role("button", name="Save attributes").click()
    expect(page.locator(".messages")).to_contain_text("attributes of web-01 have been saved")

    page.get_by_label("Relationship", exact=True).select_option(label="runs on")
    page.get_by_label("Other CI").fill("esx-01")
    page.get_by_role("button", name="Add relationship").click()
    expect(page.get_by_role("region", name="Relationships")).to_contain_text("esx-01")
    axe_audit(page)
    shoot(page, "ci-detail")

    page.goto(f"/cmdb/{cmdb['db'].pk}/impact/")
    graph = page.locator("svg.impact__svg")
    expect(graph).to_be_visible()
    expect(graph).to_contain_text("Online Banking")
    expect(graph).to_contain_text("Retail Banking")
    expect(page.get_by_role("region", name="Affected services")).to_contain_text(
        "web-01 depends on pg-01"
    )
    axe_audit(page)
    shoot(page, "ci-impact")


def test_the_impact_view_reads_without_javascript(new_page, sign_in, axe_audit, people, cmdb):
    page = new_page(java_script_enabled=False)
    page.goto("/login/")
    page.get_by_label("Username").fill("olivia")
    page.get_by_label("Password").fill("correct-horse-9")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"/cmdb/{cmdb['db'].pk}/impact/")
    expect(page.locator("svg.impact__svg")).to_contain_text("Online Banking")
    expect(page.get_by_role("region", name="Customers affected")).to_contain_text("Retail Banking")


def test_an_administrator_defines_a_class_and_imports_a_csv(
    page, sign_in, axe_audit, people, cmdb, tmp_path
):
    sign_in(page, people["admin"], audit=False)
    page.goto("/cmdb/classes/")
    axe_audit(page)
    page.get_by_role("link", name="New class").click()
    page.get_by_label("Name").fill("Switch")
    page.get_by_label("Attribute schema").fill('{"type": "objekt"}')
    page.get_by_role("button", name="Define class").click()
    expect(page.locator("#id_attribute_schema_error")).to_contain_text("not a valid JSON Schema")
    axe_audit(page)
    page.get_by_label("Attribute schema").fill(
        '{"type": "object", "properties": {"ports": {"type": "integer"}}}'
    )
    page.get_by_role("button", name="Define class").click()
    expect(page.get_by_role("table")).to_contain_text("Switch")
    shoot(page, "ci-classes")

    page.goto("/cmdb/import/")
    axe_audit(page)
    bad = tmp_path / "bad.csv"
    rows = ["name,class,attr:cpu_count"] + [f"srv-{i:04},Server,{i % 7}" for i in range(3000)]
    bad.write_text("\n".join(rows) + "\nbroken,Nope,\n")
    page.get_by_label("CSV file").set_input_files(str(bad))
    page.get_by_role("button", name="Import").click()
    problems = page.locator("#import-result table")
    expect(problems).to_contain_text("unknown CI class 'Nope'")
    expect(problems).to_contain_text("attr:cpu_count")
    axe_audit(page)
    shoot(page, "ci-import-errors")
    good = tmp_path / "good.csv"
    good.write_text("name,class,attr:cpu_count\nsrv-a,Server,2\nsrv-b,Server,8\n")
    page.get_by_label("CSV file").set_input_files(str(good))
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#import-result")).to_contain_text("2 created")
