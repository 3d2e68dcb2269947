"""Signing in and out: the form, throttling, CSRF and the redirect of anonymous visitors."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from steward.people import operations as people_ops
from steward.people.models import LoginFailure

PASSWORD = "correct-horse-9"


def sign_in(client: Client, username: str, password: str, **extra):
    return client.post(
        reverse("people:login"), {"username": username, "password": password, **extra}
    )


def test_login_page_renders_a_labelled_form(client, db):
    response = client.get(reverse("people:login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_username">' in html
    assert '<label for="id_password">' in html
    assert 'autocomplete="current-password"' in html


def test_login_with_the_right_password_signs_in_and_goes_home(client, agent):
    response = sign_in(client, "agent", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert client.get(reverse("core:home")).status_code == 200


def test_login_follows_a_local_next_but_not_a_foreign_one(client, agent):
    response = sign_in(client, "agent", PASSWORD, next="/services/")
    assert response["Location"] == "/services/"
    client.logout()
    response = sign_in(client, "agent", PASSWORD, next="https://evil.example/")
    assert response["Location"] == reverse("core:home")


def test_wrong_password_shows_an_error_and_is_noted(client, agent):
    response = sign_in(client, "agent", "wrong")
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert LoginFailure.objects.filter(username="agent").count() == 1


def test_five_wrong_passwords_block_even_the_right_one(client, agent):
    for _ in range(4):
        assert sign_in(client, "agent", "wrong").status_code == 200
    fifth = sign_in(client, "agent", "wrong")
    assert fifth.status_code == 429
    response = sign_in(client, "agent", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed sign-in attempts; try again in 15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_block_ends_when_the_failures_leave_the_window(client, agent):
    for _ in range(5):
        people_ops.note_failed_login("agent", "127.0.0.1")
    assert sign_in(client, "agent", PASSWORD).status_code == 429
    with override_settings(LOGIN_THROTTLE_WINDOW=0):
        assert sign_in(client, "agent", PASSWORD).status_code == 302
    # A successful sign-in clears the failures of that username.
    assert not LoginFailure.objects.filter(username="agent").exists()


def test_the_admin_sign_in_is_throttled_like_the_sign_in_page(client, admin_user):
    def admin_sign_in(password):
        data = {"username": "admin", "password": password, "next": "/admin/"}
        return client.post("/admin/login/", data)

    for _ in range(4):
        assert admin_sign_in("wrong").status_code == 200
    assert admin_sign_in("wrong").status_code == 429
    response = admin_sign_in(PASSWORD)
    assert response.status_code == 429
    assert "Too many failed sign-in attempts; try again in 15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # The sign-in page shares the count.
    assert sign_in(client, "admin", PASSWORD).status_code == 429


def test_the_admin_sign_in_still_signs_staff_in(client, admin_user):
    response = client.post(
        "/admin/login/", {"username": "admin", "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_logout_by_get_is_refused_and_keeps_the_session(client_for, agent):
    client = client_for(agent)
    assert client.get(reverse("people:logout")).status_code == 405
    assert client.get(reverse("core:home")).status_code == 200


def test_logout_by_post_signs_out(client_for, agent):
    client = client_for(agent)
    response = client.post(reverse("people:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("people:login")
    assert client.get(reverse("core:home")).status_code == 302


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/profile/",
        "/profile/tokens/",
        "/groups/",
        "/groups/1/",
        "/services/",
        "/services/1/",
        "/search?q=bank",
        "/people/agent/",
    ],
)
def test_pages_require_sign_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("people:login") + "?next=")


def test_csrf_is_enforced_on_sign_in_and_profile_writes(agent, db):
    client = Client(enforce_csrf_checks=True)
    assert sign_in(client, "agent", PASSWORD).status_code == 403
    client.force_login(agent)
    assert client.post(reverse("people:profile"), {"first_name": "X"}).status_code == 403
    assert client.post(reverse("people:tokens"), {"name": "x", "scope": "read"}).status_code == 403
    assert client.post(reverse("people:logout")).status_code == 403


def test_csrf_token_from_the_page_is_accepted(agent, db):
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("people:login"))
    token = client.cookies["csrftoken"].value
    response = sign_in(client, "agent", PASSWORD, csrfmiddlewaretoken=token)
    assert response.status_code == 302


def test_csrf_failure_page_uses_the_shell_and_changes_nothing(agent, db):
    client = Client(enforce_csrf_checks=True)
    client.force_login(agent)
    response = client.post(reverse("people:profile"), {"first_name": "X"})
    assert response.status_code == 403
    assert "The form has expired" in response.content.decode()
    agent.refresh_from_db()
    assert agent.first_name != "X"
