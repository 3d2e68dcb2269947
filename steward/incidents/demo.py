"""Demo incidents: a handful of incidents in different states, with routing, work notes, a
reply and handovers (one accepted, one pending), all through the operations."""

from __future__ import annotations

from steward.incidents import operations as ops
from steward.incidents.models import Incident
from steward.people.models import SupportGroup, User
from steward.services.models import Service

# title: (caller, service, impact, urgency)
INCIDENTS = {
    "Online banking login fails with error 503": ("yvonne.smits", "Online Banking", 1, 1),
    "Outgoing SEPA batch stuck since 06:00": ("femke.huisman", "Payments Processing", 1, 2),
    "VPN drops every ten minutes when working from home": (
        "dennis.maas",
        "Remote Access (VPN)",
        3,
        2,
    ),
    "Shared mailbox 'Mortgages' not visible in Outlook": (
        "ahmed.elamrani",
        "Email and Calendar",
        3,
        3,
    ),
    "Payroll report shows last month's figures": ("saskia.verbeek", "HR and Payroll", 2, 2),
}


def load(stdout, quiet: bool = False) -> None:
    if Incident.objects.exists():
        return
    users = {u.username: u for u in User.objects.all()}
    services = {s.name: s for s in Service.objects.all()}
    groups = {g.name: g for g in SupportGroup.objects.all()}
    if "Service Desk" not in groups or not set(INCIDENTS[t][0] for t in INCIDENTS) <= set(users):
        return  # the people step did not run
    desk = users["sanne.visser"]
    made = {}
    for title, (caller, service, impact, urgency) in INCIDENTS.items():
        made[title] = ops.open_incident(
            desk,
            title=title,
            caller=users[caller],
            service=services.get(service),
            impact=impact,
            urgency=urgency,
            description="Reported by phone to the Service Desk.",
        )
    login = made["Online banking login fails with error 503"]
    ops.assign(desk, login, users["daan.bakker"])
    ops.transition(users["daan.bakker"], login, "in_progress")
    ops.add_comment(
        users["daan.bakker"],
        login,
        body="Load balancer health checks fail for two of four nodes. @Network please look.",
        time_spent=10,
    )
    handover = ops.hand_over(
        users["daan.bakker"],
        login,
        to_group=groups["Network"],
        reason="Load balancer health checks failing",
        note="Restarted the portal nodes; the 503s come back within a minute.",
    )
    ops.accept_handover(users["noah.peters"], handover, take_assignment=True)
    ops.add_comment(
        users["noah.peters"],
        login,
        body="We found the cause and are fixing it; expect service back within the hour.",
        visibility="public",
    )

    sepa = made["Outgoing SEPA batch stuck since 06:00"]
    ops.transition(desk, sepa, "in_progress")
    ops.hand_over(
        desk,
        sepa,
        to_group=groups["Applications"],
        reason="Batch job in the payments engine is not progressing",
        note="Checked the scheduler: the job is running but has processed nothing since 06:00.",
    )

    mailbox = made["Shared mailbox 'Mortgages' not visible in Outlook"]
    ops.assign(desk, mailbox, users["emma.jansen"])
    ops.transition(users["emma.jansen"], mailbox, "in_progress")
    ops.transition(
        users["emma.jansen"],
        mailbox,
        "resolved",
        resolution_code="user_instruction",
        resolution_notes="Added the mailbox under File > Account settings; visible again.",
    )

    vpn = made["VPN drops every ten minutes when working from home"]
    ops.transition(desk, vpn, "in_progress")
    ops.transition(desk, vpn, "on_hold", hold_reason="awaiting_caller")
    if not quiet:
        stdout.write(f"incidents: {len(made)} demo incidents, 2 handovers\n")
