"""People read the people pages and the API's refusals in their own language: role labels, a
read-only token's refusal, an administrator-only operation refused."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from steward.people.choices import Role

pytestmark = pytest.mark.django_db


def test_a_read_only_token_is_refused_in_its_owners_language(make_user, api_as):
    anke = make_user("anke", language="nl")
    status, body = api_as(anke, scope="read").patch(f"users/{anke.pk}", {"first_name": "Anke"})
    assert status == 403 and body["error"]["code"] == "forbidden"
    assert body["error"]["message"] == (
        "Dit token heeft bereik 'read': het kan lezen maar niet schrijven."
    )
    bob = make_user("bob", language="en")
    status, body = api_as(bob, scope="read").patch(f"users/{bob.pk}", {"first_name": "Bob"})
    assert body["error"]["message"] == "This token has scope 'read': it can read but not write."


def test_a_tokens_language_ends_with_its_request(make_user, api_as):
    """A token activates its owner's language inside the request; what runs next on the same
    thread (the next request's middleware, a job, a test) does not inherit it."""
    anke = make_user("anke", language="nl")
    with translation.override("en"):
        status, _body = api_as(anke).get("me")
        assert status == 200
        assert translation.get_language() == "en"


def test_an_administrators_operation_is_refused_in_the_readers_language(make_user, api_as):
    anke = make_user("anke", language="nl")
    status, body = api_as(anke).post("organizations", {"name": "Retail", "code": "retail"})
    assert status == 403
    assert body["error"]["message"] == "Alleen beheerders mogen organisaties aanmaken."


def test_role_labels_on_a_persons_page_are_in_the_readers_language(make_user, client_for):
    anke = make_user("anke", roles=[Role.AGENT, Role.GROUP_MANAGER], language="nl")
    page = client_for(anke).get(reverse("people:user_detail", args=[anke.username]))
    html = page.content.decode()
    assert "Groepsmanager" in html and "Group manager" not in html
