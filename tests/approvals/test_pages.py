"""The approvals pages per role: my approvals, deciding a step, delegations, and the one-click
link (GET shows, only POST decides)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from steward.approvals import links
from steward.approvals import operations as ops
from steward.approvals.choices import Decision, Kind, State
from steward.approvals.models import Approver, Delegation
from steward.people.choices import Role


@pytest.fixture
def org(make_org):
    return make_org()


@pytest.fixture
def manager(make_user, org):
    return make_user("mgr", roles=[Role.REQUESTER], organization=org)


@pytest.fixture
def step(stand, record, make_user, manager):
    asker = make_user("asker")
    (made,) = ops.request_approval(
        asker, record, steps=[ops.StepSpec("Line manager", users=((manager, Kind.LINE_MANAGER),))]
    )
    return made


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def test_my_approvals_lists_what_awaits_me(step, manager):
    page = client_for(manager).get(reverse("approvals:mine"))
    assert page.status_code == 200
    assert step.subject_label in page.content.decode()
    assert reverse("approvals:detail", args=[step.pk]) in page.content.decode()
    decided = client_for(manager).get(reverse("approvals:mine") + "?show=decided")
    assert step.subject_label not in decided.content.decode()


def test_menu_and_home_panel_for_a_requester_with_approvals(step, manager, make_user, org):
    home = client_for(manager).get(reverse("core:home")).content.decode()
    assert "Awaiting my approval" in home and reverse("approvals:mine") in home
    other = make_user("other", roles=[Role.REQUESTER], organization=org)
    home = client_for(other).get(reverse("core:home")).content.decode()
    assert reverse("approvals:mine") not in home


def test_decide_from_the_page(step, manager, stand):
    c = client_for(manager)
    url = reverse("approvals:detail", args=[step.pk])
    page = c.get(url)
    assert page.status_code == 200 and b'name="decision"' in page.content
    refused = c.post(url, {"decision": "rejected", "comment": "", "version": step.version})
    assert refused.status_code == 422 and b"A rejection gives its reason." in refused.content
    done = c.post(url, {"decision": "approved", "comment": "ok", "version": step.version})
    assert done.status_code == 302
    step.refresh_from_db()
    assert step.state == State.APPROVED and stand.completed == [("approved", 1, "")]
    page = c.get(url)
    assert b'name="decision"' not in page.content and b"ok" in page.content


def test_stale_page_decision_is_409(step, manager):
    url = reverse("approvals:detail", args=[step.pk])
    response = client_for(manager).post(url, {"decision": "approved", "version": step.version + 1})
    assert response.status_code == 409
    assert Approver.objects.get().decision == Decision.PENDING


def test_others_get_404(step, make_user, make_org, org):
    for person in (
        make_user("colleague", roles=[Role.REQUESTER], organization=org),
        make_user("stranger", roles=[Role.REQUESTER], organization=make_org()),
    ):
        c = client_for(person)
        url = reverse("approvals:detail", args=[step.pk])
        assert c.get(url).status_code == 404
        assert c.post(url, {"decision": "approved"}).status_code == 404
        assert (
            step.subject_label
            not in c.get(reverse("approvals:mine") + "?show=all").content.decode()
        )


def test_it_staff_see_the_step_without_the_form(step, make_user):
    page = client_for(make_user("agent2")).get(reverse("approvals:detail", args=[step.pk]))
    assert page.status_code == 200
    assert b'name="decision"' not in page.content
    assert b"You are not among the approvers of this step." in page.content


def test_one_click_link_get_does_not_decide_post_does(step, manager, stand):
    url = links.decision_link(step, manager, "approved")
    assert url.startswith("http")
    path = url.split("://", 1)[1].split("/", 1)[1]
    anonymous = Client()
    page = anonymous.get("/" + path)
    assert page.status_code == 200 and b"Confirm: approve" in page.content
    assert Approver.objects.get().decision == Decision.PENDING
    done = anonymous.post("/" + path)
    assert done.status_code == 200 and b"has been recorded" in done.content
    row = Approver.objects.get()
    assert row.decision == Decision.APPROVED and row.decided_by == manager
    again = anonymous.post("/" + path)
    assert again.status_code == 409


def test_one_click_reject_needs_a_reason(step, manager):
    path = reverse("approvals:act", args=[links.token(step, manager, "rejected")])
    c = Client()
    assert b'name="comment"' in c.get(path).content
    assert c.post(path, {"comment": ""}).status_code == 422
    assert Approver.objects.get().decision == Decision.PENDING
    assert c.post(path, {"comment": "No"}).status_code == 200
    assert Approver.objects.get().comment == "No"


def test_forged_or_old_links_do_nothing(step, manager):
    from django.core import signing

    c = Client()
    token = links.token(step, manager, "approved")
    assert c.get(reverse("approvals:act", args=[token[:-2] + "xx"])).status_code == 404
    forged = signing.dumps({"r": step.pk, "u": manager.pk, "d": "approved"}, salt="other")
    assert c.post(reverse("approvals:act", args=[forged])).status_code == 404
    assert links.read(token) is not None


def test_delegations_page(step, manager, make_user, org, make_org):
    stand_in = make_user("standin", roles=[Role.REQUESTER], organization=org)
    stranger = make_user("stranger", roles=[Role.REQUESTER], organization=make_org())
    c = client_for(manager)
    url = reverse("approvals:delegations")
    assert c.get(url).status_code == 200
    ends = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    refused = c.post(url, {"delegate": "stranger", "ends_at": ends})
    assert refused.status_code == 422 and not Delegation.objects.exists()
    assert c.post(url, {"delegate": "standin", "ends_at": ends}).status_code == 302
    row = Delegation.objects.get()
    assert row.delegate == stand_in and row.is_active()
    assert stranger.pk not in (row.user_id, row.delegate_id)
    page = client_for(stand_in).get(url).content.decode()
    assert "For whom I stand in" in page and manager.display_name in page
    assert (
        client_for(stranger).post(reverse("approvals:delegation_end", args=[row.pk])).status_code
        == 404
    )
    c.post(reverse("approvals:delegation_end", args=[row.pk]), {"version": row.version})
    row.refresh_from_db()
    assert not row.is_active()
