"""Demo services: 12 services, each with an owner and its customer organizations."""

from __future__ import annotations

from steward.people.models import Organization, SupportGroup, User
from steward.services import operations as ops
from steward.services.choices import Lifecycle
from steward.services.models import Service

ALL = ["retail", "corporate", "finance-hr"]
# name: (description, owner, criticality, status, customers)
SERVICES = {
    "Online Banking": (
        "Internet and mobile banking for consumers",
        "peter.gerritsen",
        1,
        Lifecycle.LIVE,
        ["retail"],
    ),
    "Payments Processing": (
        "SEPA and international payments, incoming and outgoing",
        "maarten.postma",
        1,
        Lifecycle.LIVE,
        ["retail", "corporate"],
    ),
    "Core Banking": (
        "Accounts, balances and interest",
        "maarten.postma",
        1,
        Lifecycle.LIVE,
        ["retail", "corporate"],
    ),
    "Corporate Lending Portal": (
        "Credit applications and limits for business clients",
        "peter.gerritsen",
        2,
        Lifecycle.LIVE,
        ["corporate"],
    ),
    "Treasury Dealing": (
        "Trading platform for the treasury desk",
        "maarten.postma",
        2,
        Lifecycle.LIVE,
        ["corporate"],
    ),
    "Customer Relationship Management": (
        "Client files, contact history and campaigns",
        "peter.gerritsen",
        2,
        Lifecycle.LIVE,
        ["retail", "corporate"],
    ),
    "Email and Calendar": (
        "Mail, calendars and shared mailboxes",
        "karin.dijkstra",
        2,
        Lifecycle.LIVE,
        ALL,
    ),
    "Workplace and Laptops": (
        "Laptops, desktops, printers and standard software",
        "karin.dijkstra",
        3,
        Lifecycle.LIVE,
        ALL,
    ),
    "Remote Access (VPN)": (
        "Working from home and on the road",
        "karin.dijkstra",
        2,
        Lifecycle.LIVE,
        ALL,
    ),
    "HR and Payroll": (
        "Personnel files, leave and monthly payroll",
        "maarten.postma",
        3,
        Lifecycle.LIVE,
        ["finance-hr"],
    ),
    "Financial Reporting": (
        "General ledger, consolidation and regulatory reporting",
        "maarten.postma",
        2,
        Lifecycle.LIVE,
        ["finance-hr"],
    ),
    "Video Meetings": (
        "Meeting rooms and video conferencing (being rolled out)",
        "karin.dijkstra",
        4,
        Lifecycle.PIPELINE,
        ALL,
    ),
}


#: second-line support per service (every service has the Service Desk at first line)
SECOND_LINE = {
    "Online Banking": ["Applications"],
    "Payments Processing": ["Applications", "Database"],
    "Core Banking": ["Applications", "Database"],
    "Corporate Lending Portal": ["Applications"],
    "Treasury Dealing": ["Applications"],
    "Customer Relationship Management": ["Applications"],
    "Email and Calendar": ["Server Operations"],
    "Workplace and Laptops": ["Server Operations"],
    "Remote Access (VPN)": ["Network", "Security"],
    "HR and Payroll": ["Applications"],
    "Financial Reporting": ["Applications", "Database"],
    "Video Meetings": ["Network"],
}
DEPENDS_ON = {
    "Online Banking": ["Core Banking", "Payments Processing"],
    "Payments Processing": ["Core Banking"],
    "Corporate Lending Portal": ["Core Banking", "Customer Relationship Management"],
}
#: A deliberate gap: this owner has not signed up yet.
NOT_ACCEPTED = {"Video Meetings"}


def load(stdout, quiet: bool = False) -> None:
    orgs = {o.code: o for o in Organization.objects.all()}
    existing = set(Service.objects.values_list("name", flat=True))
    if existing:
        return
    for name, (description, owner, criticality, status, customers) in SERVICES.items():
        if name in existing:
            continue
        ops.create_service(
            None,
            name=name,
            description=description,
            owner=User.objects.get(username=owner),
            criticality=criticality,
            status=status,
            customers=[orgs[c] for c in customers],
        )
    services = {s.name: s for s in Service.objects.select_related("owner")}
    groups = {g.name: g for g in SupportGroup.objects.all()}
    for name, service in services.items():
        if name not in NOT_ACCEPTED:
            ops.accept_ownership(service.owner, service)
        ops.set_support(None, service, "first", [groups["Service Desk"]])
        ops.set_support(None, service, "second", [groups[g] for g in SECOND_LINE.get(name, [])])
        if name in DEPENDS_ON:
            ops.set_dependencies(None, service, [services[d] for d in DEPENDS_ON[name]])
