"""A change's risk: the questionnaire, each kind of risk rule, the higher of both, the reasons
that explain it, and keeping it current when what it reads moves."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from steward.changes import operations as ops
from steward.changes.models import ChangeRequest
from steward.changes.risk import settings
from steward.core import journal
from steward.core.errors import Conflict as ConflictError
from steward.core.errors import NotFound, PermissionDenied, StaleVersion, ValidationError
from tests.changes.conftest import PLANS, bring_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def questions(desk):
    """Two questions (weights 2 and 3), thresholds at their defaults: moderate from 10, high
    from 20."""
    cm = desk["people"]["cm"]
    users = ops.create_question(
        cm,
        text="How many users notice it?",
        weight=2,
        answers=[
            {"text": "None", "value": 0},
            {"text": "Some", "value": 2},
            {"text": "All", "value": 5},
        ],
    )
    tested = ops.create_question(
        cm,
        text="Was the backout tested?",
        weight=3,
        answers=[{"text": "Yes", "value": 0}, {"text": "No", "value": 4}],
    )

    def answer(question, text):
        return question.answers.get(text=text).pk

    return {"users": users, "tested": tested, "answer": answer}


def test_the_questionnaire_decides_the_risk(desk, make_change, questions):
    q, a = questions, questions["answer"]

    low = make_change(answers={q["users"].pk: a(q["users"], "Some")})
    moderate = make_change(answers={q["tested"].pk: a(q["tested"], "No")})
    high = make_change(
        answers={q["users"].pk: a(q["users"], "All"), q["tested"].pk: a(q["tested"], "No")}
    )

    assert (low.risk, low.risk_reasons[0]["risk"]) == ("low", "low")
    assert moderate.risk == "moderate"
    assert high.risk == "high"
    assert high.risk_reasons == [
        {
            "source": "questionnaire",
            "label": "Questionnaire score 22 — How many users notice it?: All (+10); "
            "Was the backout tested?: No (+12)",
            "risk": "high",
        }
    ]


def test_a_change_nothing_raised_is_low_without_reasons(desk, make_change):
    change = make_change(cis=[desk["cis"]["web01"]])
    assert (change.risk, change.risk_reasons) == ("low", [])


def test_answering_the_questionnaire_moves_the_risk_and_journals_it(desk, make_change, questions):
    q, a = questions, questions["answer"]
    change = make_change()

    ops.answer_risk(
        desk["people"]["agent"],
        change,
        version=change.version,
        answers={q["tested"].pk: a(q["tested"], "No")},
    )

    change.refresh_from_db()
    assert change.risk == "moderate"
    entry = journal.history(change).last()
    assert entry.action == "risk_answered"
    assert entry.changes["risk"] == ["low", "moderate"]
    assert entry.changes["answers"] == [[], ["Was the backout tested?: No"]]

    ops.answer_risk(
        desk["people"]["agent"],
        change,
        version=change.version,
        answers={q["tested"].pk: a(q["tested"], "Yes")},
    )
    change.refresh_from_db()
    assert change.risk == "low"


def test_an_answer_must_belong_to_an_active_question(desk, make_change, questions):
    q, a = questions, questions["answer"]
    change = make_change()

    with pytest.raises(ValidationError) as refused:
        ops.answer_risk(
            desk["people"]["agent"],
            change,
            version=change.version,
            answers={q["users"].pk: a(q["tested"], "No"), 999999: 1},
        )
    assert set(refused.value.fields) == {f"answers.{q['users'].pk}", "answers.999999"}
    assert not change.answers.exists()

    with pytest.raises(StaleVersion):
        ops.answer_risk(
            desk["people"]["agent"],
            change,
            version=9,
            answers={q["users"].pk: a(q["users"], "All")},
        )
    with pytest.raises(NotFound):
        ops.answer_risk(
            desk["people"]["requester"],
            change,
            version=change.version,
            answers={q["users"].pk: a(q["users"], "All")},
        )
    assert not change.answers.exists()


def test_the_thresholds_are_settings_and_moving_them_reassesses_open_changes(
    desk, make_change, questions
):
    q, a = questions, questions["answer"]
    change = make_change(answers={q["users"].pk: a(q["users"], "Some")})  # score 4
    authorized = bring_to(
        make_change(answers={q["users"].pk: a(q["users"], "Some")}), "authorize", desk
    )
    assert change.risk == "low"
    row = settings()

    ops.update_settings(desk["people"]["cm"], version=row.version, moderate_from=4, high_from=8)

    change.refresh_from_db()
    authorized.refresh_from_db()
    assert change.risk == "moderate"
    assert authorized.risk == "low"  # authorized at the risk it had
    assert journal.history(change).last().action == "risk_reassessed"

    with pytest.raises(ValidationError) as refused:
        ops.update_settings(desk["people"]["cm"], version=None, moderate_from=9, high_from=9)
    assert list(refused.value.fields) == ["high_from"]  # named at the field, not the body
    with pytest.raises(ValidationError) as refused:
        ops.update_settings(desk["people"]["cm"], version=None, moderate_from=20)
    assert list(refused.value.fields) == ["moderate_from"]
    with pytest.raises(PermissionDenied):
        ops.update_settings(desk["people"]["agent"], version=None, high_from=30)


def test_an_answer_changes_gave_cannot_be_removed(desk, make_change, questions):
    q, a = questions, questions["answer"]
    make_change(answers={q["tested"].pk: a(q["tested"], "No")})
    kept = q["tested"].answers.get(text="Yes")

    with pytest.raises(ConflictError) as refused:
        ops.update_question(
            desk["people"]["cm"],
            q["tested"],
            version=q["tested"].version,
            answers=[{"id": kept.pk, "text": "Yes", "value": 0}],
        )
    assert "answers" in refused.value.fields
    assert q["tested"].answers.count() == 2


def test_reweighing_a_question_reassesses_the_changes_that_answered_it(
    desk, make_change, questions
):
    q, a = questions, questions["answer"]
    change = make_change(answers={q["users"].pk: a(q["users"], "All")})  # 10: moderate
    assert change.risk == "moderate"

    ops.update_question(desk["people"]["cm"], q["users"], version=q["users"].version, weight=4)

    change.refresh_from_db()
    assert change.risk == "high"


# --- the rules ----------------------------------------------------------------------------------


def rule(desk, **fields):
    return ops.create_risk_rule(desk["people"]["cm"], **fields)


def test_a_service_of_high_criticality_raises_the_risk(desk, make_change):
    rule(desk, name="Critical service", kind="service_criticality", parameter=1, minimum="high")

    via_ci = make_change(cis=[desk["cis"]["app01"]])  # app01 delivers Online Banking (1)
    named = make_change(cis=[desk["cis"]["web01"]], services=[desk["services"]["retail_live"]])
    other = make_change(cis=[desk["cis"]["web01"]], services=[desk["services"]["intranet"]])

    assert via_ci.risk == "high"
    assert via_ci.risk_reasons == [
        {"source": "rule", "label": "Critical service: Online Banking", "risk": "high"}
    ]
    assert named.risk == "high"
    assert other.risk == "low"


def test_a_ci_without_a_recent_successful_change_raises_the_risk(desk, make_change):
    rule(desk, name="Untested CI", kind="no_recent_success", parameter=90, minimum="moderate")

    first = make_change(cis=[desk["cis"]["web01"]])
    assert first.risk == "moderate"
    assert first.risk_reasons == [
        {"source": "rule", "label": "Untested CI: web01", "risk": "moderate"}
    ]
    bring_to(first, "closed", desk)

    second = make_change(cis=[desk["cis"]["web01"]])
    assert second.risk == "low"

    ChangeRequest.objects.filter(pk=first.pk).update(
        closed_at=timezone.now() - dt.timedelta(days=91)
    )
    bring_to(second, "authorize", desk)  # assessed afresh as authorization starts
    assert second.risk == "moderate"
    entry = journal.history(second).filter(action="status_changed").last()
    assert entry.changes["risk"] == ["low", "moderate"]
    assert journal.history(second).last().action == "approval_requested"  # the new authority


def test_a_failed_change_is_not_a_success(desk, make_change):
    rule(desk, name="Untested CI", kind="no_recent_success", parameter=90, minimum="moderate")
    first = make_change(cis=[desk["cis"]["web01"]])
    change = bring_to(first, "review", desk, outcome="failed")
    ops.record_review(desk["people"]["agent"], change, what_happened="It failed")
    ops.move_change(desk["people"]["agent"], change, "closed")

    assert make_change(cis=[desk["cis"]["web01"]]).risk == "moderate"


def test_an_expected_outage_raises_the_risk(desk, make_change):
    rule(desk, name="Outage", kind="outage_expected", minimum="moderate")

    change = make_change(cis=[desk["cis"]["web01"]])
    assert change.risk == "low"
    ops.update_change(
        desk["people"]["agent"],
        change,
        version=change.version,
        outage_expected=True,
        outage_minutes=20,
    )
    change.refresh_from_db()
    assert change.risk == "moderate"
    assert change.risk_reasons == [{"source": "rule", "label": "Outage", "risk": "moderate"}]
    entry = journal.history(change).last()
    assert entry.changes["risk"] == ["low", "moderate"]


def test_an_inactive_rule_does_not_count(desk, make_change):
    outage = rule(desk, name="Outage", kind="outage_expected", minimum="high")
    ops.update_risk_rule(desk["people"]["cm"], outage, version=outage.version, is_active=False)
    assert make_change(outage_expected=True).risk == "low"


def test_a_rule_needs_its_parameter(desk):
    with pytest.raises(ValidationError) as refused:
        rule(desk, name="Critical", kind="service_criticality", minimum="high")
    assert "parameter" in refused.value.fields
    with pytest.raises(ValidationError) as refused:
        rule(desk, name="Critical", kind="service_criticality", parameter=7, minimum="high")
    assert "parameter" in refused.value.fields
    with pytest.raises(ValidationError) as refused:
        rule(desk, name="Odd", kind="full_moon", minimum="high")
    assert "kind" in refused.value.fields


# --- the higher of both -------------------------------------------------------------------------


def test_the_higher_of_questionnaire_and_rules_wins_and_both_are_named_when_equal(
    desk, make_change, questions
):
    q, a = questions, questions["answer"]
    rule(desk, name="Outage", kind="outage_expected", minimum="high")
    rule(desk, name="Critical service", kind="service_criticality", parameter=1, minimum="moderate")
    moderate_answers = {q["tested"].pk: a(q["tested"], "No")}

    by_rule = make_change(
        outage_expected=True, answers=moderate_answers, cis=[desk["cis"]["web01"]]
    )
    assert by_rule.risk == "high"
    assert [r["source"] for r in by_rule.risk_reasons] == ["rule"]
    assert by_rule.risk_reasons[0]["label"] == "Outage"

    high_answers = {q["tested"].pk: a(q["tested"], "No"), q["users"].pk: a(q["users"], "All")}
    by_questionnaire = make_change(answers=high_answers)  # app01: critical service → moderate
    assert by_questionnaire.risk == "high"
    assert [r["source"] for r in by_questionnaire.risk_reasons] == ["questionnaire"]

    both = make_change(answers=moderate_answers)
    assert both.risk == "moderate"
    assert [r["source"] for r in both.risk_reasons] == ["questionnaire", "rule"]


def test_a_standard_change_keeps_its_templates_risk(desk, make_change):
    rule(desk, name="Outage", kind="outage_expected", minimum="high")
    template = ops.create_template(
        desk["people"]["cm"],
        name="Restart",
        owning_group=desk["groups"]["platform"],
        risk="low",
        outage_expected=True,
        outage_minutes=5,
        **PLANS,
    )
    change = make_change(template=template)
    assert change.risk == "low"
    with pytest.raises(ConflictError) as refused:
        ops.answer_risk(desk["people"]["agent"], change, version=change.version, answers={1: 1})
    assert "answers" in refused.value.fields


def test_admin_data_is_kept_by_administrators_and_change_managers(desk):
    with pytest.raises(PermissionDenied):
        ops.create_risk_rule(
            desk["people"]["agent"], name="Outage", kind="outage_expected", minimum="high"
        )
    with pytest.raises(NotFound):
        ops.create_risk_rule(
            desk["people"]["requester"], name="Outage", kind="outage_expected", minimum="high"
        )
    made = ops.create_risk_rule(
        desk["people"]["admin"], name="Outage", kind="outage_expected", minimum="high"
    )
    assert journal.history(made).get().action == "created"


def test_editing_answers_with_the_change_moves_its_risk_and_nothing_else_does(
    desk, make_change, questions
):
    q, a = questions, questions["answer"]
    change = make_change()

    ops.update_change(
        desk["people"]["agent"],
        change,
        version=change.version,
        answers={q["tested"].pk: a(q["tested"], "No")},
    )
    change.refresh_from_db()
    assert change.risk == "moderate"

    ops.update_settings(desk["people"]["cm"], version=None, moderate_from=50, high_from=60)
    change = bring_to(change, "scheduled", desk)
    assert change.risk == "low"  # reassessed as authorization started
    ops.update_settings(desk["people"]["cm"], version=None, moderate_from=10, high_from=20)
    ops.update_change(
        desk["people"]["agent"],
        change,
        version=change.version,
        description="Same scope, clearer words",
        cis=[desk["cis"]["app01"]],
        answers={q["tested"].pk: a(q["tested"], "No")},
    )
    change.refresh_from_db()
    assert change.risk == "low"  # authorized at low: an edit that moves no input keeps it
