"""The changes administration pages per role: who may open them (administrators and change
managers; other IT staff 403, requesters 404, the practice switched off 404), and each page
doing its work through the operations — standard change templates (with their success and the
re-assessment flag), the risk questionnaire and rules, change boards and the authority grid,
maintenance windows and blackouts, the settings. Errors are shown at the field; a stale save
shows who changed what and keeps the person's input."""

from __future__ import annotations

import datetime as dt

import pytest

from steward.changes import operations as ops
from steward.changes.models import (
    AuthorityRule,
    ChangeBoard,
    ChangeTemplate,
    ChangeWindow,
    RiskQuestion,
    RiskRule,
)
from steward.changes.risk import settings
from steward.core import operations as core_ops
from tests.changes.conftest import PLANS, bring_to

pytestmark = pytest.mark.django_db

PAGES = [
    "/changes/admin/templates/",
    "/changes/admin/templates/new/",
    "/changes/admin/risk/",
    "/changes/admin/risk/questions/new/",
    "/changes/admin/risk/rules/new/",
    "/changes/admin/authority/",
    "/changes/admin/boards/new/",
    "/changes/admin/windows/",
    "/changes/admin/windows/new/",
    "/changes/admin/settings/",
]


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def make_template(desk, **fields):
    fields.setdefault("name", "Restart the app servers")
    fields.setdefault("owning_group", desk["groups"]["platform"])
    for plan in ("implementation_plan", "backout_plan", "test_plan"):
        fields.setdefault(plan, PLANS[plan])
    return ops.create_template(None, **fields)


def test_who_may_open_the_pages(desk, client_for):
    template = make_template(desk)
    rule = ops.create_risk_rule(None, name="Outages", kind="outage_expected", minimum="moderate")
    board = ops.create_board(None, group=desk["groups"]["cab"])
    window = ops.create_window(
        None, kind="maintenance", name="Nights", hours={"sat": [["22:00", "24:00"]]}
    )
    question = ops.create_question(None, text="Users?", answers=[{"text": "Few", "value": 1}])
    urls = [
        *PAGES,
        f"/changes/admin/templates/{template.pk}/",
        f"/changes/admin/risk/rules/{rule.pk}/",
        f"/changes/admin/risk/questions/{question.pk}/",
        f"/changes/admin/boards/{board.pk}/",
        f"/changes/admin/windows/{window.pk}/",
    ]
    people = desk["people"]
    for who, expected in (("admin", 200), ("cm", 200), ("agent", 403), ("requester", 404)):
        client = client_for(people[who])
        for url in urls:
            assert client.get(url).status_code == expected, (who, url)
    for who, expected in (("agent", 403), ("requester", 404)):
        client = client_for(people[who])
        for url in (
            f"/changes/admin/risk/rules/{rule.pk}/delete/",
            f"/changes/admin/boards/{board.pk}/delete/",
            f"/changes/admin/windows/{window.pk}/delete/",
        ):
            assert client.post(url).status_code == expected, (who, url)
    assert RiskRule.objects.exists() and ChangeBoard.objects.exists()
    assert ChangeWindow.objects.exists()
    core_ops.set_practice_enabled(people["admin"], "changes", False)
    assert client_for(people["admin"]).get("/changes/admin/templates/").status_code == 404


def test_the_administration_area_lists_the_sections(desk, client_for):
    html = page(client_for(desk["people"]["admin"]), "/administration/")
    for label in (
        "Standard changes",
        "Change risk",
        "Change authority",
        "Change windows",
        "Change settings",
    ):
        assert label in html
    html = page(client_for(desk["people"]["cm"]), "/changes/admin/settings/")
    assert 'href="/changes/admin/templates/"' in html  # the tab bar, for a change manager too
    assert "Priority matrix" not in html  # administrators' sections stay theirs


def test_a_template_is_created_listed_and_edited(desk, client_for):
    client = client_for(desk["people"]["cm"])
    data = {
        "name": "Patch the web servers",
        "owning_group": desk["groups"]["platform"].pk,
        "services": [desk["services"]["intranet"].pk],
        "cis": "web01\napp01",
        "implementation_plan": "Drain, patch, undrain.",
        "backout_plan": "Reinstall the previous package.",
        "test_plan": "Open the home page.",
        "tasks": "Drain web01\n\nPatch web01\nUndrain web01",
        "risk": "low",
        "impact": "low",
    }
    response = client.post("/changes/admin/templates/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    template = ChangeTemplate.objects.get(name="Patch the web servers")
    assert template.tasks == ["Drain web01", "Patch web01", "Undrain web01"]
    assert {c.name for c in template.cis.all()} == {"web01", "app01"}
    assert [s.name for s in template.services.all()] == ["Intranet"]
    html = page(client, "/changes/admin/templates/")
    assert "Patch the web servers" in html and "none closed yet" in html

    html = page(client, f"/changes/admin/templates/{template.pk}/")
    assert "Drain web01\nPatch web01\nUndrain web01" in html
    edit = {**data, "version": template.version, "risk": "moderate", "is_active": ""}
    response = client.post(f"/changes/admin/templates/{template.pk}/", edit)
    assert response.status_code == 302
    template.refresh_from_db()
    assert (template.risk, template.is_active, template.version) == ("moderate", False, 2)
    assert "Retired" in page(client, "/changes/admin/templates/")


def test_template_errors_are_shown_at_the_field(desk, client_for):
    client = client_for(desk["people"]["cm"])
    make_template(desk, name="Taken")
    response = client.post(
        "/changes/admin/templates/new/",
        {
            "name": "Taken",
            "owning_group": desk["groups"]["platform"].pk,
            "cis": "nosuchci",
            "implementation_plan": "x",
            "backout_plan": "",
            "test_plan": "y",
            "risk": "low",
            "impact": "low",
        },
    )
    assert response.status_code == 422
    form = response.context["form"]
    assert "backout_plan" in form.errors and "cis" in form.errors
    response = client.post(
        "/changes/admin/templates/new/",
        {
            "name": "Taken",
            "owning_group": desk["groups"]["platform"].pk,
            "risk": "low",
            "impact": "low",
            **{k: PLANS[k] for k in ("implementation_plan", "backout_plan", "test_plan")},
        },
    )
    assert response.status_code == 422
    assert "name" in response.context["form"].errors  # the operation's refusal, at the field
    assert ChangeTemplate.objects.count() == 1


def test_a_stale_template_save_shows_who_changed_what_and_keeps_the_input(desk, client_for):
    template = make_template(desk)
    client = client_for(desk["people"]["cm"])
    form = page(client, f"/changes/admin/templates/{template.pk}/")
    assert 'name="version" value="1"' in form
    ops.update_template(desk["people"]["admin"], template, version=1, test_plan="Ping it.")
    data = {
        "name": "Restart the app servers",
        "owning_group": desk["groups"]["platform"].pk,
        "implementation_plan": "My new plan.",
        "backout_plan": PLANS["backout_plan"],
        "test_plan": PLANS["test_plan"],
        "risk": "low",
        "impact": "low",
        "is_active": "on",
        "version": 1,
        "seen": 0,
    }
    response = client.post(f"/changes/admin/templates/{template.pk}/", data)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Changed by Admin" in html or "Changed by" in html
    assert "My new plan." in html  # the person's input is kept
    template.refresh_from_db()
    assert template.implementation_plan == PLANS["implementation_plan"]
    assert response.context["form"].data["version"] == "2"


def test_a_template_below_its_success_threshold_is_flagged(desk, client_for, make_change):
    template = make_template(desk)
    for outcome in ("successful", "failed"):
        change = make_change(template=template, cis=[desk["cis"]["web01"]])
        if outcome == "failed":
            change.refresh_from_db()
            bring_to(change, "review", desk, outcome=outcome)
            ops.record_review(desk["people"]["agent"], change, what_happened="It broke.")
            ops.move_change(desk["people"]["agent"], change, "closed", outcome=outcome)
        else:
            bring_to(change, "closed", desk, outcome=outcome)
    html = page(client_for(desk["people"]["cm"]), "/changes/admin/templates/")
    assert "Flagged for re-assessment" in html
    assert "1 of 2 successful" in html


def test_a_question_is_added_with_its_answers_and_edited(desk, client_for):
    client = client_for(desk["people"]["cm"])
    response = client.post(
        "/changes/admin/risk/questions/new/",
        {
            "text": "How many users notice?",
            "weight": 2,
            "order": 10,
            "answer_0_text": "None",
            "answer_0_value": 0,
            "answer_1_text": "Some",
            "answer_1_value": 3,
            "answer_2_text": "",
            "answer_3_text": "",
        },
    )
    assert response.status_code == 302
    question = RiskQuestion.objects.get()
    assert [(a.text, a.value) for a in question.answers.order_by("order")] == [
        ("None", 0),
        ("Some", 3),
    ]
    html = page(client, "/changes/admin/risk/")
    assert "How many users notice?" in html and "× 2" in html
    keep = question.answers.get(text="Some")
    response = client.post(
        f"/changes/admin/risk/questions/{question.pk}/",
        {
            "text": "How many users notice?",
            "weight": 3,
            "order": 10,
            "is_active": "on",
            "version": question.version,
            "answer_0_id": keep.pk,
            "answer_0_text": "Some",
            "answer_0_value": 4,
            "answer_1_text": "All",
            "answer_1_value": 9,
        },
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.weight == 3
    assert [(a.text, a.value) for a in question.answers.order_by("order")] == [
        ("Some", 4),
        ("All", 9),
    ]
    assert question.answers.get(text="Some").pk == keep.pk


def test_a_question_without_answers_is_refused_at_the_field(desk, client_for):
    client = client_for(desk["people"]["cm"])
    response = client.post(
        "/changes/admin/risk/questions/new/", {"text": "Users?", "weight": 1, "order": 1}
    )
    assert response.status_code == 422
    assert "answer_0_text" in response.context["form"].errors
    response = client.post(
        "/changes/admin/risk/questions/new/",
        {"text": "Users?", "weight": 1, "order": 1, "answer_0_text": "a", "answer_0_value": -1},
    )
    assert response.status_code == 422
    assert "answer_0_value" in response.context["form"].errors
    assert not RiskQuestion.objects.exists()


def test_risk_rules_are_added_edited_and_removed(desk, client_for):
    client = client_for(desk["people"]["cm"])
    response = client.post(
        "/changes/admin/risk/rules/new/",
        {
            "name": "Critical services",
            "kind": "service_criticality",
            "minimum": "high",
            "is_active": "on",
        },
    )
    assert response.status_code == 422
    assert "parameter" in response.context["form"].errors  # the operation's refusal
    response = client.post(
        "/changes/admin/risk/rules/new/",
        {
            "name": "Critical services",
            "kind": "service_criticality",
            "parameter": 1,
            "minimum": "high",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    rule = RiskRule.objects.get()
    assert "Critical services" in page(client, "/changes/admin/risk/")
    response = client.post(
        f"/changes/admin/risk/rules/{rule.pk}/",
        {
            "name": "Critical services",
            "kind": "service_criticality",
            "parameter": 2,
            "minimum": "moderate",
            "version": rule.version,
        },
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.parameter, rule.minimum, rule.is_active) == (2, "moderate", False)
    assert client.post(f"/changes/admin/risk/rules/{rule.pk}/delete/").status_code == 302
    assert not RiskRule.objects.exists()


def grid(table: dict, seen: int, **changes) -> dict:
    """The authority grid's post: every cell as read, then ``changes`` (``normal_high=...``)."""
    data = {"seen": seen}
    for (type_, risk), value in table.items():
        data[f"cell_{type_}_{risk}"] = value
        data[f"read_{type_}_{risk}"] = value
    for name, value in changes.items():
        data[f"cell_{name}"] = value
    return data


def read_table(response) -> dict:
    form = response.context["form"]
    return {cell: form.initial[f"cell_{cell[0]}_{cell[1]}"] for cell in form.cells}


def test_a_board_is_made_and_the_grid_sends_high_risk_to_it(desk, client_for):
    client = client_for(desk["people"]["cm"])
    response = client.post(
        "/changes/admin/boards/new/",
        {
            "group": desk["groups"]["cab"].pk,
            "quorum": 2,
            "change_manager_required": "on",
            "meets_on": "Tuesdays 14:00",
        },
    )
    assert response.status_code == 302
    board = ChangeBoard.objects.get()
    response = client.get("/changes/admin/authority/")
    html = response.content.decode()
    assert "Tuesdays 14:00" in html and "Board: CAB" in html
    table = read_table(response)
    assert table[("normal", "low")] == "peer"
    seen = response.context["form"].initial["seen"]
    response = client.post(
        "/changes/admin/authority/", grid(table, seen, normal_high=f"board:{board.pk}")
    )
    assert response.status_code == 302
    rule = AuthorityRule.objects.get(type="normal", risk="high")
    assert (rule.level, rule.board_id) == ("board", board.pk)
    assert AuthorityRule.objects.get(type="normal", risk="low").level == "peer"

    response = client.post(f"/changes/admin/boards/{board.pk}/delete/")
    assert response.status_code == 302 and ChangeBoard.objects.exists()  # still in the table
    response = client.post(
        f"/changes/admin/boards/{board.pk}/",
        {"group": desk["groups"]["cab"].pk, "quorum": 0, "version": board.version},
    )
    assert response.status_code == 422 and "quorum" in response.context["form"].errors


def test_a_stale_grid_keeps_the_cells_the_person_changed(desk, client_for):
    client = client_for(desk["people"]["cm"])
    response = client.get("/changes/admin/authority/")
    table, seen = read_table(response), response.context["form"].initial["seen"]
    ops.set_authority(desk["people"]["admin"], type="emergency", risk="low", level="peer")
    response = client.post(
        "/changes/admin/authority/", grid(table, seen, normal_low="change_manager")
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "your changes were not saved" in html
    data = response.context["form"].data
    assert data["cell_normal_low"] == "change_manager"  # the person's input
    assert data["cell_emergency_low"] == "peer"  # the colleague's, taken as untouched
    assert AuthorityRule.objects.get(type="normal", risk="low").level == "peer"
    response = client.post("/changes/admin/authority/", data)
    assert response.status_code == 302
    assert AuthorityRule.objects.get(type="normal", risk="low").level == "change_manager"
    assert AuthorityRule.objects.get(type="emergency", risk="low").level == "peer"


def test_windows_weekly_and_dated_are_added_edited_and_removed(desk, client_for, make_change):
    client = client_for(desk["people"]["cm"])
    response = client.post(
        "/changes/admin/windows/new/",
        {
            "kind": "maintenance",
            "name": "Saturday nights",
            "timing": "weekly",
            "time_zone": "Europe/Amsterdam",
            "hours_sat": "22:00–24:00",
            "hours_sun": "00:00-06:00",
            "ci_classes": [desk["ci_class"].pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    window = ChangeWindow.objects.get()
    open_days = {day: hours for day, hours in window.hours.items() if hours}
    assert open_days == {"sat": [["22:00", "24:00"]], "sun": [["00:00", "06:00"]]}
    assert window.time_zone == "Europe/Amsterdam"
    html = page(client, "/changes/admin/windows/")
    assert "Saturday nights" in html and "22:00–24:00" in html and "Server" in html

    response = client.post(
        "/changes/admin/windows/new/",
        {
            "kind": "blackout",
            "name": "Year-end freeze",
            "timing": "dated",
            "time_zone": "UTC",
            "starts_at": "2030-12-20T00:00",
            "ends_at": "2030-12-19T00:00",
            "cis": "app01",
        },
    )
    assert response.status_code == 422 and "ends_at" in response.context["form"].errors
    response = client.post(
        "/changes/admin/windows/new/",
        {
            "kind": "blackout",
            "name": "Year-end freeze",
            "timing": "dated",
            "time_zone": "UTC",
            "starts_at": "2030-12-20T00:00",
            "ends_at": "2031-01-02T00:00",
            "cis": "app01",
        },
    )
    assert response.status_code == 302
    freeze = ChangeWindow.objects.get(kind="blackout")
    assert freeze.hours is None and [c.name for c in freeze.cis.all()] == ["app01"]
    assert "Year-end freeze" in page(client, "/changes/admin/windows/?kind=blackout")
    assert "Saturday nights" not in page(client, "/changes/admin/windows/?kind=blackout")

    response = client.post(
        f"/changes/admin/windows/{window.pk}/",
        {
            "kind": "maintenance",
            "name": "Saturday nights",
            "timing": "weekly",
            "time_zone": "Europe/Amsterdam",
            "hours_sat": "late",
            "version": window.version,
        },
    )
    assert response.status_code == 422 and "hours_sat" in response.context["form"].errors
    response = client.post(
        f"/changes/admin/windows/{window.pk}/",
        {
            "kind": "maintenance",
            "name": "Weekend nights",
            "timing": "weekly",
            "time_zone": "Europe/Amsterdam",
            "hours_fri": "22:00–24:00",
            "version": window.version,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    window.refresh_from_db()
    assert window.name == "Weekend nights"
    assert {d: h for d, h in window.hours.items() if h} == {"fri": [["22:00", "24:00"]]}
    assert list(window.ci_classes.all()) == []
    assert client.post(f"/changes/admin/windows/{freeze.pk}/delete/").status_code == 302
    assert not ChangeWindow.objects.filter(pk=freeze.pk).exists()


def test_a_weekly_window_without_hours_is_refused_at_the_field(desk, client_for):
    response = client_for(desk["people"]["cm"]).post(
        "/changes/admin/windows/new/",
        {"kind": "maintenance", "name": "Never", "timing": "weekly", "time_zone": "UTC"},
    )
    assert response.status_code == 422
    assert "hours_mon" in response.context["form"].errors
    assert not ChangeWindow.objects.exists()


def test_the_settings_are_saved_and_checked(desk, client_for, make_change):
    client = client_for(desk["people"]["cm"])
    row = settings()
    response = client.post(
        "/changes/admin/settings/",
        {
            "moderate_from": 10,
            "high_from": 10,
            "template_success_threshold": 90,
            "template_success_window": 20,
            "version": row.version,
        },
    )
    assert response.status_code == 422 and "high_from" in response.context["form"].errors
    response = client.post(
        "/changes/admin/settings/",
        {
            "moderate_from": 5,
            "high_from": 15,
            "template_success_threshold": 80,
            "template_success_window": 10,
            "version": row.version,
        },
    )
    assert response.status_code == 302
    row = settings()
    assert (row.moderate_from, row.high_from, row.template_success_threshold) == (5, 15, 80)
    ops.update_settings(desk["people"]["admin"], version=row.version, template_success_window=30)
    response = client.post(
        "/changes/admin/settings/",
        {
            "moderate_from": 6,
            "high_from": 15,
            "template_success_threshold": 80,
            "template_success_window": 10,
            "version": row.version,
            "seen": 0,
        },
    )
    assert response.status_code == 409
    assert settings().moderate_from == 5
    assert response.context["form"].data["moderate_from"] == "6"


def test_dated_window_times_are_read_in_the_persons_time_zone(desk, client_for):
    """A dated window's times on the form are the person's local times, stored in UTC."""
    from steward.people import operations as people_ops

    cm = desk["people"]["cm"]
    people_ops.update_user(None, cm, version=cm.version, time_zone="Europe/Amsterdam")
    client = client_for(cm)
    response = client.post(
        "/changes/admin/windows/new/",
        {
            "kind": "blackout",
            "name": "Freeze",
            "timing": "dated",
            "time_zone": "UTC",
            "starts_at": "2030-06-01T10:00",
            "ends_at": "2030-06-01T12:00",
        },
    )
    assert response.status_code == 302
    window = ChangeWindow.objects.get()
    assert window.starts_at == dt.datetime(2030, 6, 1, 8, 0, tzinfo=dt.UTC)
