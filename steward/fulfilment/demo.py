"""Demo request fulfilment, replayed through the operations on the simulated clock, so that the
catalog, the queues, the approvals and the KPIs have a past to show.

- The end users get line managers (their branch or department head).
- A catalog of 12 items in 4 categories (Hardware, Access, Software, Joiners and leavers),
  with order forms (choices, numbers, dates, people, conditional questions), approval flows
  (the line manager, the service owner, the Security group, a condition on the cost) and task
  templates in stages for the groups that deliver.
- About 60 orders over the past six weeks: approvers decide within hours or a day (a few
  reject, with the reason), the groups start and close the tasks, and the latest orders are
  still waiting for approval or being worked.
- Two recurring requests (a monthly access review, a weekly backup-restore test), run by the
  job as the worker would have, with their next run ahead.

Idempotent: nothing happens once a catalog item exists."""

from __future__ import annotations

import datetime as dt
import random

from steward.approvals import operations as approvals_ops
from steward.approvals.models import ApprovalRequest
from steward.approvals.queries import eligible
from steward.core import clock
from steward.core.errors import DomainError
from steward.fulfilment import operations as ops
from steward.fulfilment.approval import SUBJECT_TYPE
from steward.fulfilment.choices import ItemStatus, TaskStatus
from steward.fulfilment.models import CatalogItem, FulfilmentTask, RequestedItem
from steward.people import operations as people_ops
from steward.people.models import SupportGroup, User
from steward.services.models import Service

SEED = 20
DAYS = 42
ORDERS = 60

#: end user: their line manager
LINE_MANAGERS = {
    "marloes.bosman": "johan.veenstra",
    "ahmed.elamrani": "johan.veenstra",
    "yvonne.smits": "johan.veenstra",
    "femke.huisman": "rick.vandenberg",
    "jan.kramer": "rick.vandenberg",
    "esther.vanderlinden": "rick.vandenberg",
    "ingrid.kok": "wouter.scholten",
    "dennis.maas": "wouter.scholten",
    "saskia.verbeek": "wouter.scholten",
    "johan.veenstra": "maarten.postma",
    "rick.vandenberg": "maarten.postma",
    "wouter.scholten": "maarten.postma",
}

CATEGORIES = [
    ("Hardware", "Laptops, screens, phones and what goes with them.", 10),
    ("Access", "Access to applications, mailboxes and the network.", 20),
    ("Software", "Software to install and licences.", 30),
    ("Joiners and leavers", "Everything a new colleague needs, and handing it back.", 40),
]


def _choice(name, label, options, **extra):
    return {
        "name": name,
        "label": label,
        "type": "choice",
        "choices": [{"value": v, "label": lab} for v, lab in options],
        **extra,
    }


#: name: (category, service, fulfilment group, summary, form, approval flow, tasks, target h)
#: In tasks, a group is named; the flow's groups too.
ITEMS = {
    "Laptop": (
        "Hardware",
        "Workplace and Laptops",
        "Service Desk",
        "A standard or a power laptop, imaged and ready.",
        [
            _choice(
                "model",
                "Model",
                [("standard", "Standard 14-inch"), ("power", "Power 16-inch")],
                required=True,
            ),
            {
                "name": "reason",
                "label": "Why do you need the power model?",
                "type": "textarea",
                "required": True,
                "visible_if": {"field": "model", "equals": "power"},
            },
            {"name": "cost", "label": "Cost (EUR)", "type": "number", "min": 0, "max": 5000},
        ],
        [
            {"name": "Line manager", "approver": "line_manager"},
            {
                "name": "Service owner",
                "approver": "service_owner",
                "condition": {"field": "cost", "op": "gt", "value": 1500},
            },
        ],
        [
            ("Image the laptop", "Server Operations", 1),
            ("Register the asset", "Service Desk", 1),
            ("Hand the laptop over", "Service Desk", 2),
        ],
        24,
    ),
    "Monitor": (
        "Hardware",
        "Workplace and Laptops",
        "Service Desk",
        "A second screen for your desk.",
        [_choice("size", "Size", [("24", "24 inch"), ("27", "27 inch")], required=True)],
        [],
        [("Deliver the monitor", "Service Desk", 1)],
        16,
    ),
    "Mobile phone": (
        "Hardware",
        "Workplace and Laptops",
        "Service Desk",
        "A company phone with mail and the authenticator app.",
        [
            _choice("os", "Phone", [("ios", "iPhone"), ("android", "Android")], required=True),
            {"name": "keep_number", "label": "Keep my current number", "type": "checkbox"},
        ],
        [{"name": "Line manager", "approver": "line_manager"}],
        [("Enrol the phone", "Service Desk", 1), ("Hand the phone over", "Service Desk", 2)],
        24,
    ),
    "Headset": (
        "Hardware",
        "Video Meetings",
        "Service Desk",
        "A headset for calls and meetings.",
        [_choice("kind", "Kind", [("wired", "Wired"), ("wireless", "Wireless")])],
        [],
        [("Send the headset", "Service Desk", 1)],
        8,
    ),
    "Application access": (
        "Access",
        "Core Banking",
        "Applications",
        "Access to a business application, at the level you need.",
        [
            _choice(
                "application",
                "Application",
                [("core", "Core Banking"), ("crm", "CRM"), ("payments", "Payments")],
                required=True,
            ),
            _choice(
                "level",
                "Access level",
                [("read", "Read"), ("write", "Read and write"), ("admin", "Administrator")],
                required=True,
            ),
            {
                "name": "justification",
                "label": "Justification",
                "type": "textarea",
                "required": True,
                "visible_if": {"field": "level", "in": ["write", "admin"]},
            },
        ],
        [
            {"name": "Line manager", "approver": "line_manager"},
            {"name": "Service owner", "approver": "service_owner"},
        ],
        [("Grant the access", "Security", 1), ("Confirm with the requester", "Applications", 2)],
        16,
    ),
    "VPN access": (
        "Access",
        "Remote Access (VPN)",
        "Network",
        "Work from home or on the road.",
        [{"name": "until", "label": "Needed until", "type": "date"}],
        [
            {"name": "Line manager", "approver": "line_manager"},
            {"name": "Security", "approver": "group", "group": "Security", "mode": "any"},
        ],
        [("Create the VPN profile", "Network", 1)],
        8,
    ),
    "Shared mailbox access": (
        "Access",
        "Email and Calendar",
        "Server Operations",
        "Read or send from a team's shared mailbox.",
        [
            {"name": "mailbox", "label": "Mailbox address", "type": "text", "required": True},
            {"name": "send_as", "label": "Also send as the mailbox", "type": "checkbox"},
        ],
        [{"name": "Line manager", "approver": "line_manager"}],
        [("Add the mailbox permission", "Server Operations", 1)],
        8,
    ),
    "Administrator rights": (
        "Access",
        "Workplace and Laptops",
        "Security",
        "Local administrator rights on your laptop, for a limited time.",
        [
            {"name": "days", "label": "For how many days", "type": "number", "min": 1, "max": 30},
            {"name": "reason", "label": "Reason", "type": "textarea", "required": True},
        ],
        [
            {"name": "Line manager", "approver": "line_manager"},
            {"name": "Security", "approver": "group", "group": "Security", "mode": "all"},
        ],
        [("Grant the rights", "Security", 1)],
        8,
    ),
    "Software installation": (
        "Software",
        "Workplace and Laptops",
        "Server Operations",
        "Software from the approved list, installed on your laptop.",
        [
            _choice(
                "package",
                "Software",
                [("visio", "Visio"), ("project", "Project"), ("tableau", "Tableau")],
                required=True,
            )
        ],
        [{"name": "Line manager", "approver": "line_manager"}],
        [("Install the software", "Server Operations", 1)],
        16,
    ),
    "Report licence": (
        "Software",
        "Financial Reporting",
        "Applications",
        "A licence for the reporting tool.",
        [],
        [{"name": "Service owner", "approver": "service_owner"}],
        [("Assign the licence", "Applications", 1)],
        16,
    ),
    "New starter": (
        "Joiners and leavers",
        "HR and Payroll",
        "Service Desk",
        "Accounts, laptop and access for a new colleague.",
        [
            {"name": "start", "label": "First working day", "type": "date", "required": True},
            {
                "name": "name",
                "label": "Name of the new colleague",
                "type": "text",
                "required": True,
            },
            {"name": "buddy", "label": "Buddy", "type": "user"},
            {"name": "laptop", "label": "Needs a laptop", "type": "checkbox"},
        ],
        [{"name": "Line manager", "approver": "line_manager"}],
        [
            ("Create the accounts", "Security", 1),
            ("Prepare the laptop", "Server Operations", 1),
            ("Welcome at the desk", "Service Desk", 2),
        ],
        40,
    ),
    "Leaver": (
        "Joiners and leavers",
        "HR and Payroll",
        "Security",
        "Close the accounts of a colleague who leaves and collect what they had.",
        [
            {"name": "last_day", "label": "Last working day", "type": "date", "required": True},
            {"name": "name", "label": "Name of the colleague", "type": "text", "required": True},
        ],
        [],
        [
            ("Disable the accounts", "Security", 1),
            ("Collect the laptop and phone", "Service Desk", 1),
        ],
        16,
    ),
}

#: Answers the demo gives per item (a function of the random source).
REASONS = [
    "Large spreadsheets and the modelling tool",
    "Video editing for the campaign",
    "Statistics for the risk model",
]


def _answers(rng: random.Random, name: str, today: dt.date, users: dict) -> dict:
    if name == "Laptop":
        model = rng.choice(["standard", "standard", "power"])
        answers = {"model": model, "cost": 1200 if model == "standard" else 2100}
        if model == "power":
            answers["reason"] = rng.choice(REASONS)
        return answers
    if name == "Monitor":
        return {"size": rng.choice(["24", "27"])}
    if name == "Mobile phone":
        return {"os": rng.choice(["ios", "android"]), "keep_number": rng.random() < 0.5}
    if name == "Headset":
        return {"kind": rng.choice(["wired", "wireless"])}
    if name == "Application access":
        level = rng.choice(["read", "read", "write", "admin"])
        answers = {"application": rng.choice(["core", "crm", "payments"]), "level": level}
        if level != "read":
            answers["justification"] = "Needed for the new customer process"
        return answers
    if name == "VPN access":
        return {"until": (today + dt.timedelta(days=rng.randint(30, 180))).isoformat()}
    if name == "Shared mailbox access":
        return {
            "mailbox": rng.choice(["branch-utrecht", "payments-ops", "hr-desk"]) + "@example.org"
        }
    if name == "Administrator rights":
        return {"days": rng.randint(1, 14), "reason": "Installing a driver for the card reader"}
    if name == "Software installation":
        return {"package": rng.choice(["visio", "project", "tableau"])}
    if name == "New starter":
        return {
            "start": (today + dt.timedelta(days=rng.randint(7, 30))).isoformat(),
            "name": rng.choice(["Lisa de Boer", "Tom Visser", "Sara Mulder", "Bas Kok"]),
            "laptop": True,
        }
    if name == "Leaver":
        return {
            "last_day": (today + dt.timedelta(days=rng.randint(3, 20))).isoformat(),
            "name": rng.choice(["Peter de Wit", "Anna Bakker"]),
        }
    return {}


class Plan:
    """Steps at given times, run in time order (the clock only moves forward)."""

    def __init__(self):
        self.steps = []

    def at(self, when, step, *args):
        self.steps.append((when, len(self.steps), step, args))

    def run(self, until):
        done = 0
        while self.steps:
            self.steps.sort(key=lambda s: (s[0], s[1]))
            when, _n, step, args = self.steps.pop(0)
            if when > until:
                continue
            clock.set(when)
            step(*args)
            done += 1
        return done


def _build_catalog(admin) -> dict[str, CatalogItem]:
    groups = {g.name: g for g in SupportGroup.objects.all()}
    services = {s.name: s for s in Service.objects.all()}
    categories = {
        name: ops.create_category(admin, name=name, description=text, order=order)
        for name, text, order in CATEGORIES
    }
    owners = {
        "Hardware": "karin.dijkstra",
        "Access": "lars.koster",
        "Software": "karin.dijkstra",
        "Joiners and leavers": "sanne.visser",
    }
    people = {u.username: u for u in User.objects.filter(username__in=owners.values())}
    made = {}
    for name, (category, service, group, summary, form, flow, tasks, hours) in ITEMS.items():
        if service not in services or group not in groups:
            continue
        steps = []
        for step in flow:
            step = dict(step)
            if step.get("approver") == "group":
                step["group"] = groups[step["group"]].pk
            steps.append(step)
        made[name] = ops.create_catalog_item(
            admin,
            name=name,
            summary=summary,
            description=summary,
            service=services[service],
            category=categories[category],
            fulfilment_group=groups[group],
            form=form,
            approval_flow=steps,
            task_templates=[
                {"name": t, "group": groups[g].pk, "stage": s} for t, g, s in tasks if g in groups
            ],
            target_hours=hours,
            owner=people.get(owners[category]),
        )
    return made


def _decide(rng: random.Random, item: RequestedItem, reject: bool) -> bool:
    """The pending step of ``item`` decided by one who may; False when nobody could."""
    step = (
        ApprovalRequest.objects.filter(
            subject_type=SUBJECT_TYPE, subject_id=item.pk, state="pending"
        )
        .select_related("group")
        .first()
    )
    if step is None:
        return False
    named = [a.user for a in step.approvers.select_related("user").filter(decision="pending")]
    members = list(step.group.members.filter(is_active=True)) if step.group_id else []
    candidates = [u for u in named + members if eligible(u, step)]
    if not candidates:
        return False
    if step.mode == "all":
        for person in candidates:
            step.refresh_from_db()
            if step.state != "pending":
                break
            approvals_ops.decide(person, step, decision="approved")
        return True
    decider = rng.choice(candidates)
    if reject:
        approvals_ops.decide(
            decider,
            step,
            decision="rejected",
            comment=rng.choice(
                [
                    "Not in this quarter's budget.",
                    "Use the shared one in the team room instead.",
                    "Ask again when the project is approved.",
                ]
            ),
        )
    else:
        approvals_ops.decide(decider, step, decision="approved")
    return True


def _work(rng: random.Random, item: RequestedItem, until: dt.datetime, plan: Plan) -> None:
    """Start and close the open tasks of ``item`` over the next hours (the next stage follows
    when its tasks open)."""
    for task in FulfilmentTask.objects.filter(item=item, status=TaskStatus.OPEN).select_related(
        "group"
    ):
        worker = task.group.members.filter(is_active=True).order_by("?").first()
        if worker is None:
            continue
        start = clock.now() + dt.timedelta(hours=rng.uniform(0.5, 6))
        plan.at(start, _start_task, task.pk, worker.pk)
        plan.at(
            start + dt.timedelta(hours=rng.uniform(1, 12)),
            _close_task,
            rng,
            task.pk,
            worker.pk,
            until,
            plan,
        )


def _start_task(task_pk: int, worker_pk: int) -> None:
    task = FulfilmentTask.objects.get(pk=task_pk)
    if task.status == TaskStatus.OPEN:
        ops.start_task(User.objects.get(pk=worker_pk), task)


def _close_task(rng, task_pk, worker_pk, until, plan) -> None:
    task = FulfilmentTask.objects.get(pk=task_pk)
    if task.status not in (TaskStatus.OPEN, TaskStatus.IN_PROGRESS):
        return
    ops.close_task(User.objects.get(pk=worker_pk), task, outcome="complete", notes="Done.")
    _work(rng, task.item, until, plan)


def _replay(now: dt.datetime) -> int:
    rng = random.Random(SEED)  # noqa: S311 - demo data, not secrets
    users = {u.username: u for u in User.objects.filter(is_active=True)}
    start = now - dt.timedelta(days=DAYS)
    clock.set(start)
    for person, manager in LINE_MANAGERS.items():
        if person in users and manager in users and users[person].line_manager_id is None:
            users[person] = people_ops.update_user(
                None, users[person], version=None, line_manager=users[manager]
            )
    admin = users.get("admin") or User.objects.filter(is_superuser=True).first()
    catalog = _build_catalog(admin)
    if not catalog:
        return 0
    requesters = [u for u in users.values() if not u.is_it]
    plan = Plan()
    names = list(catalog)
    weights = [
        6 if n in ("Laptop", "Application access", "Monitor", "Headset") else 2 for n in names
    ]

    def place(at: dt.datetime):
        who = rng.choice(requesters)
        name = rng.choices(names, weights)[0]
        answers = _answers(rng, name, at.date(), users)
        try:
            request = ops.order(who, items=[{"catalog_item": catalog[name], "answers": answers}])
        except DomainError:
            return
        item = request.items.get()
        if item.status == ItemStatus.APPROVED:
            _work(rng, item, now, plan)
        else:
            reject = rng.random() < 0.12
            plan.at(clock.now() + dt.timedelta(hours=rng.uniform(1, 20)), approve, item.pk, reject)

    def approve(item_pk: int, reject: bool):
        item = RequestedItem.objects.get(pk=item_pk)
        if item.status != ItemStatus.AWAITING_APPROVAL:
            return
        if not _decide(rng, item, reject):
            return
        item.refresh_from_db()
        if item.status == ItemStatus.AWAITING_APPROVAL:  # the next step
            plan.at(clock.now() + dt.timedelta(hours=rng.uniform(1, 16)), approve, item_pk, reject)
        elif item.status == ItemStatus.APPROVED:
            _work(rng, item, now, plan)

    for n in range(ORDERS):
        day = start + dt.timedelta(days=DAYS * n / ORDERS)
        at = day.replace(hour=rng.randint(8, 16), minute=rng.randint(0, 59))
        plan.at(at, place, at)

    # two recurring requests, run by the job every morning as the worker would
    agent = users.get("sanne.visser")
    reviews = [
        ("Monthly access review", "Application access", "johan.veenstra", "monthly", 1),
        ("Weekly headset check", "Headset", "marloes.bosman", "weekly", 0),
    ]
    for title, name, person, cadence, day in reviews:
        if name in catalog and person in users and agent is not None:
            answers = _answers(rng, name, start.date(), users)
            if name == "Application access":
                answers = {"application": "core", "level": "read"}
            ops.create_recurring(
                agent,
                name=title,
                catalog_item=catalog[name],
                requested_for=users[person],
                answers=answers,
                cadence=cadence,
                day=day,
                next_run_at=(start + dt.timedelta(days=3)).replace(hour=7, minute=0, second=0),
            )
    for d in range(DAYS + 1):
        morning = (start + dt.timedelta(days=d)).replace(hour=7, minute=5, second=0)
        plan.at(morning, ops.run_recurring, morning)
    return plan.run(now)


def load(stdout, quiet: bool = False) -> None:
    if CatalogItem.objects.exists():
        return
    needed = {"sanne.visser", "johan.veenstra", "lars.koster"}
    if needed - set(User.objects.filter(username__in=needed).values_list("username", flat=True)):
        return  # the people step did not run
    if not Service.objects.exists():
        return
    until = clock.real_now()
    if clock.is_simulated():
        _replay(until)
        clock.set(until)
    else:
        with clock.simulated(until - dt.timedelta(days=DAYS)):
            _replay(until)
    if not quiet:
        count = RequestedItem.objects.count()
        stdout.write(
            f"fulfilment: {CatalogItem.objects.count()} catalog items, {count} requested items\n"
        )
