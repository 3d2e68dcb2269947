"""Organisation isolation over the API: a requester of one organisation never sees an internal
article, a draft, or one for another organisation — not in the list, ``?q=``,
``?suggest_for=``, one article, its versions, flags, links or counts — and never reads the
staff fields (owner, confidence, audience, citations)."""

from __future__ import annotations

import pytest

from steward.knowledge import lists
from steward.knowledge import operations as ops
from steward.knowledge.choices import Audience, Confidence
from steward.knowledge.models import Article, Flag, IncidentArticle, Licence

pytestmark = pytest.mark.django_db

STAFF_ONLY = {
    "confidence",
    "audience",
    "owner",
    "created_by",
    "citations",
    "open_flags",
    "organizations",
    "created_from",
    "version",
    "url",
}


@pytest.fixture
def seeded(kb, make_article, open_incident):
    """One article per audience, every one about the 'zebra printer', and an incident of the
    Retail requester linked to all of them."""
    orgs = kb["orgs"]
    words = {"issue": "The zebra printer prints blank labels"}
    articles = {
        "draft": make_article(title="Zebra draft", **words),
        "internal": make_article(title="Zebra internal", confidence=Confidence.VALIDATED, **words),
        "retail": make_article(
            title="Zebra for retail",
            confidence=Confidence.VALIDATED,
            audience=Audience.CUSTOMERS,
            organizations=[orgs["retail"]],
            **words,
        ),
        "corporate": make_article(
            title="Zebra for corporate",
            confidence=Confidence.VALIDATED,
            audience=Audience.CUSTOMERS,
            organizations=[orgs["corporate"]],
            **words,
        ),
        "public": make_article(
            title="Zebra for everyone",
            confidence=Confidence.VALIDATED,
            audience=Audience.PUBLIC,
            **words,
        ),
    }
    incident = open_incident(title="Zebra printer prints blank labels")
    agent = kb["people"]["agent"]
    for article in articles.values():
        ops.link_article(agent, incident, article)
        ops.flag_article(agent, article, reason="unclear", comment="internal remark")
    return {"articles": articles, "incident": incident}


READS = {"requester": {"retail", "public"}, "outsider": {"corporate", "public"}}


@pytest.mark.parametrize("person", sorted(READS))
def test_lists_search_and_suggestions(kb, seeded, api_as, person):
    client = api_as(kb["people"][person])
    allowed = {seeded["articles"][k].pk for k in READS[person]}
    for params in (
        {},
        {"q": "zebra"},
        {"suggest_for": "zebra printer blank labels"},
        {"queue": "all"},
        {"sort": "-citations"},
    ):
        status, page = client.get("articles", **params)
        assert status == 200, page
        assert {i["id"] for i in page["items"]} == allowed, params
        assert page["count"] == 2
        for item in page["items"]:
            assert not STAFF_ONLY & item.keys()
    # the staff queues hold nothing for a requester
    for queue in ("mine", "drafts", "flagged", "coach"):
        status, page = client.get("articles", queue=queue)
        assert status == 200 and page["count"] == 0
    assert lists.queue_counts(kb["people"][person]) == {"all": 2}


@pytest.mark.parametrize("person", sorted(READS))
def test_one_article_versions_and_flags(kb, seeded, api_as, person):
    client = api_as(kb["people"][person])
    for key, article in seeded["articles"].items():
        readable = key in READS[person]
        status, body = client.get(f"articles/{article.pk}")
        assert status == (200 if readable else 404), key
        if readable:
            assert not STAFF_ONLY & body.keys()
        status, page = client.get(f"articles/{article.pk}/versions")
        assert status == (200 if readable else 404)
        if readable:
            assert page["count"] == 0  # the current text only, no history
        status, _ = client.get(f"articles/{article.pk}/versions/1")
        assert status == 404
        status, page = client.get(f"articles/{article.pk}/flags")
        assert status == (200 if readable else 404)
        if readable:
            assert page["count"] == 0  # the agent's internal remark is not theirs
        status, _ = client.post(f"articles/{article.pk}/flags", {"reason": "wrong"})
        assert status == (201 if readable else 404)
    assert Flag.objects.filter(raised_by=kb["people"][person]).count() == 2


def test_links_of_an_incident(kb, seeded, api_as):
    number = seeded["incident"].number
    status, page = api_as(kb["people"]["requester"]).get(f"incidents/{number}/articles")
    assert status == 200
    retail, public = seeded["articles"]["retail"], seeded["articles"]["public"]
    assert {i["article"]["id"] for i in page["items"]} == {retail.pk, public.pk}
    assert page["count"] == 2
    # another organisation's requester does not see the incident at all
    status, _ = api_as(kb["people"]["outsider"]).get(f"incidents/{number}/articles")
    assert status == 404
    status, page = api_as(kb["people"]["agent"]).get(f"incidents/{number}/articles")
    assert page["count"] == 5


def test_requesters_write_nothing_but_flags(kb, seeded, api_as):
    client = api_as(kb["people"]["requester"])
    public = seeded["articles"]["public"]
    before = (
        Article.objects.count(),
        list(Article.objects.values_list("version", flat=True)),
        IncidentArticle.objects.count(),
        Licence.objects.count(),
    )
    calls = [
        ("post", "articles", {"title": "Mine", "issue": "x"}),
        ("patch", f"articles/{public.pk}", {"version": public.version, "title": "Mine"}),
        ("post", f"articles/{public.pk}/state", {"confidence": "archived", "version": 1}),
        ("post", f"incidents/{seeded['incident'].number}/articles", {"article": public.pk}),
        ("post", "licences", {"user": kb["people"]["requester"].pk, "level": "publisher"}),
        ("get", "licences", None),
    ]
    for method, path, body in calls:
        status, answer = getattr(client, method)(path, *([body] if body is not None else []))
        assert status in (403, 404), (path, answer)
        assert set(answer) == {"error"}
    status, _ = client.delete(f"incidents/{seeded['incident'].number}/articles/{public.pk}")
    assert status == 404
    after = (
        Article.objects.count(),
        list(Article.objects.values_list("version", flat=True)),
        IncidentArticle.objects.count(),
        Licence.objects.count(),
    )
    assert after == before
