"""Session-authenticated writes need the CSRF token; reads never change state."""

from __future__ import annotations

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_session_write_without_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["people"]["admin"])
    assert client.get("/api/v1/me").status_code == 200
    response = client.post(
        "/api/v1/organizations",
        json.dumps({"name": "Insurance", "code": "ins"}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    from steward.people.models import Organization

    assert not Organization.objects.filter(code="ins").exists()


def test_a_session_write_with_the_csrf_token_succeeds(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["people"]["admin"])
    client.get("/api/v1/me")
    token = client.cookies.get("csrftoken")
    if token is None:  # the cookie is set by any page that uses the token
        from django.middleware.csrf import _get_new_csrf_string

        token_value = _get_new_csrf_string()
        client.cookies["csrftoken"] = token_value
    else:
        token_value = token.value
    response = client.post(
        "/api/v1/organizations",
        json.dumps({"name": "Insurance", "code": "ins"}),
        content_type="application/json",
        headers={"X-CSRFToken": token_value},
    )
    assert response.status_code == 201, response.content


def test_no_api_get_endpoint_changes_state(world, api_as):
    from steward.api import api
    from steward.core.models import JournalEntry

    client = api_as(world["people"]["admin"], "read")
    before = JournalEntry.objects.count()
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    for path, methods in schema["paths"].items():
        if "get" in methods and "{" not in path:
            client.get(path)
    assert JournalEntry.objects.count() == before
