"""A Dutch service owner reads the portfolio in Dutch: the choice labels on the page, a refusal
on the page and in the API (the domain's sentence and the input checks alike); an English
colleague reads the same in English."""

from __future__ import annotations

import pytest
from django.urls import reverse

from steward.people.choices import Role
from steward.services import operations as ops

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user):
    return {
        "nl": make_user("anke", roles=[Role.ADMIN, Role.AGENT], language="nl"),
        "en": make_user("bob", roles=[Role.ADMIN, Role.AGENT], language="en"),
    }


@pytest.fixture
def intranet(people):
    admin = people["en"]
    return ops.create_service(
        admin, name="Intranet", owner=admin, criticality=2, kind="technical", status="live"
    )


def test_the_service_page_shows_the_choices_in_the_readers_language(people, intranet, client_for):
    dutch = client_for(people["nl"]).get(intranet.get_absolute_url()).content.decode()
    english = client_for(people["en"]).get(intranet.get_absolute_url()).content.decode()
    assert "Technische dienst" in dutch and "2 – Hoog" in dutch and "In productie" in dutch
    assert "Technical service" not in dutch
    assert "Technical service" in english and "2 – High" in english


def test_a_refusal_on_the_page_is_said_in_the_readers_language(people, intranet, client_for):
    url = reverse("services:ownership_decision", args=[intranet.pk, "accept"])
    page = client_for(people["nl"]).post(url, follow=True).content.decode()
    assert "Er wacht geen eigenaarschap van Intranet op acceptatie." in page
    page = client_for(people["en"]).post(url, follow=True).content.decode()
    assert "No ownership of Intranet is waiting for acceptance." in page


def test_an_api_refusal_is_said_in_the_token_owners_language(people, intranet, api_as):
    path = f"services/{intranet.pk}/ownership/accept"
    status, body = api_as(people["nl"]).post(path)
    assert status == 404 and body["error"]["code"] == "not_found"
    assert body["error"]["message"] == "Er wacht geen eigenaarschap van Intranet op acceptatie."
    status, body = api_as(people["en"]).post(path)
    assert body["error"]["message"] == "No ownership of Intranet is waiting for acceptance."


def test_an_api_input_problem_names_the_field_in_the_readers_language(people, api_as):
    owner = people["nl"]
    too_long = {"name": "x" * 121, "owner": owner.pk}
    status, body = api_as(owner).post("services", too_long)
    assert status == 422 and body["error"]["code"] == "invalid"
    assert body["error"]["fields"] == {"name": ["hoogstens 120 tekens"]}
    assert body["error"]["message"] == "Ongeldige invoer — name: hoogstens 120 tekens"
    status, body = api_as(people["en"]).post("services", too_long)
    assert body["error"]["fields"] == {"name": ["at most 120 characters"]}


def test_a_domain_check_in_the_api_is_said_in_the_readers_language(people, intranet, api_as):
    status, body = api_as(people["nl"]).put(
        f"services/{intranet.pk}/dependencies", {"depends_on": [intranet.pk]}
    )
    assert status == 422
    assert body["error"]["fields"] == {
        "depends_on": ["een dienst kan niet van zichzelf afhankelijk zijn"]
    }
