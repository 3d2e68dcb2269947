"""The portal's knowledge search: requesters (and staff) find the articles they may read, each
search a requester submits is recorded for the self-service measures, results open the
article; the rating form; and the suggestion panel beside the incident form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from steward.knowledge.choices import Audience, Confidence, PortalEventKind
from steward.knowledge.models import ArticleRating, PortalEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles(kb, make_article):
    orgs = kb["orgs"]
    valid = {"confidence": Confidence.VALIDATED, "keywords": "printer"}
    return {
        "public": make_article(
            title="Printer offline public", audience=Audience.PUBLIC, **valid
        ),
        "retail": make_article(
            title="Printer offline retail", audience=Audience.CUSTOMERS,
            organizations=[orgs["retail"]], **valid,
        ),
        "corporate": make_article(
            title="Printer offline corporate", audience=Audience.CUSTOMERS,
            organizations=[orgs["corporate"]], **valid,
        ),
        "internal": make_article(title="Printer offline internal", **valid),
        "draft": make_article(title="Printer offline draft", keywords="printer"),
    }  # fmt: skip


def _titles(response):
    return {s.article.title for s in response.context["results"]}


def test_a_requester_finds_only_what_their_audience_reads(kb, articles, client_for):
    response = client_for(kb["people"]["requester"]).get(
        reverse("knowledge:portal"), {"q": "printer offline"}
    )
    assert response.status_code == 200
    assert _titles(response) == {"Printer offline public", "Printer offline retail"}
    body = response.content.decode()
    for hidden in ("corporate", "internal", "draft"):
        assert f"Printer offline {hidden}" not in body
    assert "1 article" not in body and "2 articles" in body  # the count is of readable ones
    assert reverse("knowledge:detail", args=[articles["retail"].number]) in body


def test_the_other_organisation_sees_its_own(kb, articles, client_for):
    response = client_for(kb["people"]["outsider"]).get(
        reverse("knowledge:portal"), {"q": "printer"}
    )
    assert _titles(response) == {"Printer offline public", "Printer offline corporate"}


def test_a_submitted_search_is_recorded_for_requesters(kb, articles, client_for):
    requester = kb["people"]["requester"]
    client_for(requester).get(reverse("knowledge:portal"), {"q": "  printer offline "})
    event = PortalEvent.objects.get()
    assert (event.user, event.kind, event.query) == (
        requester,
        PortalEventKind.SEARCH,
        "printer offline",
    )


def test_typing_is_not_recorded_and_answers_the_results_only(kb, articles, client_for):
    response = client_for(kb["people"]["requester"]).get(
        reverse("knowledge:portal"), {"q": "print", "live": "1"}, HTTP_HX_REQUEST="true"
    )
    assert "<html" not in response.content.decode()
    assert _titles(response) == {"Printer offline public", "Printer offline retail"}
    assert not PortalEvent.objects.exists()


def test_staff_search_everything_live_and_are_not_recorded(kb, articles, client_for):
    response = client_for(kb["people"]["agent"]).get(reverse("knowledge:portal"), {"q": "printer"})
    assert len(_titles(response)) == 5
    assert not PortalEvent.objects.exists()


def test_an_empty_search_shows_the_form(kb, client_for):
    response = client_for(kb["people"]["requester"]).get(reverse("knowledge:portal"))
    assert response.status_code == 200 and response.context["results"] == []
    assert not PortalEvent.objects.exists()


def test_a_reader_rates_an_article(kb, articles, client_for):
    requester = kb["people"]["requester"]
    article = articles["public"]
    client = client_for(requester)
    response = client.post(reverse("knowledge:rate", args=[article.number]), {"helped": "yes"})
    assert response.status_code == 302
    client.post(
        reverse("knowledge:rate", args=[article.number]), {"helped": "no", "comment": "Old"}
    )
    rating = ArticleRating.objects.get()
    assert (rating.user, rating.helped, rating.comment) == (requester, False, "Old")


def test_an_unreadable_article_cannot_be_rated(kb, articles, client_for):
    client = client_for(kb["people"]["requester"])
    for name in ("corporate", "internal"):
        url = reverse("knowledge:rate", args=[articles[name].number])
        assert client.post(url, {"helped": "yes"}).status_code == 404
    assert not ArticleRating.objects.exists()


# --- the panel beside the incident form ----------------------------------------------------


def test_the_panel_suggests_articles_and_similar_incidents(kb, articles, open_incident, client_for):
    incident = open_incident(title="Printer offline in the lobby", owning_group=kb["group"])
    response = client_for(kb["people"]["agent"]).get(
        reverse("knowledge:suggest"),
        {"title": "printer offline", "description": "", "service": "", "affected_ci": ""},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert reverse("knowledge:detail", args=[articles["internal"].number]) in body
    assert incident.number in body
    assert "Printer offline draft" in body  # staff are offered work in progress too


def test_the_panel_is_empty_until_something_is_typed(kb, articles, client_for):
    response = client_for(kb["people"]["agent"]).get(reverse("knowledge:suggest"))
    assert response.content.decode().strip() == ""


def test_the_panel_says_nothing_to_requesters(kb, articles, client_for):
    response = client_for(kb["people"]["requester"]).get(
        reverse("knowledge:suggest"), {"title": "printer offline"}
    )
    assert response.status_code == 200 and "Printer" not in response.content.decode()
