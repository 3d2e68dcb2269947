"""Approvals in a real browser, each page audited with axe-core, screenshots at 1280 px and
390 px: a requester who is a line manager finds the step on the start page and approves it; a
second approver rejects from the one-click link in their email (GET shows, the button decides);
a delegation is set up from the delegations page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from steward.approvals import operations as ops
from steward.approvals.choices import Decision, Kind, State
from steward.approvals.models import ApprovalRequest, Approver, Delegation
from steward.notifications.models import OutboundEmail
from steward.people.choices import Role

pytestmark = pytest.mark.browser

SIZES = ((1280, 900), (390, 844))


def shoot(page, name):
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=f"/tmp/shots/approvals-{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.fixture
def people(make_user, make_org):
    org = make_org("Acme")
    return {
        "asker": make_user("asker", roles=[Role.AGENT], last_name="Asker"),
        "manager": make_user("mara", roles=[Role.REQUESTER], organization=org, last_name="Manager"),
        "finance": make_user("fin", roles=[Role.AGENT], last_name="Finance"),
        "standin": make_user("sam", roles=[Role.REQUESTER], organization=org, last_name="Standin"),
    }


@pytest.fixture
def flow(stand, record, people):
    return ops.request_approval(
        people["asker"],
        record,
        steps=[
            ops.StepSpec("Line manager", users=((people["manager"], Kind.LINE_MANAGER),)),
            ops.StepSpec("Finance", users=((people["finance"], Kind.USER),)),
        ],
    )


def test_approve_from_the_page_then_reject_from_the_link(
    new_page, sign_in, axe_audit, people, flow, stand
):
    first, second = flow
    page = new_page()
    sign_in(page, people["manager"], audit=False)
    page.goto("/")
    panel = page.get_by_role("region", name="Awaiting my approval")
    expect(panel).to_contain_text(first.subject_label)
    page.get_by_role("link", name="Approvals", exact=True).first.click()
    expect(page).to_have_url(re.compile(r"/approvals/$"))
    expect(page.get_by_role("table")).to_contain_text("Line manager")
    axe_audit(page)
    shoot(page, "mine")
    page.get_by_role("link", name=first.subject_label).click()
    expect(page.get_by_role("heading", name="Your decision")).to_be_visible()
    axe_audit(page)
    shoot(page, "detail")
    page.get_by_label("Approve").check()
    page.get_by_label("Comment").fill("Within budget")
    page.get_by_role("button", name="Record my decision").click()
    expect(page.locator(".messages")).to_contain_text("Your decision has been recorded.")
    expect(page.get_by_role("region", name="Approval flow")).to_contain_text("Within budget")
    axe_audit(page)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == State.APPROVED and second.state == State.PENDING

    mail = OutboundEmail.objects.get(recipient=people["finance"])
    reject = re.search(r"Reject: (\S+)", mail.body).group(1)
    path = "/" + reject.split("://", 1)[1].split("/", 1)[1]
    link = new_page()
    link.goto(path)
    expect(link.get_by_role("heading", name="Reject?")).to_be_visible()
    axe_audit(link)
    shoot(link, "act")
    assert Approver.objects.get(request=second).decision == Decision.PENDING  # GET decided nothing
    link.get_by_role("button", name="Confirm: reject").click()
    expect(link.get_by_text("A rejection gives its reason.").first).to_be_visible()
    link.get_by_label("Reason").fill("Not this quarter")
    link.get_by_role("button", name="Confirm: reject").click()
    expect(link.get_by_role("heading", name="Rejected")).to_be_visible()
    axe_audit(link)
    shoot(link, "act-done")
    second.refresh_from_db()
    assert second.state == State.REJECTED
    assert stand.completed == [("rejected", 2, "Not this quarter")]


def test_delegation_from_the_page(new_page, sign_in, axe_audit, people, flow):
    page = new_page()
    sign_in(page, people["manager"], audit=False)
    page.goto("/approvals/delegations/")
    axe_audit(page)
    page.get_by_label("Stand-in").fill("sam")
    until = timezone.localtime() + dt.timedelta(days=3)
    page.get_by_label("Until").fill(until.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Reason").fill("Holiday")
    page.get_by_role("button", name="Delegate").click()
    expect(page.locator(".messages")).to_contain_text("stands in for you")
    axe_audit(page)
    shoot(page, "delegations")
    assert Delegation.objects.get().delegate == people["standin"]
    stand_in = new_page()
    sign_in(stand_in, people["standin"], audit=False)
    stand_in.goto(ApprovalRequest.objects.get(step=1).get_absolute_url())
    stand_in.get_by_label("Approve").check()
    stand_in.get_by_role("button", name="Record my decision").click()
    expect(stand_in.get_by_role("region", name="Approval flow")).to_contain_text("standing in")
    row = Approver.objects.get(request__step=1)
    assert (row.decided_by, row.on_behalf_of) == (people["standin"], people["manager"])
