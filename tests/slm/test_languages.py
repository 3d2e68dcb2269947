"""SLM tells each person in their own language: a breach alert and a sign-off request reach a
Dutch reader in Dutch and an English one in English (page, mail), and the timeline says the
alert in the reader's language whoever reads it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from steward.core.models import JournalEntry
from steward.core.templatetags.steward_ui import field_label, journal_comment
from steward.notifications.models import Notification, OutboundEmail
from steward.people.choices import Role
from steward.services import operations as service_ops
from steward.slm import operations as ops
from steward.slm import queries, records
from tests.slm.helpers import AMS

pytestmark = pytest.mark.django_db
HOUR = 3600
OFFICE = {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}


def t(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=AMS).astimezone(dt.UTC)


@pytest.fixture
def readers(make_user):
    return {
        "nl": make_user("anke", language="nl"),
        "en": make_user("bob", language="en"),
    }


@pytest.fixture
def ticket(readers, monkeypatch):
    """A stand-in record type "ticket" whose alerts go to both readers."""
    monkeypatch.setitem(
        records._types,
        "ticket",
        records.TrackedType(
            key="ticket",
            instance=lambda rid: readers["nl"],
            label=lambda inst: "TCK1 Printer on fire",
            link=lambda inst: "/tickets/1",
            recipients=lambda inst, level: [readers["nl"], readers["en"]],
        ),
    )


def test_a_breach_alert_reaches_each_reader_in_their_language(
    admin_user, readers, ticket, client_for
):
    office = ops.create_calendar(
        admin_user, name="Office NL", time_zone="Europe/Amsterdam", hours=OFFICE
    )
    ops.create_definition(
        admin_user, name="Gold", record_type="ticket", calendar=office, resolution_seconds=HOUR
    )
    ops.track("ticket", 1, at=t(2026, 3, 2, 9, 0), category="open")
    assert ops.check_clocks(t(2026, 3, 2, 10, 30)) == 4  # 50%, 75%, 90% and the breach

    mail = OutboundEmail.objects.filter(subject__contains="TCK1")
    dutch = list(mail.filter(to_address="anke@example.org").values_list("subject", "body"))
    english = list(mail.filter(to_address="bob@example.org").values_list("subject", "body"))
    assert ("SLA overschreden: TCK1 Printer on fire") in [s for s, _ in dutch]
    assert "SLA voor 50% opgebruikt: TCK1 Printer on fire" in [s for s, _ in dutch]
    breach_nl = dict(dutch)["SLA overschreden: TCK1 Printer on fire"]
    assert breach_nl.startswith(
        "TCK1 Printer on fire: de norm voor oplossing van SLA Gold is overschreden (uiterlijk "
    )
    breach_en = dict(english)["SLA breached: TCK1 Printer on fire"]
    assert breach_en.startswith(
        "TCK1 Printer on fire: the resolution target of SLA Gold is breached (due "
    )
    assert "SLA 50% used: TCK1 Printer on fire" in [s for s, _ in english]

    dutch_page = client_for(readers["nl"]).get(reverse("notifications:list")).content.decode()
    english_page = client_for(readers["en"]).get(reverse("notifications:list")).content.decode()
    assert "SLA overschreden: TCK1 Printer on fire" in dutch_page
    assert "SLA breached" not in dutch_page
    assert "SLA breached: TCK1 Printer on fire" in english_page
    # the stored subject stays in the installation's language, for the API and exports
    assert Notification.objects.filter(subject="SLA breached: TCK1 Printer on fire").exists()


def test_the_timeline_says_an_alert_in_the_readers_language(admin_user, readers, ticket):
    ops.create_definition(admin_user, name="Gold", record_type="ticket", resolution_seconds=HOUR)
    ops.track("ticket", 1, at=dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), category="open")
    ops.check_clocks(dt.datetime(2026, 3, 2, 11, 0, tzinfo=dt.UTC))
    entry = JournalEntry.objects.for_record(readers["nl"]).get(action="sla_breached")
    assert entry.comment.startswith("TCK1 Printer on fire: the resolution target of SLA Gold")
    with translation.override("nl"):
        assert field_label(entry.action) == "SLA overschreden"
        assert journal_comment(entry).startswith(
            "TCK1 Printer on fire: de norm voor oplossing van SLA Gold is overschreden"
        )
    with translation.override("en"):
        assert field_label(entry.action) == "SLA breached"
        assert journal_comment(entry) == entry.comment


def test_a_sign_off_request_reaches_the_service_owner_in_their_language(
    admin_user, make_user, client_for
):
    owner = make_user("olga", roles=[Role.AGENT, Role.SERVICE_OWNER], language="nl")
    service = service_ops.create_service(admin_user, name="Payments", owner=owner)
    ops.create_definition(admin_user, name="Gold", service=service, resolution_seconds=HOUR)
    mail = OutboundEmail.objects.get(to_address="olga@example.org", subject__contains="Gold")
    assert mail.subject == "SLA Gold wacht op jouw ondertekening"
    assert mail.body.startswith(
        "Een afspraak voor Payments moet door de diensteigenaar worden ondertekend."
    )
    page = client_for(owner).get(reverse("notifications:list")).content.decode()
    assert "SLA Gold wacht op jouw ondertekening" in page


def test_a_clocks_ledger_is_explained_in_the_readers_language(admin_user, readers, ticket):
    office = ops.create_calendar(
        admin_user, name="Office NL", time_zone="Europe/Amsterdam", hours=OFFICE
    )
    ops.create_definition(
        admin_user, name="Gold", record_type="ticket", calendar=office, resolution_seconds=HOUR
    )
    ops.track("ticket", 1, at=t(2026, 3, 6, 16, 0), category="open")  # a Friday afternoon
    now = t(2026, 3, 9, 10, 30)  # Monday morning
    ops.check_clocks(now)  # closes the ledger up to now: Friday's hour, the weekend, Monday
    with translation.override("nl"):
        (clock,) = queries.clocks_for("ticket", 1, now=now)
    lines = [s["explanation"] for s in clock["ledger"]]
    assert "niet geteld: buiten werkuren" in lines
    assert any(line.startswith("1 u geteld") for line in lines)
    assert any(line.startswith("1 u 30 min geteld") for line in lines)
    assert lines[-1].startswith("loopt sinds 2026-03-09 09:30 UTC")


def test_an_alerts_due_time_is_said_in_each_readers_time_zone_and_template(
    admin_user, readers, ticket
):
    """The mail says when the target falls due in the reader's own time zone, also in an
    administrator's template for the warning."""
    from steward.notifications.operations import mail_templates

    readers["nl"].time_zone = "Europe/Amsterdam"
    readers["nl"].save(update_fields=["time_zone"])
    mail_templates.save_template(
        admin_user, "sla.warning", "en", subject="{{ state }}: {{ label }}", body="Due {{ due }}"
    )
    ops.create_definition(admin_user, name="Gold", record_type="ticket", resolution_seconds=HOUR)
    ops.track("ticket", 1, at=dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), category="open")
    ops.check_clocks(dt.datetime(2026, 3, 2, 9, 50, tzinfo=dt.UTC))  # 75% used: a warning

    english = OutboundEmail.objects.filter(to_address="bob@example.org")
    assert english.filter(subject="75% used: TCK1 Printer on fire", body__contains="10 a.m.")
    dutch = OutboundEmail.objects.get(
        to_address="anke@example.org", subject__startswith="SLA voor 75%"
    )
    assert "11:00" in dutch.body  # 10:00 UTC is 11:00 in Amsterdam, said the Dutch way
