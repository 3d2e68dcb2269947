"""The incident e-mail administrators may reword reaches people in the administrator's words:
a new incident, a reply, a resolution and a pending handover each name their event."""

from __future__ import annotations

import pytest

from steward.incidents import operations as ops
from steward.incidents.choices import Status, Visibility
from steward.notifications.models import OutboundEmail
from steward.notifications.operations import mail_templates as templates


@pytest.fixture
def root(desk):
    return desk["people"]["admin"]


def mail_to(user) -> list[OutboundEmail]:
    return list(OutboundEmail.objects.filter(recipient=user).order_by("id"))


def test_a_new_incident_mails_the_group_in_the_template(root, desk, open_one):
    templates.save_template(
        root,
        "incident.created",
        "en",
        subject="[{{ group }}] P{{ priority }} {{ number }}",
        body="{{ title }} needs an owner: {{ link }}",
    )
    incident = open_one(title="Vault door stuck")
    desk2 = desk["desk2"]
    (mail,) = mail_to(desk2)
    assert mail.subject == f"[{incident.owning_group.name}] P{incident.priority} {incident.number}"
    assert mail.body.startswith("Vault door stuck needs an owner: http")
    assert mail.body.endswith(incident.get_absolute_url())


def test_a_reply_names_its_author(root, desk, open_one):
    templates.save_template(
        root, "incident.reply", "en", subject="{{ author }} wrote", body="> {{ message }}"
    )
    incident = open_one()
    agent, caller = desk["people"]["agent"], desk["people"]["requester"]
    ops.add_comment(agent, incident, body="Try again now", visibility=Visibility.PUBLIC)
    (mail,) = mail_to(caller)
    assert mail.subject == f"{agent.display_name} wrote"
    assert mail.body == "> Try again now"


def test_a_resolution_reaches_the_caller_in_the_template(root, desk, open_one):
    templates.save_template(
        root, "incident.resolved", "en", subject="Solved: {{ title }}", body="{{ message }}"
    )
    agent, caller = desk["people"]["agent"], desk["people"]["requester"]
    incident = open_one(title="VPN drops")
    ops.transition(agent, incident, Status.IN_PROGRESS)
    ops.transition(
        agent, incident, Status.RESOLVED, resolution_code="solved", resolution_notes="New token"
    )
    subjects = [m.subject for m in mail_to(caller)]
    assert "Solved: VPN drops" in subjects
    assert mail_to(caller)[-1].body == "New token"


def test_a_pending_handover_names_both_groups(root, desk, open_one):
    templates.save_template(
        root,
        "incident.handover_pending",
        "en",
        subject="{{ from_group }} → {{ group }}: {{ number }}",
        body="{{ reason }} / {{ note }}",
    )
    incident = open_one()
    database = desk["groups"]["database"]
    ops.hand_over(
        desk["people"]["agent"],
        incident,
        to_group=database,
        reason="Slow queries",
        note="Reindexed",
    )
    (mail,) = mail_to(desk["dba"])
    assert mail.subject == f"{incident.owning_group.name} → Database: {incident.number}"
    assert mail.body == "Slow queries / Reindexed"
