"""The mail pages in a real browser: an administrator adds a mailbox, reads a received
message (its HTML in the sandboxed frame), works the quarantine and adds a webhook; every page
passes the axe-core audit at desktop and phone widths."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from steward.mailbox import operations as ops
from steward.mailbox.operations import intake
from tests.mailbox.conftest import mail

pytestmark = pytest.mark.browser

SCREENSHOTS = os.environ.get("STEWARD_SCREENSHOTS", "")


def _shot(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_an_administrator_sets_up_mail_and_works_the_quarantine(
    new_page, sign_in, axe_audit, admin_user, width, height
):
    page = new_page(viewport={"width": width, "height": height})
    sign_in(page, admin_user)

    page.goto("/mail/")
    axe_audit(page)
    page.get_by_role("link", name="Add a mailbox").first.click()
    page.get_by_label("Address").fill("servicedesk@bank.test")
    page.get_by_label("Name", exact=True).fill("servicedesk")
    axe_audit(page)
    _shot(page, f"mail-form-{width}")
    page.get_by_role("button", name="Add the mailbox").click()
    expect(page.get_by_role("link", name="servicedesk@bank.test")).to_be_visible()
    _shot(page, f"mail-list-{width}")

    box = ops.mailboxes.Mailbox.objects.get()
    broken = intake.ingest(box, b"From: nobody\r\nSubject: Hello\r\n\r\nbody\r\n")
    fine = intake.ingest(
        box,
        mail(sender="x@elsewhere.test", html="<p>Screen is <b>black</b><script>x()</script></p>"),
    )
    page.goto("/mail/messages/")
    axe_audit(page)
    _shot(page, f"mail-messages-{width}")
    page.goto(f"/mail/messages/{fine.pk}/")
    frame = page.frame_locator("iframe.mail-frame")
    expect(frame.locator("b")).to_have_text("black")
    axe_audit(page)
    _shot(page, f"mail-message-{width}")

    page.goto(f"/mail/messages/{broken.pk}/")
    page.get_by_label("Why").fill("spam")
    page.get_by_role("button", name="Discard").click()
    expect(page.get_by_text("The message was discarded")).to_be_visible()
    axe_audit(page)

    page.goto("/notifications/webhooks/new/")
    page.get_by_label("Name").fill("CMDB sync")
    page.get_by_label("URL").fill("https://93.184.215.14/hooks")
    page.get_by_label("Events").fill("incident.*")
    page.get_by_role("button", name="Add the webhook").click()
    expect(page.locator("#webhook-secret")).to_be_visible()
    axe_audit(page)
    _shot(page, f"webhook-{width}")
