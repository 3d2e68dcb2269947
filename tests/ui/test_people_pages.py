"""Profile, API tokens, support groups and people pages."""

from __future__ import annotations

import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from steward.core.models import JournalEntry
from steward.people import operations as people_ops
from steward.people.models import ApiToken


def profile_data(user, **changes):
    data = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "time_zone": user.time_zone,
        "language": user.language,
        "version": user.version,
    }
    return data | changes


def test_profile_change_is_saved_and_journaled(client_for, agent):
    client = client_for(agent)
    response = client.post(
        reverse("people:profile"),
        profile_data(agent, first_name="Agnes", time_zone="Europe/Amsterdam", language="nl"),
    )
    assert response.status_code == 302
    agent.refresh_from_db()
    assert (agent.first_name, agent.time_zone, agent.language) == (
        "Agnes",
        "Europe/Amsterdam",
        "nl",
    )
    entry = JournalEntry.objects.for_record(agent).filter(action="updated").get()
    assert entry.actor == agent
    assert entry.changes["time_zone"] == ["UTC", "Europe/Amsterdam"]


def test_profile_error_from_the_operation_shows_beside_the_field(client_for, agent, make_user):
    make_user("other", email="taken@example.org")
    response = client_for(agent).post(
        reverse("people:profile"), profile_data(agent, email="TAKEN@example.org")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "another user already has this email address"
    ]
    assert 'id="id_email_error"' in response.content.decode()


def test_profile_with_a_stale_version_changes_nothing(client_for, agent):
    client = client_for(agent)
    stale = agent.version
    people_ops.update_user(agent, agent, version=agent.version, phone="123")
    response = client.post(
        reverse("people:profile"), profile_data(agent, version=stale, first_name="Z")
    )
    assert response.status_code == 200
    assert "changed by someone else" in response.content.decode()
    agent.refresh_from_db()
    assert agent.first_name != "Z"


def test_profile_offers_iana_time_zones(client_for, agent):
    form = client_for(agent).get(reverse("people:profile")).context["form"]
    zones = dict(form.fields["time_zone"].choices)
    assert "Europe/Amsterdam" in zones and "America/New_York" in zones


def test_pages_use_the_users_time_zone_and_language(client_for, agent):
    people_ops.update_user(
        agent, agent, version=agent.version, time_zone="Asia/Tokyo", language="nl"
    )
    token, _ = people_ops.create_api_token(agent, agent, name="ci")
    response = client_for(agent).get(reverse("people:tokens"))
    assert response["Content-Language"] == "nl"
    html = response.content.decode()
    assert "Asia/Tokyo" in html  # the footer names the zone (in Dutch: "Tijden in ...")
    tokyo = token.created_at.astimezone(zoneinfo.ZoneInfo("Asia/Tokyo"))
    assert f'datetime="{tokyo.isoformat()}"' in html
    # The preferences apply to that request only.
    assert timezone.get_current_timezone() == zoneinfo.ZoneInfo("UTC")


def test_token_secret_is_shown_once(client_for, agent):
    client = client_for(agent)
    response = client.post(reverse("people:tokens"), {"name": "backup script", "scope": "read"})
    assert response.status_code == 201
    secret = response.context["created"]["secret"]
    assert secret in response.content.decode()
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]
    )
    again = client.get(reverse("people:tokens")).content.decode()
    assert secret not in again
    assert "backup script" in again
    assert secret[:12] in again  # the prefix identifies it


def test_token_form_errors_show_beside_the_field(client_for, agent):
    response = client_for(agent).post(reverse("people:tokens"), {"name": "", "scope": "root"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "scope"}
    assert not ApiToken.objects.exists()


def test_revoke_token_by_post_only(client_for, agent):
    token, _ = people_ops.create_api_token(agent, agent, name="ci")
    client = client_for(agent)
    url = reverse("people:token_revoke", args=[token.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_cannot_revoke_someone_elses_token(client_for, agent, make_user):
    other = make_user("other")
    token, _ = people_ops.create_api_token(other, other, name="theirs")
    assert (
        client_for(agent).post(reverse("people:token_revoke", args=[token.pk])).status_code == 404
    )
    token.refresh_from_db()
    assert token.revoked_at is None


def test_group_list_and_detail_for_it_staff(client_for, agent, group):
    client = client_for(agent)
    html = client.get(reverse("people:group_list")).content.decode()
    assert "Service Desk" in html
    assert '<td class="num">2</td>' in html
    detail = client.get(reverse("people:group_detail", args=[group.pk])).content.decode()
    for text in [
        "Olivia Owner",
        "desk@example.org",
        "First line support",
        "Agent",
        "Service owner",
        "Created",
    ]:
        assert text in detail


def test_group_list_filters_by_text(client_for, agent, group):
    people_ops.create_group(None, name="Network Operations")
    response = client_for(agent).get(reverse("people:group_list"), {"q": "netw"})
    names = [g.name for g in response.context["page_obj"]]
    assert names == ["Network Operations"]


def test_group_list_htmx_request_gets_only_the_results(client_for, agent, group):
    response = client_for(agent).get(
        reverse("people:group_list"),
        {"q": "desk"},
        headers={"HX-Request": "true", "HX-Target": "results"},
    )
    html = response.content.decode()
    assert "Service Desk" in html
    assert "<html" not in html


@pytest.mark.parametrize("url_name", ["people:group_list", "people:group_detail"])
def test_requester_gets_404_for_groups(client_for, requester, group, url_name):
    args = [group.pk] if url_name == "people:group_detail" else []
    assert client_for(requester).get(reverse(url_name, args=args)).status_code == 404


def test_user_page_lists_groups(client_for, agent, group, owner):
    html = (
        client_for(agent).get(reverse("people:user_detail", args=[owner.username])).content.decode()
    )
    assert "Service Desk" in html
    assert owner.email in html


def test_requester_cannot_see_people_outside_their_organization(client_for, requester, agent):
    assert (
        client_for(requester).get(reverse("people:user_detail", args=["agent"])).status_code == 404
    )
