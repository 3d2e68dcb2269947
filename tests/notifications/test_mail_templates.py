"""Administrators reword the e-mail of an event per language; everyone else reads Steward's
words. Placeholders are filled in the reader's language and time zone, in one pass."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils.translation import gettext_noop

from steward.core.errors import NotFound, PermissionDenied, StaleVersion, ValidationError
from steward.core.texts import Moment, Text
from steward.notifications import mail_templates
from steward.notifications import operations as notifications
from steward.notifications.models import MailTemplate, OutboundEmail
from steward.notifications.operations import mail_templates as ops
from steward.people.choices import Role

EVENT = "incident.resolved"
SUBJECT = gettext_noop("%(number)s is resolved: %(title)s")


@pytest.fixture
def root(make_user):
    return make_user("root", roles=[Role.ADMIN], time_zone="Europe/Amsterdam")


def tell(people, *, title="Printer jams", body="Realigned the tray.", event=EVENT, **kwargs):
    return notifications.notify(
        None,
        people,
        subject=Text(SUBJECT, number="INC0000042", title=title),
        body=body,
        link="/incidents/42/",
        event=event,
        **kwargs,
    )


def mail_to(user) -> OutboundEmail:
    return OutboundEmail.objects.get(recipient=user)


def test_without_a_template_the_mail_says_stewards_words(make_user):
    ann = make_user("ann")
    tell([ann])
    assert mail_to(ann).subject == "INC0000042 is resolved: Printer jams"
    assert mail_to(ann).body == "Realigned the tray."


def test_a_template_is_sent_to_readers_of_its_language_only(root, make_user, settings):
    settings.STEWARD_SITE_URL = "https://desk.example.org"
    ops.save_template(
        root,
        EVENT,
        "nl",
        subject="Opgelost: {{ number }}",
        body="Beste {{recipient}},\n\n{{ message }}\n\n{{ title }} — {{ link }}",
    )
    anna = make_user("anna", language="nl", first_name="Anna", last_name="de Vries")
    bob = make_user("bob", language="en")
    tell([anna, bob])
    assert mail_to(anna).subject == "Opgelost: INC0000042"
    assert mail_to(anna).body == (
        "Beste Anna de Vries,\n\nRealigned the tray.\n\n"
        "Printer jams — https://desk.example.org/incidents/42/"
    )
    assert mail_to(bob).subject == "INC0000042 is resolved: Printer jams"


def test_each_reader_is_named_in_their_own_mail(root, make_user):
    ops.save_template(root, EVENT, "en", subject="For {{ recipient }}", body="{{ message }}")
    ann, ben = make_user("ann", first_name="Ann"), make_user("ben", first_name="Ben")
    tell([ann, ben])
    assert mail_to(ann).subject.startswith("For Ann")
    assert mail_to(ben).subject.startswith("For Ben")


def test_a_placeholder_in_a_title_is_not_filled_again(root, make_user):
    ops.save_template(root, EVENT, "en", subject="{{ title }}", body="{{ title }} {{ message }}")
    ann = make_user("ann")
    tell([ann], title="Costs {{ link }} and {{ recipient }}", body="{{ subject }}")
    assert mail_to(ann).subject == "Costs {{ link }} and {{ recipient }}"
    assert mail_to(ann).body == "Costs {{ link }} and {{ recipient }} {{ subject }}"


def test_a_moment_is_said_in_each_readers_time_zone(make_user):
    at = dt.datetime(2026, 3, 2, 13, 0, tzinfo=dt.UTC)
    london = make_user("lon", time_zone="Europe/London")
    amsterdam = make_user("ams", time_zone="Europe/Amsterdam")
    notifications.notify(
        None,
        [london, amsterdam],
        subject="Due",
        body=Text(gettext_noop("Due %(due)s"), due=Moment(at)),
    )
    assert "1 p.m." in mail_to(london).body
    assert "2 p.m." in mail_to(amsterdam).body


def test_a_moment_survives_storage_and_is_said_in_the_template(root, make_user):
    at = dt.datetime(2026, 3, 2, 13, 0, tzinfo=dt.UTC)
    ops.save_template(root, "sla.warning", "en", subject="Due {{ due }}", body="{{ message }}")
    ams = make_user("ams", time_zone="Europe/Amsterdam")
    sent = notifications.notify(
        None,
        [ams],
        subject="SLA",
        body=Text(gettext_noop("Due %(due)s"), due=Moment(at)),
        event="sla.warning",
    )
    assert "2 p.m." in mail_to(ams).subject
    stored = sent.notifications[0].texts["body"]
    assert Text.from_json(stored).render("en", "Europe/London") == "Due March 2, 2026, 1 p.m."


@pytest.mark.parametrize(
    ("subject", "body", "field"),
    [
        ("{{ number }}", "{{ password }}", "body"),
        ("{{ secret_key }}", "{{ message }}", "subject"),
        ("", "{{ message }}", "subject"),
        ("Done", "   ", "body"),
        ("Two\nlines", "{{ message }}", "subject"),
        ("Done", "x" * 20_001, "body"),
    ],
)
def test_a_template_that_cannot_be_sent_is_refused_naming_the_field(root, subject, body, field):
    with pytest.raises(ValidationError) as refused:
        ops.save_template(root, EVENT, "en", subject=subject, body=body)
    assert field in refused.value.fields
    assert not MailTemplate.objects.exists()


def test_an_unknown_event_or_language_is_refused(root):
    with pytest.raises(ValidationError) as refused:
        ops.save_template(root, EVENT, "xx", subject="s", body="b")
    assert "language" in refused.value.fields
    with pytest.raises(NotFound):
        ops.save_template(root, "incident.exploded", "en", subject="s", body="b")
    assert not MailTemplate.objects.exists()


def test_only_administrators_edit_templates(make_user):
    with pytest.raises(PermissionDenied):
        ops.save_template(make_user("agent"), EVENT, "en", subject="s", body="b")
    assert not MailTemplate.objects.exists()


def test_a_stale_edit_is_a_conflict_and_keeps_the_newer_words(root):
    first = ops.save_template(root, EVENT, "en", subject="One", body="{{ message }}")
    ops.save_template(root, EVENT, "en", subject="Two", body="b", version=first.version)
    with pytest.raises(StaleVersion):
        ops.save_template(root, EVENT, "en", subject="Three", body="c", version=first.version)
    assert MailTemplate.objects.get().subject == "Two"


def test_resetting_sends_stewards_words_again_and_is_journaled(root, make_user):
    from steward.core.models import JournalEntry

    row = ops.save_template(root, EVENT, "en", subject="Mine", body="{{ message }}")
    ops.reset_template(root, EVENT, "en")
    ann = make_user("ann")
    tell([ann])
    assert mail_to(ann).subject == "INC0000042 is resolved: Printer jams"
    actions = list(
        JournalEntry.objects.filter(record_id=str(row.pk), record_type="notifications.mailtemplate")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["created", "deleted"]


def test_the_preview_fills_a_draft_for_a_made_up_record_and_writes_nothing(root):
    said = ops.preview(root, EVENT, "nl", subject="Klaar: {{ number }}", body="{{ recipient }}")
    assert said.subject == "Klaar: [INC0001234]"
    assert said.text == root.display_name
    assert "Klaar: [INC0001234]" in said.html and "<script" not in said.html
    assert not MailTemplate.objects.exists()


def test_the_built_in_words_are_offered_as_a_template_in_each_language(root):
    from django.utils import translation

    event = mail_templates.events()["incident.handover_pending"]
    with translation.override("nl"):
        subject, body = mail_templates.builtin(event)
    assert "{{ number }}" in subject and "{{ group }}" in subject
    assert "{{ from_group }}" in body and "%(" not in subject + body
    # the built-in template says what Steward says
    said = ops.preview(root, event.key, "nl", subject=subject, body=body)
    assert said == ops.preview(root, event.key, "nl")


@pytest.mark.parametrize("key", sorted(mail_templates.events()))
def test_every_event_offers_what_its_words_carry(key):
    """Each declared placeholder is filled by the event's words (no placeholder says nothing)."""
    event = mail_templates.events()[key]
    subject, body, extra = event.sample()
    carried = set(mail_templates.said(subject)) | set(mail_templates.said(body)) | set(extra)
    assert set(event.variables) <= carried, set(event.variables) - carried
