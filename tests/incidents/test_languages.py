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


def test_a_dutch_agent_reads_statuses_and_a_refusal_in_dutch(desk, open_one, client_for):
    agent = _speak(desk["people"]["agent"], "nl")
    incident = open_one(title="Betaalautomaat reageert niet")
    page = client_for(agent)

    queue = page.get("/incidents/?queue=all").content.decode()
    assert ">Nieuw</span>" in queue and ">New</span>" not in queue
    assert "P3 – Gemiddeld" in queue

    # a new incident cannot be resolved at once: the workflow refuses, in Dutch, with the
    # statuses' Dutch names
    response = page.post(
        f"/incidents/{incident.number}/transition/",
        {
            "to": "resolved",
            "resolution_code": "solved",
            "resolution_notes": "Opnieuw opgestart.",
            "version": incident.version,
        },
        follow=True,
    )
    html = response.content.decode()
    assert "“Nieuw”" in html and "“Opgelost”" in html and "cannot go" not in html
    incident.refresh_from_db()
    assert incident.status == "new"


def test_the_api_keeps_its_machine_codes_and_says_the_message_in_the_readers_language(
    desk, open_one, api_as
):
    agent = _speak(desk["people"]["agent"], "nl")
    incident = open_one()
    status, data = api_as(agent).post(
        f"incidents/{incident.number}/handovers",
        {"to_group": incident.owning_group_id, "reason": "x"},
    )
    assert status == 422
    assert data["error"]["fields"]["to_group"] == [
        "is already the owning group: assigning within a group is not a handover"
    ]
    assert "is al eigenaar van het incident" in data["error"]["message"]


def test_the_timeline_says_a_handovers_system_words_in_the_readers_language(
    desk, open_one, client_for
):
    incident = open_one(title="Printer offline")
    agent = desk["people"]["agent"]
    ops.hand_over(agent, incident, to_group=desk["groups"]["network"], reason="Switch poort 12")

    english = client_for(agent).get(f"/incidents/{incident.number}/").content.decode()
    assert "Reason: Switch poort 12" in english

    dutch = client_for(_speak(agent, "nl")).get(f"/incidents/{incident.number}/").content
    assert "Reden: Switch poort 12" in dutch.decode()
    assert "Reason:" not in dutch.decode()
