"""An administrator rewords the resolution e-mail in a real browser: finds the event in the
Administration area, previews a draft, saves it and goes back to Steward's words; every page
passes the axe-core audit at desktop and phone widths."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from steward.notifications.models import MailTemplate

pytestmark = pytest.mark.browser

SCREENSHOTS = os.environ.get("STEWARD_SCREENSHOTS", "")


def _shot(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_an_administrator_previews_saves_and_resets_a_mail_template(
    new_page, sign_in, axe_audit, admin_user, width, height
):
    page = new_page(viewport={"width": width, "height": height})
    sign_in(page, admin_user)
    page.goto("/notifications/mail-templates/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mail templates")
    axe_audit(page)
    _shot(page, f"mail-templates-{width}")

    row = page.get_by_role("row").filter(has_text="Incident resolved")
    row.get_by_role("link", name="English").click()
    subject = page.get_by_label("Subject")
    expect(subject).to_have_value("{{ number }} is resolved: {{ title }}")
    expect(page.get_by_test_id("preview-subject")).to_have_text(
        "[INC0001234] is resolved: The printer on floor 3 jams"
    )
    axe_audit(page)

    subject.fill("Solved for you: {{ title }}")
    page.get_by_label("Message").fill("Dear {{ recipient }},\n\n{{ message }}")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_test_id("preview-subject")).to_have_text(
        "[INC0001234] Solved for you: The printer on floor 3 jams"
    )
    expect(page.get_by_test_id("preview-body")).to_contain_text(f"Dear {admin_user.display_name},")
    assert not MailTemplate.objects.exists()  # a preview saves nothing
    axe_audit(page)
    _shot(page, f"mail-template-preview-{width}")

    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("The template is saved")
    assert MailTemplate.objects.get().subject == "Solved for you: {{ title }}"

    page.get_by_label("Message").fill("{{ password }}")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("{{ password }} is not offered here")).to_be_visible()
    axe_audit(page)
    _shot(page, f"mail-template-error-{width}")

    page.goto("/notifications/mail-templates/incident.resolved/en/")
    page.get_by_role("button", name="Use Steward's words").click()
    expect(page.get_by_role("status")).to_contain_text("Steward's own words are sent again")
    expect(page.get_by_label("Subject")).to_have_value("{{ number }} is resolved: {{ title }}")
    assert not MailTemplate.objects.exists()
