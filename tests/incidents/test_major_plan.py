"""A major incident's communication plan: the audiences (customers' contacts, named
stakeholders, the service desk) and their channels, the cadence and "next update due", the
update templates in each reader's language, the overdue reminder to the manager, the API and
the pages, and that a requester sees none of it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from steward.core import journal
from steward.core.errors import PermissionDenied, StaleVersion, ValidationError
from steward.incidents import operations as ops
from steward.incidents.models import CommunicationPlan, StakeholderUpdate
from steward.incidents.operations import major_plan
from steward.notifications.models import Notification, OutboundEmail
from steward.people import operations as people_ops

pytestmark = pytest.mark.django_db


@pytest.fixture
def major(desk, open_one):
    """A P1 incident on Online Banking (customer: Retail), declared major by dbmanager."""
    manager = desk["dbmanager"]
    incident = open_one(title="Online banking down for everyone", impact=1, urgency=1)
    ops.declare_major(manager, incident, reason="All retail customers affected", manager=manager)
    return incident


@pytest.fixture
def contacts(desk):
    """Retail has a Dutch and an English contact; Corporate (not a customer of the service)
    one more, who must not hear of it."""
    retail, corporate = desk["orgs"]["retail"], desk["orgs"]["corporate"]
    return [
        people_ops.add_contact(
            desk["people"]["admin"],
            retail,
            name="Els de Vries",
            email="els@retail.example",
            language="nl",
        ),
        people_ops.add_contact(
            desk["people"]["admin"],
            retail,
            name="Tom Baker",
            email="tom@retail.example",
            language="en",
        ),
        people_ops.add_contact(
            desk["people"]["admin"],
            corporate,
            name="Cor Porate",
            email="cor@corp.example",
            language="en",
        ),
    ]


def _plan(incident) -> CommunicationPlan:
    return CommunicationPlan.objects.get(major__incident=incident)


def test_declaring_makes_the_default_plan_with_the_priority_cadence(desk, major):
    plan = _plan(major)
    assert plan.cadence_minutes == 30  # P1
    assert plan.desk_group == desk["groups"]["desk"]
    assert plan.customer_channel == "email" and plan.stakeholder_channel == "both"
    assert plan.next_update_due == plan.major.declared_at + timedelta(minutes=30)


def test_a_p3_major_starts_at_two_hours(desk, open_one):
    incident = open_one(impact=2, urgency=2)
    ops.declare_major(desk["dbmanager"], incident, reason="Wide", manager=desk["dbmanager"])
    assert _plan(incident).cadence_minutes == 120


def test_the_plan_is_changed_at_the_version_read_and_journaled(desk, major):
    manager, plan = desk["dbmanager"], _plan(major)
    changed = ops.set_plan(
        manager,
        major,
        version=plan.version,
        cadence_minutes=60,
        stakeholders=[desk["dba"]],
        desk_channel="both",
    )
    assert changed.version == plan.version + 1
    assert changed.next_update_due == plan.major.declared_at + timedelta(minutes=60)
    entry = journal.history(major).filter(action="communication_plan_changed").get()
    assert entry.changes["cadence_minutes"] == [30, 60]
    assert entry.changes["stakeholders"] == [[], ["dba"]]
    assert entry.actor == manager
    with pytest.raises(StaleVersion):  # the page read before that change
        ops.set_plan(manager, major, version=plan.version, cadence_minutes=120)
    assert _plan(major).cadence_minutes == 60


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"cadence_minutes": 0}, "cadence_minutes"),
        ({"cadence_minutes": -30}, "cadence_minutes"),
        ({"cadence_minutes": 99_999_999_999}, "cadence_minutes"),
        ({"customer_channel": "in_app"}, "customer_channel"),
        ({"stakeholder_channel": "pigeon"}, "stakeholder_channel"),
        ({"desk_channel": ""}, "desk_channel"),
    ],
)
def test_bad_plans_are_refused_naming_the_field(desk, major, changes, field):
    plan = _plan(major)
    with pytest.raises(ValidationError) as err:
        ops.set_plan(desk["dbmanager"], major, version=plan.version, **changes)
    assert list(err.value.fields) == [field]
    assert _plan(major).version == plan.version


def test_an_inactive_stakeholder_is_refused(desk, major):
    dba = desk["dba"]
    people_ops.update_user(None, dba, version=dba.version, is_active=False)
    dba.refresh_from_db()
    with pytest.raises(ValidationError) as err:
        ops.set_plan(desk["dbmanager"], major, version=1, stakeholders=[dba])
    assert list(err.value.fields) == ["stakeholders"]


def test_only_the_manager_group_managers_and_admins_change_the_plan(desk, major, open_one):
    with pytest.raises(PermissionDenied):
        ops.set_plan(desk["people"]["agent"], major, version=1, cadence_minutes=60)
    ops.set_plan(desk["people"]["admin"], major, version=1, cadence_minutes=45)
    assert _plan(major).cadence_minutes == 45
    # an agent who is the major-incident manager may
    other = open_one(title="Payments slow", impact=1, urgency=2)
    ops.declare_major(desk["dbmanager"], other, reason="Wide", manager=desk["dba"])
    ops.set_plan(desk["dba"], other, version=1, cadence_minutes=15)
    assert _plan(other).cadence_minutes == 15


def test_an_update_reaches_every_audience_each_in_its_language(desk, major, contacts):
    nl_owner = desk["owner"]
    people_ops.update_user(None, nl_owner, version=nl_owner.version, language="nl")
    plan = _plan(major)
    ops.set_plan(desk["dbmanager"], major, version=plan.version, stakeholders=[desk["dba"]])

    update = ops.post_stakeholder_update(desk["dbmanager"], major, body=None, kind="initial")

    mails = {m.to_address: m for m in OutboundEmail.objects.filter(subject__contains=major.number)}
    # the customers' contacts of the service's customer (Retail), in their own languages
    assert mails["els@retail.example"].subject.startswith(f"Major incident {major.number}")
    assert "We weten van een grote verstoring" in mails["els@retail.example"].body
    assert "We are aware of a major disruption" in mails["tom@retail.example"].body
    assert "cor@corp.example" not in mails  # Corporate is no customer of Online Banking
    # a named stakeholder, by e-mail and in app
    assert Notification.objects.filter(recipient=desk["dba"], subject__contains=major.number)
    # the service owner (a stakeholder by role) reads it in Dutch
    owner_mail = OutboundEmail.objects.filter(recipient=nl_owner).order_by("-pk").first()
    assert owner_mail.subject == f"Major incident {major.number}: {major.title}"
    assert "Onze teams werken eraan" in owner_mail.body
    # the service desk, in app: one row for the group
    assert Notification.objects.filter(group=desk["groups"]["desk"], subject__contains=major.number)
    assert update.kind == "initial" and update.recipients >= 5
    assert "We are aware of a major disruption" in update.body  # kept in the site's language


def test_an_edited_update_goes_out_as_written(desk, major, contacts):
    ops.post_stakeholder_update(desk["dbmanager"], major, body="Failover at 14:00.")
    mail = OutboundEmail.objects.get(to_address="els@retail.example")
    assert mail.body == "Failover at 14:00."
    assert mail.subject.startswith(f"Update over major incident {major.number}")  # her language


def test_the_template_sent_unchanged_is_said_in_each_language(desk, major, contacts):
    _, body = major_plan.template("progress", major, _plan(major))
    ops.post_stakeholder_update(desk["dbmanager"], major, body=body.render("en") + "\r\n")
    mail = OutboundEmail.objects.get(to_address="els@retail.example")
    assert mail.body.startswith("Onze teams werken nog aan de verstoring")


def test_customers_are_not_told_when_the_plan_says_so(desk, major, contacts):
    ops.set_plan(desk["dbmanager"], major, version=1, customer_channel="none", desk_group=None)
    ops.post_stakeholder_update(desk["dbmanager"], major, body="Working on it.")
    assert not OutboundEmail.objects.filter(to_address__endswith="retail.example").exists()
    assert not Notification.objects.filter(group__isnull=False, subject__startswith="Update on")


def test_an_email_only_audience_gets_no_in_app_row(desk, major):
    ops.set_plan(
        desk["dbmanager"], major, version=1, stakeholder_channel="email", desk_channel="none"
    )
    ops.post_stakeholder_update(desk["dbmanager"], major, body="Working on it.")
    owner = desk["owner"]
    assert OutboundEmail.objects.filter(to_address=owner.email, subject__contains=major.number)
    assert not Notification.objects.filter(subject__startswith="Update on major").exists()


def test_next_update_due_moves_with_each_update_and_ends_with_the_resolved_one(desk, major):
    manager = desk["dbmanager"]
    before = timezone.now()
    ops.post_stakeholder_update(manager, major, body="Working on it.")
    due = _plan(major).next_update_due
    assert before + timedelta(minutes=30) <= due <= timezone.now() + timedelta(minutes=30)
    ops.post_stakeholder_update(manager, major, body=None, kind="resolved")
    assert _plan(major).next_update_due is None


def test_a_bad_kind_or_an_empty_body_is_refused(desk, major):
    with pytest.raises(ValidationError) as err:
        ops.post_stakeholder_update(desk["dbmanager"], major, body="x", kind="final")
    assert list(err.value.fields) == ["kind"]
    with pytest.raises(ValidationError) as err:
        ops.post_stakeholder_update(desk["dbmanager"], major, body="   ")
    assert list(err.value.fields) == ["body"]
    with pytest.raises(ValidationError) as err:  # the page's form has no schema in front
        ops.post_stakeholder_update(desk["dbmanager"], major, body="x" * 20_001)
    assert err.value.message == "Keep the update under 20,000 characters."
    assert not StakeholderUpdate.objects.exists()


def test_the_manager_is_told_once_per_overdue_period(desk, major):
    plan = _plan(major)
    due = plan.next_update_due
    assert ops.notify_overdue_updates(due - timedelta(minutes=1)) == 0
    assert ops.notify_overdue_updates(due + timedelta(minutes=1)) == 1
    assert ops.notify_overdue_updates(due + timedelta(minutes=20)) == 0  # same period
    told = Notification.objects.filter(
        recipient=desk["dbmanager"], subject=f"Update overdue: major incident {major.number}"
    )
    assert told.count() == 1
    assert ops.notify_overdue_updates(due + timedelta(minutes=31)) == 1  # the next period
    assert told.count() == 2
    assert journal.history(major).filter(action="update_overdue_notified").count() == 2
    # an update starts again: nothing is late until the new due time
    ops.post_stakeholder_update(desk["dbmanager"], major, body="Still working.")
    assert ops.notify_overdue_updates(timezone.now() + timedelta(minutes=29)) == 0


def test_a_resolved_incident_is_not_chased_for_updates(desk, major):
    agent = desk["dbmanager"]
    ops.transition(agent, major, "in_progress")
    ops.transition(
        agent, major, "resolved", resolution_code="solved", resolution_notes="Failed over."
    )
    assert ops.notify_overdue_updates(timezone.now() + timedelta(days=1)) == 0


def test_a_dutch_manager_is_reminded_in_dutch(desk, major):
    manager = desk["dbmanager"]
    people_ops.update_user(None, manager, version=manager.version, language="nl")
    ops.notify_overdue_updates(_plan(major).next_update_due + timedelta(minutes=1))
    mail = OutboundEmail.objects.get(recipient=manager, subject__contains="te laat")
    assert mail.subject == f"Update te laat: major incident {major.number}"


# --- API ---------------------------------------------------------------------------------------


def test_the_plan_through_the_api(desk, major, contacts, api_as):
    n = major.number
    manager = api_as(desk["dbmanager"])
    status, plan = manager.get(f"incidents/{n}/major/plan")
    assert status == 200 and plan["cadence_minutes"] == 30 and plan["overdue"] is False
    assert {c["email"] for c in plan["customers"]} == {"els@retail.example", "tom@retail.example"}
    status, plan = manager.patch(
        f"incidents/{n}/major/plan",
        {"version": plan["version"], "cadence_minutes": 60, "stakeholders": [desk["dba"].pk]},
    )
    assert status == 200 and plan["cadence_minutes"] == 60
    assert [s["username"] for s in plan["stakeholders"]] == ["dba"]
    status, data = manager.patch(f"incidents/{n}/major/plan", {"version": 1, "desk_group": None})
    assert status == 409
    status, data = manager.patch(
        f"incidents/{n}/major/plan", {"version": plan["version"], "desk_group": None}
    )
    assert status == 200 and data["desk_group"] is None


def test_the_template_in_the_readers_language_and_an_update_of_a_kind(desk, major, api_as):
    manager = desk["dbmanager"]
    people_ops.update_user(None, manager, version=manager.version, language="nl")
    client = api_as(manager)
    status, data = client.get(f"incidents/{major.number}/major/updates/template")
    assert status == 200 and data["kind"] == "initial" and data["language"] == "nl"
    assert data["body"].startswith("We weten van een grote verstoring")
    status, data = client.get(f"incidents/{major.number}/major/updates/template", kind="resolved")
    assert data["subject"].startswith("Opgelost: major incident")
    status, data = client.post(f"incidents/{major.number}/major/updates", {"kind": "initial"})
    assert status == 201 and data["updates"][0]["kind"] == "initial"
    assert data["plan"]["next_update_due"] is not None


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("patch", "plan", {"cadence_minutes": 60}, "version"),
        ("patch", "plan", {"version": 1, "cadence_minutes": 0}, "cadence_minutes"),
        ("patch", "plan", {"version": 1, "cadence_minutes": 99_999_999_999}, "cadence_minutes"),
        ("patch", "plan", {"version": 1, "cadence_minutes": "soon"}, "cadence_minutes"),
        ("patch", "plan", {"version": 1, "customer_channel": "in_app"}, "customer_channel"),
        ("patch", "plan", {"version": 1, "stakeholder_channel": "fax"}, "stakeholder_channel"),
        ("patch", "plan", {"version": 1, "stakeholders": [999_999]}, "stakeholders"),
        ("patch", "plan", {"version": 1, "stakeholders": "dba"}, "stakeholders"),
        ("patch", "plan", {"version": 1, "desk_group": 999_999}, "desk_group"),
        ("patch", "plan", {"version": 1, "colour": "red"}, "colour"),
        ("post", "updates", {"kind": "final"}, "kind"),
        ("post", "updates", {"body": "x" * 20_001}, "body"),
    ],
)
def test_bad_input_on_the_new_endpoints(desk, major, api_as, method, path, body, field):
    client = api_as(desk["dbmanager"])
    before = (CommunicationPlan.objects.get().version, StakeholderUpdate.objects.count())
    status, data = getattr(client, method)(f"incidents/{major.number}/major/{path}", body)
    assert 400 <= status < 500, (status, data)
    assert field in data["error"]["fields"], data
    after = (CommunicationPlan.objects.get().version, StakeholderUpdate.objects.count())
    assert after == before


def test_a_requester_sees_none_of_it(desk, major, api_as, client_for):
    n = major.number
    caller = desk["people"]["requester"]  # the incident's own caller
    client = api_as(caller)
    for path in (f"incidents/{n}/major/plan", f"incidents/{n}/major/updates/template"):
        status, _ = client.get(path)
        assert status == 404
    status, _ = client.patch(f"incidents/{n}/major/plan", {"version": 1, "cadence_minutes": 5})
    assert status == 404
    assert _plan(major).cadence_minutes == 30
    page = client_for(caller)
    assert page.get(f"/incidents/{n}/major/plan/").status_code == 404
    assert page.post(f"/incidents/{n}/major/plan/", {"version": 1}).status_code == 404
    detail = page.get(f"/incidents/{n}/").content.decode()
    assert "next_update_due" not in detail and "Communication plan" not in detail


# --- pages ------------------------------------------------------------------------------------


def _plan_form(plan, **changes):
    data = {
        "version": plan.version,
        "seen": 0,
        "cadence_minutes": plan.cadence_minutes,
        "customer_channel": plan.customer_channel,
        "stakeholders": "",
        "stakeholder_channel": plan.stakeholder_channel,
        "desk_group": plan.desk_group_id or "",
        "desk_channel": plan.desk_channel,
    }
    return {**data, **changes}


def test_the_manager_changes_the_plan_on_its_page(desk, major, client_for):
    page = client_for(desk["dbmanager"])
    url = f"/incidents/{major.number}/major/plan/"
    assert page.get(url).status_code == 200
    response = page.post(url, _plan_form(_plan(major), cadence_minutes=60, stakeholders="dba"))
    assert response.status_code == 302
    plan = _plan(major)
    assert plan.cadence_minutes == 60 and list(plan.stakeholders.all()) == [desk["dba"]]


def test_a_stale_plan_save_shows_the_change_and_keeps_the_input(desk, major, client_for):
    read = _plan(major)
    ops.set_plan(desk["people"]["admin"], major, version=read.version, cadence_minutes=120)
    response = client_for(desk["dbmanager"]).post(
        f"/incidents/{major.number}/major/plan/", _plan_form(read, stakeholders="dba")
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "your changes were not saved" in html and 'value="dba"' in html
    assert _plan(major).stakeholders.count() == 0


def test_bad_input_on_the_plan_page_is_shown_beside_the_field(desk, major, client_for):
    url = f"/incidents/{major.number}/major/plan/"
    page = client_for(desk["dbmanager"])
    response = page.post(url, _plan_form(_plan(major), cadence_minutes=-30))
    assert response.status_code == 422
    assert "The update cadence is at least 5 minutes." in response.content.decode()
    response = page.post(url, _plan_form(_plan(major), stakeholders="nobody-here"))
    assert "No active user is called nobody-here." in response.content.decode()
    assert _plan(major).version == 1


def test_an_agent_reads_the_plan_but_cannot_change_it(desk, major, client_for):
    page = client_for(desk["people"]["agent"])
    url = f"/incidents/{major.number}/major/plan/"
    response = page.get(url)
    assert response.status_code == 200 and "Save the plan" not in response.content.decode()
    page.post(url, _plan_form(_plan(major), cadence_minutes=60))
    assert _plan(major).cadence_minutes == 30


def test_the_incident_page_and_the_queue_flag_a_late_update(desk, major, client_for):
    plan = _plan(major)
    CommunicationPlan.objects.filter(pk=plan.pk).update(
        next_update_due=timezone.now() - timedelta(minutes=5)
    )
    page = client_for(desk["dbmanager"])
    detail = page.get(f"/incidents/{major.number}/").content.decode()
    assert 'data-major="update_overdue"' in detail
    queue = page.get("/incidents/?queue=major").content.decode()
    assert 'data-major="update_overdue"' in queue
    ops.post_stakeholder_update(desk["dbmanager"], major, body="Working on it.")
    queue = page.get("/incidents/?queue=major").content.decode()
    assert 'data-major="update_overdue"' not in queue and "Next update" in queue


def test_the_update_form_starts_from_the_template_for_the_moment(desk, major, client_for):
    page = client_for(desk["dbmanager"])
    html = page.get(f"/incidents/{major.number}/").content.decode()
    assert "We are aware of a major disruption" in html
    assert 'name="kind" value="initial"' in html
    html = page.get(f"/incidents/{major.number}/?template=resolved").content.decode()
    assert "The disruption is over" in html and 'name="kind" value="resolved"' in html
    response = page.post(
        f"/incidents/{major.number}/stakeholder-update/",
        {"kind": "initial", "body": "Something is wrong.", "version": major.version},
    )
    assert response.status_code == 302
    assert StakeholderUpdate.objects.get().kind == "initial"
