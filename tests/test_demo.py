"""`manage.py load_demo`: a realistic organisation with 90 days of history, loaded through the
operations with a simulated clock; the same story every time, and running it twice changes
nothing."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase
from django.utils import timezone

from steward.core.models import JournalEntry
from steward.incidents import demo, demo_history
from steward.incidents.models import Handover, Incident, MajorIncident
from steward.notifications.models import OutboundEmail
from steward.people.models import Organization, SupportGroup, User
from steward.services.models import Service
from steward.slm.models import SlaClock

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        Organization.objects.count(),
        SupportGroup.objects.count(),
        User.objects.count(),
        Service.objects.count(),
        Incident.objects.count(),
        JournalEntry.objects.count(),
    )


LOADED_AT: list[dt.datetime] = []


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module (about 20 s) and rolled back after it; each test
    runs in a savepoint of it. Mail is sent when the load commits, as in ``make run``."""
    out = io.StringIO()
    LOADED_AT.append(timezone.now())
    with django_db_blocker.unblock(), transaction.atomic():
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def test_load_demo_builds_the_organisation_once(loaded):
    assert "admin / " in loaded
    assert loaded.rstrip().splitlines()[-2].startswith("  Administrator: admin / ")  # last
    orgs, groups, users, services, *_ = snapshot()
    assert orgs == 3 and groups == 7 and services == 12
    assert 38 <= users <= 45
    assert set(SupportGroup.objects.values_list("name", flat=True)) == {
        "Service Desk",
        "Network",
        "Server Operations",
        "Applications",
        "Database",
        "Security",
        "Change Advisory Board",  # the changes demo's CAB
    }
    assert not SupportGroup.objects.filter(manager__isnull=True).exists()
    assert all(s.owner.is_active for s in Service.objects.select_related("owner"))
    admin = User.objects.get(username="admin")
    assert admin.is_admin and admin.is_staff

    before = snapshot()
    again = io.StringIO()
    call_command("load_demo", "--once", stdout=again)
    call_command("load_demo", stdout=again)
    assert snapshot() == before
    assert "admin / " not in again.getvalue()


def test_the_demo_has_a_past_of_about_ninety_days(loaded):
    now = timezone.now()
    created = sorted(Incident.objects.values_list("created_at", flat=True))
    assert len(created) >= 150
    assert created[0] < now - dt.timedelta(days=85)
    assert created[-1] > now - dt.timedelta(days=4)
    by_month = Counter((now - at).days // 30 for at in created)
    assert all(by_month[m] >= 30 for m in (0, 1, 2)), by_month  # spread, not bunched
    local = [at.astimezone(demo_history.ZONE) for at in created]
    weekdays = Counter(at.weekday() for at in local)
    assert weekdays[0] + weekdays[1] > 2 * (weekdays[5] + weekdays[6])  # a working week
    assert weekdays[0] > weekdays[4]  # busiest on Monday, quieter towards Friday
    in_hours = [at for at in local if at.weekday() < 5 and 7 <= at.hour < 18]
    assert len(in_hours) > 0.9 * len(local)
    assert len({i.service_id for i in Incident.objects.all()}) >= 10
    assert len({i.owning_group_id for i in Incident.objects.all()}) == 6


def test_the_past_was_lived_through_the_operations(loaded):
    """Every incident has the journal of what happened to it, at the time it happened."""
    week_ago = timezone.now() - dt.timedelta(days=7)
    old = Incident.objects.filter(created_at__lt=week_ago)
    created = dict(
        JournalEntry.objects.filter(action="created", record_type="incidents.incident")
        .values_list("record_id", "at")
        .order_by()
    )
    for incident in old:
        assert created[str(incident.pk)] == incident.created_at
    updated_long_ago = [i for i in old if i.updated_at < week_ago]
    assert len(updated_long_ago) > 0.8 * len(old)
    actions = Counter(JournalEntry.objects.filter(at__lt=week_ago).values_list("action", flat=True))
    for action in ("created", "assigned", "status_changed", "reopened", "sla_breached"):
        assert actions[action] > 0, action
    assert OutboundEmail.objects.exists()
    assert not OutboundEmail.objects.filter(status="pending").exists()  # delivered quietly


def test_the_history_has_handovers_reopens_breaches_and_major_incidents(loaded):
    statuses = Counter(Incident.objects.values_list("status", flat=True))
    assert statuses["closed"] > 100 and statuses["cancelled"] > 0 and statuses["resolved"] > 0
    assert statuses["new"] + statuses["in_progress"] + statuses["on_hold"] >= 5  # alive today
    assert Incident.objects.filter(reopen_count__gt=0).count() >= 3
    handovers = Counter(Handover.objects.values_list("status", flat=True))
    assert handovers["accepted"] > 50 and handovers["rejected"] >= 3 and handovers["pending"] >= 1
    per_incident = Counter(Handover.objects.values_list("incident_id", flat=True))
    assert max(per_incident.values()) >= 3  # ping-pong
    majors = MajorIncident.objects.select_related("incident", "review")
    assert majors.count() == 3
    assert all(m.review is not None and m.incident.status == "closed" for m in majors)
    for closed in Incident.objects.filter(status="closed", major__isnull=True)[:20]:
        assert closed.closed_at - closed.resolved_at >= dt.timedelta(days=7)  # the job did it


def test_sla_clocks_count_business_time_and_breach(loaded):
    clocks = SlaClock.objects.select_related("calendar").filter(metric="resolution")
    states = Counter(c.state for c in clocks)
    assert states["breached"] >= 3 and states["met"] > 100
    paused = {
        e.record_id
        for e in JournalEntry.objects.filter(action__in=["reopened", "status_changed"])
        if e.action == "reopened" or "on_hold" in str(e.changes)
    }
    checked = 0
    for c in clocks.filter(state__in=["met", "breached"], stopped_at__isnull=False):
        if c.record_id in paused:
            continue
        calendar = c.calendar.as_work_calendar()
        assert c.elapsed_seconds == calendar.elapsed(c.started_at, c.stopped_at)
        assert (c.state == "breached") == (c.elapsed_seconds > c.target_seconds)
        if c.state == "breached":
            assert c.breached_at == calendar.add(c.started_at, c.target_seconds)
        checked += 1
    assert checked > 100
    office = [c for c in clocks if c.calendar.name == "Office hours NL" and c.stopped_at]
    assert any(
        c.elapsed_seconds < (c.stopped_at - c.started_at).total_seconds() for c in office
    )  # nights and weekends did not count


def test_the_named_incidents_of_the_last_working_day_are_there(loaded):
    named = {i.title: i for i in Incident.objects.filter(title__in=demo.INCIDENTS)}
    assert len(named) == 5
    login = named["Online banking login fails with error 503"]
    assert login.status == "in_progress" and login.owning_group.name == "Network"
    assert login.assignee.username == "noah.peters"
    sepa = named["Outgoing SEPA batch stuck since 06:00"]
    assert sepa.handovers.get(status="pending").to_group.name == "Applications"
    assert named["Shared mailbox 'Mortgages' not visible in Outlook"].status == "resolved"
    assert named["VPN drops every ten minutes when working from home"].status == "on_hold"
    assert named["Payroll report shows last month's figures"].status == "new"


def test_the_database_tells_the_planned_story(loaded):
    """Deterministic: the incidents are the plan's (seeded) incidents, in the plan's order."""
    loaded_at = LOADED_AT[-1]
    opened = [
        e for e in demo.events(loaded_at.astimezone(demo_history.ZONE).date()) if e.kind == "open"
    ]
    from steward.mailbox.models import InboundMessage

    by_mail = [
        int(pk)
        for pk in InboundMessage.objects.filter(record_type="incidents.incident").values_list(
            "record_id", flat=True
        )
    ]
    titles = list(
        Incident.objects.exclude(pk__in=by_mail).order_by("number").values_list("title", flat=True)
    )
    assert titles == [e.data["title"] for e in opened[: len(titles)]]
    assert len(titles) >= len([e for e in opened if e.at <= loaded_at])


def test_the_plan_is_the_same_story_every_time():
    groups = ("Service Desk", *demo_history.WRONG_GROUP)
    members = {g: [f"{g}-{n}" for n in range(3)] for g in groups}
    people = demo_history.People(
        members=members,
        managers={g: m[0] for g, m in members.items()},
        callers={s: ["caller-a", "caller-b"] for s in demo_history.CATALOGUE},
    )
    today = dt.date(2026, 3, 16)
    first = demo_history.plan(today, people)
    assert first == demo_history.plan(today, people)
    assert first != demo_history.plan(today, people, seed=demo_history.SEED + 1)
    assert first == sorted(first, key=lambda e: e.at)
    assert first[0].at.date() >= today - dt.timedelta(days=demo_history.DAYS)
    kinds = Counter(e.kind for e in first)
    assert kinds["open"] > 150 and kinds["reject"] > 0 and kinds["reopen"] > 0
    # a story's steps follow each other
    steps: dict[str, list] = {}
    for e in first:
        steps.setdefault(e.key, []).append(e.kind)
    assert all(kinds[0] == "open" for kinds in steps.values())
