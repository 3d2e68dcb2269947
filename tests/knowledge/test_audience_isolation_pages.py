"""Audience isolation on the pages: a requester of one organisation never reads, rates, flags,
finds or counts another organisation's article or an internal one — not on the article page,
the versions, the global search, the incident's panel, nor by guessing addresses."""

from __future__ import annotations

import pytest

from steward.knowledge import registrations as r
from steward.knowledge.models import ArticleRating, Flag
from steward.knowledge.panels import incident_articles

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles(kb, make_article):
    return {
        "internal": make_article(title="Shared secret internal", confidence="validated"),
        "draft": make_article(title="Shared secret draft"),
        "corporate": make_article(
            title="Shared secret corporate",
            confidence="validated",
            audience="customers",
            organizations=[kb["orgs"]["corporate"]],
        ),
        "retail": make_article(
            title="Shared secret retail",
            confidence="validated",
            audience="customers",
            organizations=[kb["orgs"]["retail"]],
        ),
    }


def test_a_retail_requester_reads_only_the_retail_article(kb, client_for, articles):
    client = client_for(kb["people"]["requester"])
    for key in ("internal", "draft", "corporate"):
        number = articles[key].number
        for url in (
            f"/knowledge/{number}/",
            f"/knowledge/{number}/versions/",
            f"/knowledge/{number}/diff/",
            f"/knowledge/{number}/edit/",
        ):
            assert client.get(url).status_code == 404, url
        assert client.post(f"/knowledge/{number}/flag/", {"reason": "wrong"}).status_code == 404
        assert client.post(f"/knowledge/{number}/rate/", {"helped": "yes"}).status_code == 404
        assert (
            client.post(
                f"/knowledge/{number}/state/", {"confidence": "archived", "version": 1}
            ).status_code
            == 404
        )
    assert not Flag.objects.exists() and not ArticleRating.objects.exists()
    page = client.get(articles["retail"].get_absolute_url()).content.decode()
    assert "Shared secret retail" in page
    # no version history, even of a readable article
    assert client.get(f"/knowledge/{articles['retail'].number}/versions/").status_code == 404


def test_the_global_search_and_panels_keep_the_audience(kb, articles, open_incident):
    people = kb["people"]
    titles = {
        h.title.split(" ", 1)[1] for h in r.search_articles(people["requester"], "secret", 20)
    }
    assert titles == {"Shared secret retail"}
    titles = {h.title.split(" ", 1)[1] for h in r.search_articles(people["outsider"], "secret", 20)}
    assert titles == {"Shared secret corporate"}
    count, rows = r.my_knowledge_work(people["requester"], 5)
    assert count == 0 and rows == []
    incident = open_incident()
    assert incident_articles(incident, people["requester"]) is None


def test_a_requester_cannot_link_or_capture(kb, client_for, articles, open_incident):
    incident = open_incident()
    client = client_for(kb["people"]["requester"])
    response = client.post(
        f"/knowledge/incidents/{incident.number}/link/", {"article": articles["retail"].number}
    )
    assert response.status_code == 404
    assert client.post(f"/knowledge/incidents/{incident.number}/capture/").status_code == 404
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "Shared secret" not in page and "Link the article" not in page
