"""Each reader reads a notification in their own language: the in-app row of a group in each
member's, every e-mail in its recipient's, the stored subject in the installation's."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_noop

from steward.core.texts import Text
from steward.notifications import operations as ops
from steward.notifications.models import OutboundEmail
from steward.people import operations as people_ops

# A sentence Django itself translates, so the test needs no catalogue of its own.
SENTENCE = gettext_noop("Ensure this value is greater than or equal to %(limit_value)s.")
DUTCH = "Zorg ervoor dat deze waarde minstens 5 is."


def test_group_members_and_mail_recipients_each_read_their_own_language(
    make_user, client_for, api_as
):
    anna = make_user("anna", language="nl")
    bob = make_user("bob", language="en")
    group = people_ops.create_group(None, name="Network", members=[anna, bob])
    ops.notify(make_user(), group=group, subject=Text(SENTENCE, limit_value=5), body="")

    mail = dict(OutboundEmail.objects.values_list("to_address", "subject"))
    assert mail == {
        "anna@example.org": DUTCH,
        "bob@example.org": "Ensure this value is greater than or equal to 5.",
    }
    dutch_page = client_for(anna).get(reverse("notifications:list")).content.decode()
    english_page = client_for(bob).get(reverse("notifications:list")).content.decode()
    assert DUTCH in dutch_page and "Ensure this value" not in dutch_page
    assert "Ensure this value is greater than or equal to 5." in english_page
    status, body = api_as(anna).get("/api/v1/notifications")
    assert status == 200 and body["items"][0]["subject"] == DUTCH


def test_the_stored_subject_is_in_the_installations_language(make_user):
    anna = make_user("anna", language="nl")
    sent = ops.notify(make_user(), [anna], subject=Text(SENTENCE, limit_value=5), body="")
    row = sent.notifications[0]
    assert row.subject == "Ensure this value is greater than or equal to 5."
    assert row.texts["subject"] == {"msgid": SENTENCE, "params": {"limit_value": 5}}
