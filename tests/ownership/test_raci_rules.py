"""Each RACI rule with a matrix that passes it and one that fails it."""

from __future__ import annotations

import pytest

from steward.ownership import operations as ops
from steward.ownership import validation
from steward.people import operations as people_ops
from steward.people.choices import Role
from tests.ownership.conftest import activity, cell

pytestmark = pytest.mark.django_db


def write(process, cells):
    process.refresh_from_db()
    ops.set_raci(None, process, version=process.version, cells=cells)


def rules_broken(process, name="Plan"):
    return {
        (f["rule"], f["severity"])
        for f in validation.validate(process)
        if f["activity"]["name"] == name
    }


def good_row(act, owner, team):
    return [
        cell(act, "A", user=owner),
        cell(act, "R", group=team["group"]),
        cell(act, "C", user=team["lead"]),
        cell(act, "I", role=Role.AGENT),
    ]


def test_a_complete_row_has_no_findings(process, process_owner, team):
    write(process, good_row(activity(process, "Plan"), process_owner, team))
    assert rules_broken(process) == set()


def test_exactly_one_accountable(process, process_owner, team):
    plan = activity(process, "Plan")
    write(process, [cell(plan, "R", user=process_owner)])
    assert ("one_accountable", "error") in rules_broken(process)
    write(
        process,
        [
            cell(plan, "R", user=process_owner),
            *[cell(plan, "A", user=u) for u in (process_owner, team["lead"])],
        ],
    )
    findings = [f for f in validation.validate(process) if f["rule"] == "one_accountable"]
    assert findings[0]["activity"] == {"id": plan.pk, "name": "Plan"}
    assert "2 parties are accountable" in findings[0]["message"]
    write(process, [cell(plan, "R", user=process_owner), cell(plan, "A", user=team["lead"])])
    assert "one_accountable" not in {r for r, _ in rules_broken(process)}


def test_a_group_or_role_given_a_names_an_accountable_person_who_belongs_to_it(
    process, process_owner, team, make_user
):
    plan = activity(process, "Plan")
    r = cell(plan, "R", user=process_owner)
    write(process, [r, cell(plan, "A", group=team["group"])])
    assert ("accountable_person", "error") in rules_broken(process)
    outsider = make_user("outsider", roles=[Role.AGENT])
    write(process, [r, cell(plan, "A", group=team["group"], accountable_person=outsider)])
    assert ("accountable_person", "error") in rules_broken(process)
    write(process, [r, cell(plan, "A", group=team["group"], accountable_person=team["member"])])
    assert rules_broken(process) == set()
    write(process, [r, cell(plan, "A", role=Role.PROCESS_OWNER, accountable_person=team["lead"])])
    assert ("accountable_person", "error") in rules_broken(process)
    write(process, [r, cell(plan, "A", role=Role.PROCESS_OWNER, accountable_person=process_owner)])
    assert rules_broken(process) == set()


def test_at_least_one_responsible(process, process_owner, team):
    plan = activity(process, "Plan")
    write(process, [cell(plan, "A", user=process_owner), cell(plan, "C", group=team["group"])])
    assert rules_broken(process) == {("responsible", "error")}
    write(process, [cell(plan, "A", user=process_owner), cell(plan, "R", group=team["group"])])
    assert rules_broken(process) == set()


def test_nobody_is_both_accountable_and_informed(process, process_owner, team):
    plan = activity(process, "Plan")
    r = cell(plan, "R", group=team["group"])
    write(process, [r, cell(plan, "A", user=process_owner), cell(plan, "I", user=process_owner)])
    assert rules_broken(process) == {("accountable_not_informed", "error")}
    write(
        process,
        [
            r,
            cell(plan, "A", group=team["group"], accountable_person=team["lead"]),
            cell(plan, "I", user=team["lead"]),
        ],
    )
    assert rules_broken(process) == {("accountable_not_informed", "error")}
    write(process, [r, cell(plan, "A", user=process_owner), cell(plan, "I", user=team["lead"])])
    assert rules_broken(process) == set()


def test_more_than_five_consulted_or_informed_is_a_warning(process, process_owner, team, make_user):
    plan = activity(process, "Plan")
    base = [cell(plan, "A", user=process_owner), cell(plan, "R", group=team["group"])]
    others = [make_user(f"c{i}") for i in range(6)]
    write(
        process,
        base + [cell(plan, "C" if i % 2 else "I", user=u) for i, u in enumerate(others[:5])],
    )
    assert rules_broken(process) == set()
    write(process, base + [cell(plan, "C" if i % 2 else "I", user=u) for i, u in enumerate(others)])
    assert rules_broken(process) == {("too_many_consulted_informed", "warning")}


def test_responsible_or_accountable_inactive_user_is_an_error(process, process_owner, team):
    plan = activity(process, "Plan")
    write(process, [cell(plan, "A", user=process_owner), cell(plan, "R", user=team["member"])])
    assert rules_broken(process) == set()
    member = team["member"]
    people_ops.update_user(None, member, version=member.version, is_active=False)
    broken = [f for f in validation.validate(process) if f["activity"]["name"] == "Plan"]
    assert [(f["rule"], f["severity"]) for f in broken] == [("inactive_user", "error")]
    assert "inactive" in broken[0]["message"] and "Member" in broken[0]["message"]


def test_an_informed_inactive_user_is_not_an_error(process, process_owner, team):
    plan = activity(process, "Plan")
    member = team["member"]
    write(
        process,
        [
            cell(plan, "A", user=process_owner),
            cell(plan, "R", group=team["group"]),
            cell(plan, "I", user=member),
        ],
    )
    people_ops.update_user(None, member, version=member.version, is_active=False)
    assert rules_broken(process) == set()


def test_responsible_empty_group_or_role_nobody_holds_is_an_error(process, process_owner, team):
    plan = activity(process, "Plan")
    empty = people_ops.create_group(None, name="Empty", manager=team["lead"])
    write(process, [cell(plan, "A", user=process_owner), cell(plan, "R", group=empty)])
    assert rules_broken(process) == {("empty_party", "error")}
    write(process, [cell(plan, "A", user=process_owner), cell(plan, "R", role=Role.CHANGE_MANAGER)])
    assert rules_broken(process) == {("empty_party", "error")}
    write(process, [cell(plan, "A", user=process_owner), cell(plan, "R", role=Role.GROUP_MANAGER)])
    assert rules_broken(process) == set()


def test_validation_runs_in_a_constant_number_of_queries(
    process, process_owner, team, django_assert_max_num_queries
):
    cells = []
    for act in process.activities.all():
        cells += good_row(act, process_owner, team)
        cells.append(cell(act, "A", group=team["group"], accountable_person=team["lead"]))
    write(process, cells)
    with django_assert_max_num_queries(10):
        findings = validation.validate(process)
    assert {f["rule"] for f in findings} == {"one_accountable"}
    assert len(findings) == 3
