"""Demo people: 3 customer organizations, 6 support groups and ~40 users with managers."""

from __future__ import annotations

import secrets
from contextlib import contextmanager
from unittest import mock

from django.contrib.auth import base_user
from django.contrib.auth.hashers import make_password

from steward.people import operations as ops
from steward.people.choices import Role
from steward.people.models import Organization, SupportGroup, User

ORGANIZATIONS = [
    ("Retail Banking", "retail", "Branches, contact centre and online banking for consumers"),
    ("Corporate Banking", "corporate", "Lending, payments and treasury for business clients"),
    ("Group Finance & HR", "finance-hr", "Finance, risk, HR and the group staff functions"),
]

# organization code: [(name, e-mail, role, language)]: told when a major incident hits them
CONTACTS = {
    "retail": [
        ("Marieke de Boer", "marieke.deboer@retail.example.org", "primary", "nl"),
        ("Peter Wouters", "peter.wouters@retail.example.org", "escalation", "nl"),
    ],
    "corporate": [("Anne Clarke", "anne.clarke@corporate.example.org", "primary", "en")],
    "finance-hr": [("Ruud Vermeulen", "ruud.vermeulen@finance.example.org", "primary", "nl")],
}

# group: (description, manager username, [member usernames])
GROUPS = {
    "Service Desk": (
        "First line: takes every call, mail and portal request",
        "sanne.visser",
        [
            "sanne.visser",
            "daan.bakker",
            "emma.jansen",
            "lucas.smit",
            "julia.meijer",
            "sem.devries",
            "tess.mulder",
        ],
    ),
    "Network": (
        "LAN, WAN, firewalls, load balancers and DNS",
        "bram.hendriks",
        ["bram.hendriks", "noah.peters", "mila.kok"],
    ),
    "Server Operations": (
        "Windows and Linux servers, virtualisation, storage and backup",
        "fleur.vandijk",
        ["fleur.vandijk", "jesse.bos", "lotte.vos", "thijs.dekker"],
    ),
    "Applications": (
        "Business applications: core banking, CRM, payments and the portal",
        "anouk.vanleeuwen",
        ["anouk.vanleeuwen", "ruben.brouwer", "sophie.degroot", "milan.willems", "eva.schouten"],
    ),
    "Database": (
        "Oracle, PostgreSQL and SQL Server administration",
        "koen.vermeulen",
        ["koen.vermeulen", "iris.hoekstra"],
    ),
    "Security": (
        "Identity and access, vulnerability management, security monitoring",
        "lars.koster",
        ["lars.koster", "nina.prins", "stijn.jacobs"],
    ),
}

# username: (first, last, job title, extra roles)
IT_PEOPLE = {
    "sanne.visser": (
        "Sanne",
        "Visser",
        "Service desk manager",
        [Role.GROUP_MANAGER, Role.PROCESS_OWNER],
    ),
    "daan.bakker": ("Daan", "Bakker", "Service desk analyst", []),
    "emma.jansen": ("Emma", "Jansen", "Service desk analyst", []),
    "lucas.smit": ("Lucas", "Smit", "Service desk analyst", []),
    "julia.meijer": ("Julia", "Meijer", "Service desk analyst", []),
    "sem.devries": ("Sem", "de Vries", "Service desk analyst", []),
    "tess.mulder": ("Tess", "Mulder", "Service desk team lead", []),
    "bram.hendriks": ("Bram", "Hendriks", "Network team lead", [Role.GROUP_MANAGER]),
    "noah.peters": ("Noah", "Peters", "Network engineer", []),
    "mila.kok": ("Mila", "Kok", "Network engineer", []),
    "fleur.vandijk": ("Fleur", "van Dijk", "Server operations manager", [Role.GROUP_MANAGER]),
    "jesse.bos": ("Jesse", "Bos", "Systems engineer", []),
    "lotte.vos": ("Lotte", "Vos", "Systems engineer", []),
    "thijs.dekker": ("Thijs", "Dekker", "Storage and backup engineer", []),
    "anouk.vanleeuwen": (
        "Anouk",
        "van Leeuwen",
        "Application support manager",
        [Role.GROUP_MANAGER],
    ),
    "ruben.brouwer": ("Ruben", "Brouwer", "Application engineer", []),
    "sophie.degroot": ("Sophie", "de Groot", "Application engineer", []),
    "milan.willems": ("Milan", "Willems", "Application engineer", []),
    "eva.schouten": ("Eva", "Schouten", "Functional administrator", []),
    "koen.vermeulen": ("Koen", "Vermeulen", "Lead DBA", [Role.GROUP_MANAGER]),
    "iris.hoekstra": ("Iris", "Hoekstra", "Database administrator", []),
    "lars.koster": ("Lars", "Koster", "Security officer", [Role.GROUP_MANAGER]),
    "nina.prins": ("Nina", "Prins", "Security analyst", []),
    "stijn.jacobs": ("Stijn", "Jacobs", "Identity and access engineer", []),
    "maarten.postma": (
        "Maarten",
        "Postma",
        "Head of IT operations",
        [Role.SERVICE_OWNER, Role.PROCESS_OWNER],
    ),
    "linda.kuipers": (
        "Linda",
        "Kuipers",
        "Change manager",
        [Role.CHANGE_MANAGER, Role.PROCESS_OWNER],
    ),
    "peter.gerritsen": (
        "Peter",
        "Gerritsen",
        "Service owner digital channels",
        [Role.SERVICE_OWNER],
    ),
    "karin.dijkstra": ("Karin", "Dijkstra", "Service owner workplace", [Role.SERVICE_OWNER]),
}

# username: (first, last, job title, organization code)
END_USERS = {
    "johan.veenstra": ("Johan", "Veenstra", "Branch manager Utrecht", "retail"),
    "marloes.bosman": ("Marloes", "Bosman", "Contact centre agent", "retail"),
    "ahmed.elamrani": ("Ahmed", "El Amrani", "Mortgage advisor", "retail"),
    "yvonne.smits": ("Yvonne", "Smits", "Online banking product owner", "retail"),
    "rick.vandenberg": ("Rick", "van den Berg", "Relationship manager", "corporate"),
    "femke.huisman": ("Femke", "Huisman", "Payments operations", "corporate"),
    "jan.kramer": ("Jan", "Kramer", "Treasury dealer", "corporate"),
    "esther.vanderlinden": ("Esther", "van der Linden", "Credit analyst", "corporate"),
    "wouter.scholten": ("Wouter", "Scholten", "Controller", "finance-hr"),
    "ingrid.kok": ("Ingrid", "Kok", "HR advisor", "finance-hr"),
    "dennis.maas": ("Dennis", "Maas", "Risk analyst", "finance-hr"),
    "saskia.verbeek": ("Saskia", "Verbeek", "Payroll specialist", "finance-hr"),
}

DEMO_PASSWORD_NOTE = "Demo users share the password 'steward-demo' (change it before real use)."  # noqa: S105
DEMO_PASSWORD = "steward-demo"  # noqa: S105 - printed to the person running the demo


def _user(username: str, first: str, last: str, title: str, roles, org=None) -> User:
    existing = User.objects.filter(username=username).first()
    if existing:
        return existing
    return ops.create_user(
        None,
        username=username,
        password=DEMO_PASSWORD,
        roles=roles,
        first_name=first,
        last_name=last,
        job_title=title,
        email=f"{username}@example.org",
        organization=org,
        time_zone="Europe/Amsterdam",
    )


@contextmanager
def _shared_password_hashed_once():
    """The ~40 demo users share one public password: hash it once (a full-strength hash of
    the configured hasher, one salt), not forty times; every other password as usual."""
    hashed = make_password(DEMO_PASSWORD)

    def demo_make_password(password, *args, **kwargs):
        if password == DEMO_PASSWORD and not args and not kwargs:
            return hashed
        return make_password(password, *args, **kwargs)

    with mock.patch.object(base_user, "make_password", demo_make_password):
        yield


def load(stdout, quiet: bool = False) -> str:
    """Returns the credentials to print last (once, when the administrator is created)."""
    if User.objects.filter(username="admin").exists():
        if not quiet:
            stdout.write("Demo people already present: nothing changed.")
        return ""
    with _shared_password_hashed_once():
        _load()
    password = secrets.token_urlsafe(12)
    ops.create_user(
        None,
        username="admin",
        password=password,
        roles=[Role.ADMIN, Role.AGENT],
        first_name="Steward",
        last_name="Administrator",
        email="admin@example.org",
        time_zone="Europe/Amsterdam",
    )
    stdout.write("Demo organisation created.")
    return (
        f"  Administrator: admin / {password}   (shown once: write it down)\n"
        f"  {DEMO_PASSWORD_NOTE} e.g. sanne.visser (service desk manager), "
        "daan.bakker (agent), johan.veenstra (requester)"
    )


def _load() -> None:
    orgs = {}
    for name, code, description in ORGANIZATIONS:
        orgs[code] = Organization.objects.filter(code=code).first() or ops.create_organization(
            None, name=name, code=code, description=description
        )
    for code, contacts in CONTACTS.items():
        for name, email, role, language in contacts:
            if not orgs[code].contacts.filter(email=email).exists():
                ops.add_contact(
                    None, orgs[code], name=name, email=email, role=role, language=language
                )
    for username, (first, last, title, roles) in IT_PEOPLE.items():
        _user(username, first, last, title, [Role.AGENT, *roles])
    for username, (first, last, title, org) in END_USERS.items():
        _user(username, first, last, title, [Role.REQUESTER], orgs[org])
    for name, (description, manager, members) in GROUPS.items():
        if not SupportGroup.objects.filter(name=name).exists():
            users = list(User.objects.filter(username__in=members))
            ops.create_group(
                None,
                name=name,
                description=description,
                email=f"{name.lower().replace(' ', '-')}@example.org",
                manager=User.objects.get(username=manager),
                members=users,
            )
