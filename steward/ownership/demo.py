"""Demo ownership data: process owners, a RACI matrix for every process, and a CMDB behind the
demo services — with a few deliberate gaps so the gaps page shows something real:

- *Continual improvement* has no process owner;
- *Problem management > Review* has nobody responsible, and *Change enablement > Authorize*
  gives the A to a group without naming its accountable person;
- the CI ``legacy-fax-01`` has no owner group.

Idempotent: a process that already has an owner or a matrix, and a CI or class that exists, is
left alone.
"""

from __future__ import annotations

from steward.ownership import operations as ops
from steward.ownership.models import Process, RaciAssignment
from steward.people.choices import Role
from steward.people.models import SupportGroup, User
from steward.services import operations as cmdb
from steward.services.models import CIClass, CIRelationship, ConfigurationItem, Service, ServiceCI

# process key: (owner, [managers], default responsible group)
OWNERS = {
    "incident": ("sanne.visser", ["tess.mulder"], "Service Desk"),
    "problem": ("maarten.postma", ["anouk.vanleeuwen"], "Applications"),
    "change": ("linda.kuipers", ["fleur.vandijk"], "Server Operations"),
    "request_fulfilment": ("sanne.visser", ["tess.mulder"], "Service Desk"),
    "knowledge": ("sanne.visser", [], "Service Desk"),
    "service_level": ("maarten.postma", ["peter.gerritsen", "karin.dijkstra"], "Service Desk"),
    "continual_improvement": (None, [], "Applications"),  # deliberate gap: no owner
}

#: (process, activity) -> row overrides [(letter, kind, who, accountable person)]
SPECIAL = {
    ("incident", "Log"): [
        ("R", "group", "Service Desk", None),
        ("A", "user", "sanne.visser", None),
        ("I", "role", Role.REQUESTER, None),
    ],
    ("incident", "Diagnose"): [
        ("R", "group", "Service Desk", None),
        ("R", "group", "Applications", None),
        ("A", "group", "Service Desk", "sanne.visser"),
        ("C", "group", "Database", None),
        ("C", "group", "Network", None),
    ],
    ("incident", "Hand over"): [
        ("R", "group", "Service Desk", None),
        ("A", "user", "tess.mulder", None),
        ("C", "role", Role.GROUP_MANAGER, None),
    ],
    ("change", "Authorize"): [
        ("R", "user", "linda.kuipers", None),
        ("A", "group", "Security", None),  # deliberate gap: no accountable person
        ("C", "role", Role.SERVICE_OWNER, None),
    ],
    ("change", "Implement"): [
        ("R", "group", "Server Operations", None),
        ("R", "group", "Network", None),
        ("A", "user", "fleur.vandijk", None),
        ("I", "role", Role.SERVICE_OWNER, None),
    ],
    ("problem", "Review"): [  # deliberate gap: nobody responsible
        ("A", "user", "maarten.postma", None),
        ("C", "group", "Applications", None),
    ],
}


def _party(kind: str, who: str, users, groups) -> dict:
    if kind == "role":
        return {"role": who}
    if kind == "group":
        return {"group": groups[who]}
    return {"user": users[who]}


def load_processes(users, groups) -> None:
    for key, (owner, managers, group) in OWNERS.items():
        process = Process.objects.filter(key=key).first()
        if (
            process is None
            or process.owner_id
            or RaciAssignment.objects.filter(activity__process=process).exists()
        ):
            continue
        if owner:
            ops.update_process(
                None,
                process,
                version=process.version,
                owner=users[owner],
                managers=[users[m] for m in managers],
            )
        accountable = users[owner] if owner else users["maarten.postma"]
        cells = []
        for activity in process.activities.order_by("order"):
            rows = SPECIAL.get((key, activity.name)) or [
                ("R", "group", group, None),
                ("A", "user", accountable.username, None),
                ("I", "role", Role.SERVICE_OWNER, None),
            ]
            for letter, kind, who, person in rows:
                cells.append(
                    ops.Cell(
                        activity=activity,
                        letter=letter,
                        accountable_person=users[person] if person else None,
                        **_party(kind, who, users, groups),
                    )
                )
        process.refresh_from_db()
        ops.set_raci(None, process, version=process.version, cells=cells)


# --- CMDB ---------------------------------------------------------------------------------------

CLASSES = {
    "Site": {"type": "object", "properties": {"city": {"type": "string"}}},
    "Network device": {
        "type": "object",
        "properties": {"vendor": {"type": "string"}, "ports": {"type": "integer", "minimum": 1}},
    },
    "Storage": {
        "type": "object",
        "properties": {"capacity_tb": {"type": "number", "minimum": 0}},
        "required": ["capacity_tb"],
    },
    "Server": {
        "type": "object",
        "properties": {
            "cpu_count": {"type": "integer", "minimum": 1},
            "ram_gb": {"type": "integer", "minimum": 1},
            "os": {"type": "string", "enum": ["linux", "windows", "esxi"]},
        },
        "required": ["cpu_count", "os"],
    },
    "Virtual machine": {
        "type": "object",
        "properties": {
            "vcpu": {"type": "integer", "minimum": 1},
            "os": {"type": "string", "enum": ["linux", "windows"]},
        },
        "required": ["os"],
    },
    "Database": {
        "type": "object",
        "properties": {
            "engine": {"type": "string", "enum": ["oracle", "postgresql", "sqlserver"]},
            "version": {"type": "string"},
        },
        "required": ["engine"],
    },
    "Application": {
        "type": "object",
        "properties": {"vendor": {"type": "string"}, "version": {"type": "string"}},
    },
}

# name: (class, owner group, attributes)
SHARED = {
    "dc-amsterdam": ("Site", "Server Operations", {"city": "Amsterdam"}),
    "core-switch-01": ("Network device", "Network", {"vendor": "Arista", "ports": 48}),
    "fw-edge-01": ("Network device", "Network", {"vendor": "Palo Alto", "ports": 16}),
    "san-01": ("Storage", "Server Operations", {"capacity_tb": 400}),
    "esx-host-01": ("Server", "Server Operations", {"cpu_count": 64, "ram_gb": 1024, "os": "esxi"}),
    "esx-host-02": ("Server", "Server Operations", {"cpu_count": 64, "ram_gb": 1024, "os": "esxi"}),
    "ora-cluster-01": ("Database", "Database", {"engine": "oracle", "version": "19c"}),
    "pg-cluster-01": ("Database", "Database", {"engine": "postgresql", "version": "16"}),
    "legacy-fax-01": ("Server", None, {"cpu_count": 2, "os": "windows"}),  # deliberate gap
}
SHARED_EDGES = [
    ("core-switch-01", "part_of", "dc-amsterdam"),
    ("san-01", "part_of", "dc-amsterdam"),
    ("esx-host-01", "connected_to", "core-switch-01"),
    ("esx-host-02", "connected_to", "core-switch-01"),
    ("esx-host-01", "depends_on", "san-01"),
    ("esx-host-02", "depends_on", "san-01"),
    ("ora-cluster-01", "runs_on", "esx-host-01"),
    ("pg-cluster-01", "runs_on", "esx-host-02"),
    ("core-switch-01", "connected_to", "fw-edge-01"),
]
# service: (application name, database, host, extra dependencies)
SERVICE_CIS = {
    "Online Banking": ("app-online-banking", "pg-cluster-01", "esx-host-02", ["fw-edge-01"]),
    "Payments Processing": ("app-payments", "ora-cluster-01", "esx-host-01", []),
    "Core Banking": ("app-core-banking", "ora-cluster-01", "esx-host-01", []),
    "Corporate Lending Portal": ("app-lending", "pg-cluster-01", "esx-host-02", []),
    "Treasury Dealing": ("app-treasury", "ora-cluster-01", "esx-host-01", []),
    "Customer Relationship Management": ("app-crm", "pg-cluster-01", "esx-host-02", []),
    "Email and Calendar": ("app-mail", None, "esx-host-01", ["fw-edge-01"]),
    "Remote Access (VPN)": ("app-vpn", None, "esx-host-02", ["fw-edge-01"]),
    "HR and Payroll": ("app-payroll", "ora-cluster-01", "esx-host-01", []),
    "Financial Reporting": ("app-ledger", "ora-cluster-01", "esx-host-01", []),
}


def load_cmdb(groups) -> None:
    if ConfigurationItem.objects.filter(name="app-online-banking").exists():
        return
    classes = {c.name: c for c in CIClass.objects.all()}
    for name, schema in CLASSES.items():
        if name not in classes:
            classes[name] = cmdb.create_ci_class(None, name=name, attribute_schema=schema)
    cis: dict[str, ConfigurationItem] = {}

    def ci(name, class_name, group, attributes):
        found = ConfigurationItem.objects.filter(name=name, ci_class=classes[class_name]).first()
        cis[name] = found or cmdb.create_ci(
            None,
            name=name,
            ci_class=classes[class_name],
            owner_group=groups[group] if group else None,
            attributes=attributes,
        )
        return cis[name]

    def relate(source, type_, target):
        if not CIRelationship.objects.filter(
            source=cis[source], target=cis[target], type=type_
        ).exists():
            cmdb.create_relationship(None, source=cis[source], target=cis[target], type=type_)

    for name, (class_name, group, attributes) in SHARED.items():
        ci(name, class_name, group, attributes)
    for edge in SHARED_EDGES:
        relate(*edge)
    services = {s.name: s for s in Service.objects.filter(name__in=SERVICE_CIS)}
    for service_name, (app, db, host, extra) in SERVICE_CIS.items():
        service = services.get(service_name)
        if service is None:
            continue
        vm = f"vm-{app.removeprefix('app-')}-01"
        ci(vm, "Virtual machine", "Server Operations", {"vcpu": 8, "os": "linux"})
        ci(app, "Application", "Applications", {"version": "2026.1"})
        relate(vm, "runs_on", host)
        relate(app, "runs_on", vm)
        if db:
            relate(app, "depends_on", db)
        for other in extra:
            relate(app, "depends_on", other)
        if not ServiceCI.objects.filter(service=service, ci=cis[app]).exists():
            cmdb.link_service_ci(None, service=service, ci=cis[app])


def load(stdout, quiet: bool = False) -> None:
    users = {u.username: u for u in User.objects.all()}
    groups = {g.name: g for g in SupportGroup.objects.all()}
    needed = {o for o, _, _ in OWNERS.values() if o} | {"maarten.postma"}
    if not needed <= set(users) or "Service Desk" not in groups:
        return  # the people demo step did not run
    load_processes(users, groups)
    load_cmdb(groups)
