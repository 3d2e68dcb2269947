"""A standard change template's success over its last closed changes, and the flag that asks
for its re-assessment when the rate falls below the threshold."""

from __future__ import annotations

import pytest

from steward.changes import operations as ops
from steward.changes.choices import Status
from steward.changes.template_health import template_health
from tests.changes.conftest import PLANS, bring_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def template(desk):
    return ops.create_template(
        desk["people"]["cm"],
        name="Restart app01",
        owning_group=desk["groups"]["platform"],
        cis=[desk["cis"]["app01"]],
        **PLANS,
    )


def close_from(template, desk, make_change, outcome):
    return bring_to(
        make_change(type="standard", template=template), Status.CLOSED, desk, outcome=outcome
    )


def test_a_template_without_closed_changes_has_no_rate_and_no_flag(desk, template, make_change):
    make_change(type="standard", template=template)  # open: not counted

    health = template_health([template.pk])[template.pk]

    assert (health.closed, health.successful, health.rate, health.flagged) == (0, 0, None, False)


def test_the_rate_counts_only_the_last_changes_of_the_window(desk, template, make_change):
    ops.update_settings(
        desk["people"]["admin"],
        version=None,
        template_success_window=3,
        template_success_threshold=60,
    )
    close_from(template, desk, make_change, "successful_with_issues")  # oldest: outside 3
    for outcome in ("successful", "successful", "successful_with_issues"):
        close_from(template, desk, make_change, outcome)

    health = template_health([template.pk])[template.pk]

    # the last three: 2 successful of 3 = 66.7 % >= 60 %: not flagged
    assert (health.closed, health.successful, health.rate) == (3, 2, 66.7)
    assert not health.flagged

    close_from(template, desk, make_change, "successful_with_issues")
    health = template_health([template.pk])[template.pk]

    # now: successful, with issues, with issues = 1 of 3 = 33.3 % < 60 %: flagged
    assert (health.closed, health.successful, health.rate) == (3, 1, 33.3)
    assert health.flagged


def test_a_normal_change_does_not_count_for_any_template(desk, template, make_change):
    bring_to(make_change(), Status.CLOSED, desk, outcome="successful_with_issues")

    assert template_health([template.pk])[template.pk].closed == 0
