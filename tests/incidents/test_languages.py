"""What the incident practice tells people, in each person's language: a Dutch-speaking caller
reads the resolution mail in Dutch, an English-speaking agent the same change in English."""

from __future__ import annotations

from steward.incidents import operations as ops
from steward.notifications.models import OutboundEmail
from steward.people import operations as people_ops


def _speak(user, language):
    return people_ops.update_user(None, user, version=user.version, language=language)


def test_the_caller_reads_the_resolution_in_dutch_and_the_group_reads_its_news_in_english(
    desk, open_one
):
    caller = _speak(desk["people"]["requester"], "nl")
    incident = open_one(title="Geen toegang tot internetbankieren")
    group_mail = OutboundEmail.objects.filter(recipient__in=incident.owning_group.members.all())
    assert group_mail.exists()
    for row in group_mail.select_related("recipient"):
        if row.recipient.language == "en":
            assert row.subject.startswith(f"New incident {incident.number} for ")

    agent = desk["people"]["agent"]
    ops.transition(agent, incident, "in_progress")
    ops.transition(
        agent,
        incident,
        "resolved",
        resolution_code="user_instruction",
        resolution_notes="Wachtwoord opnieuw ingesteld.",
    )
    told = OutboundEmail.objects.filter(recipient=caller).order_by("-pk").first()
    assert told.subject == f"{incident.number} is opgelost: Geen toegang tot internetbankieren"
