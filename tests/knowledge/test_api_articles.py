"""The articles API: every endpoint's happy path (answers validated against the OpenAPI
document by ApiClient), versions, state transitions, flags, links and licences, and a
constant number of statements per list."""

from __future__ import annotations

import datetime as dt

import pytest

from steward.core import clock
from steward.knowledge import operations as ops
from steward.knowledge.choices import Audience, Confidence
from steward.knowledge.models import Article, Flag, IncidentArticle, Licence

pytestmark = pytest.mark.django_db


def test_write_read_edit_and_list_an_article(kb, api_as):
    candidate = api_as(kb["people"]["candidate"])
    banking = kb["services"]["retail_live"]
    status, body = candidate.post(
        "articles",
        {
            "title": "VPN drops every ten minutes",
            "issue": "<p>The VPN drops<script>alert(1)</script></p>",
            "resolution": "Update the client",
            "keywords": "vpn, wifi",
            "services": [banking.pk],
            "category": kb["categories"]["network"].pk,
        },
    )
    assert status == 201, body
    article_id = body["id"]
    assert body["number"].startswith("KB") and body["confidence"] == "wip"
    assert body["audience"] == "internal" and body["revision"] == 1
    assert body["issue"] == "<p>The VPN drops</p>"
    assert body["services"] == [{"id": banking.pk, "name": "Online Banking"}]
    assert body["owner"]["username"] == "candidate" and body["citations"] == 0

    status, body = candidate.get(f"articles/{article_id}")
    assert status == 200 and body["title"] == "VPN drops every ten minutes"

    status, body = candidate.patch(
        f"articles/{article_id}",
        {
            "version": body["version"],
            "title": "VPN drops on office wifi",
            "summary": "title",
            "environment": None,
        },
    )
    assert status == 200, body
    assert body["title"] == "VPN drops on office wifi" and body["revision"] == 2

    status, stale = candidate.patch(f"articles/{article_id}", {"version": 1, "title": "Other"})
    assert status == 409 and stale["error"]["code"] == "stale_version"
    assert Article.objects.get(pk=article_id).title == "VPN drops on office wifi"

    status, page = candidate.get("articles")
    assert status == 200 and page["count"] == 1
    assert page["items"][0]["id"] == article_id
    status, page = candidate.get("articles", queue="mine", confidence="wip", sort="title")
    assert status == 200 and page["count"] == 1
    status, page = candidate.get("articles", queue="flagged")
    assert status == 200 and page["count"] == 0


def test_versions(kb, api_as, make_article):
    people = kb["people"]
    article = make_article(people["candidate"])
    ops.update_article(people["candidate"], article, version=article.version, title="Second")
    agent = api_as(people["agent"])
    status, page = agent.get(f"articles/{article.pk}/versions")
    assert status == 200 and [v["revision"] for v in page["items"]] == [1, 2]
    assert page["items"][1]["title"] == "Second"
    assert page["items"][1]["author"]["username"] == "candidate"
    status, body = agent.get(f"articles/{article.pk}/versions/1")
    assert status == 200 and body["title"] == "VPN drops every ten minutes"
    status, body = agent.get(f"articles/{article.pk}/versions/3")
    assert status == 404 and body["error"]["code"] == "not_found"


def test_state_transitions(kb, api_as, make_article):
    people = kb["people"]
    article = make_article(people["candidate"])
    contributor = api_as(people["contributor"])
    status, body = contributor.post(
        f"articles/{article.pk}/state", {"confidence": "validated", "version": article.version}
    )
    assert status == 200, body
    assert body["confidence"] == "validated" and body["validated_at"]
    # a Contributor may not publish; a Publisher may
    refused, error = contributor.post(
        f"articles/{article.pk}/state", {"audience": "public", "version": body["version"]}
    )
    assert refused == 403 and "audience" in error["error"]["fields"]
    publisher = api_as(people["publisher"])
    retail = kb["orgs"]["retail"]
    status, body = publisher.post(
        f"articles/{article.pk}/state",
        {"audience": "customers", "organizations": [retail.pk], "version": body["version"]},
    )
    assert status == 200, body
    assert body["audience"] == "customers" and body["published_at"]
    assert body["organizations"] == [{"id": retail.pk, "name": "Retail"}]
    # an impossible move names the allowed ones
    status, body = publisher.post(
        f"articles/{article.pk}/state", {"confidence": "wip", "version": body["version"]}
    )
    assert status == 409 and body["error"]["code"] == "transition_not_allowed"


def test_flags_over_the_api(kb, api_as, make_article):
    people = kb["people"]
    article = make_article(
        people["agent"], confidence=Confidence.VALIDATED, audience=Audience.PUBLIC
    )
    requester = api_as(people["requester"])
    status, flag = requester.post(
        f"articles/{article.pk}/flags", {"reason": "outdated", "comment": "v6 is out"}
    )
    assert status == 201, flag
    assert flag["status"] == "open" and flag["raised_by"]["username"] == "req"
    status, page = requester.get(f"articles/{article.pk}/flags")
    assert status == 200 and page["count"] == 1
    owner = api_as(people["agent"])
    status, body = owner.patch(
        f"articles/{article.pk}/flags/{flag['id']}", {"status": "fixed", "resolution": "Updated"}
    )
    assert (
        status == 200 and body["status"] == "fixed" and body["resolved_by"]["username"] == "agent"
    )
    status, body = owner.patch(f"articles/{article.pk}/flags/{flag['id']}", {"status": "dismissed"})
    assert status == 409


def test_link_answers_reuse_or_create(kb, api_as, make_article, open_incident):
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with clock.simulated(start):
        old = make_article()
        clock.set(start + dt.timedelta(hours=1))
        incident = open_incident()
        clock.set(start + dt.timedelta(hours=2))
        new = make_article(title="Written while solving")
    agent = api_as(kb["people"]["agent"])
    status, body = agent.post(f"incidents/{incident.number}/articles", {"article": old.pk})
    assert status == 201, body
    assert body["kind"] == "reuse" and body["article"]["number"] == old.number
    status, body = agent.post(f"incidents/{incident.number.lower()}/articles", {"article": new.pk})
    assert status == 201 and body["kind"] == "create"
    status, again = agent.post(f"incidents/{incident.number}/articles", {"article": old.pk})
    assert status == 200 and again["kind"] == "reuse"
    assert IncidentArticle.objects.count() == 2
    status, page = agent.get(f"incidents/{incident.number}/articles")
    assert status == 200 and [i["kind"] for i in page["items"]] == ["reuse", "create"]
    status, body = agent.get(f"articles/{old.pk}")
    assert body["citations"] == 1
    status, body = agent.delete(f"incidents/{incident.number}/articles/{new.pk}")
    assert status == 204
    assert IncidentArticle.objects.count() == 1


def test_licences_over_the_api(kb, api_as):
    people = kb["people"]
    admin = api_as(people["admin"])
    status, page = admin.get("licences")
    assert status == 200 and page["count"] == 5
    status, page = admin.get("licences", coach="true")
    assert status == 200 and [i["user"]["username"] for i in page["items"]] == ["coach"]
    status, body = admin.post(
        "licences",
        {
            "user": people["candidate"].pk,
            "level": "contributor",
            "category": kb["categories"]["network"].pk,
        },
    )
    assert status == 201, body
    assert body["category"]["name"] == "Network" and body["service"] is None
    status, body = admin.patch(
        f"licences/{body['id']}", {"version": body["version"], "level": "publisher", "coach": True}
    )
    assert status == 200 and (body["level"], body["coach"]) == ("publisher", True)
    status, error = admin.delete(f"licences/{body['id']}?version=1")
    assert status == 409 and "version" in error["error"]["fields"]
    status, _ = admin.delete(f"licences/{body['id']}?version={body['version']}")
    assert status == 204
    assert not Licence.objects.filter(user=people["candidate"]).exists()
    # a contributor reads licences but grants none
    contributor = api_as(people["contributor"])
    status, page = contributor.get("licences")
    assert status == 200
    status, error = contributor.post(
        "licences", {"user": people["candidate"].pk, "level": "publisher"}
    )
    assert status == 403
    assert not Licence.objects.filter(user=people["candidate"]).exists()


def test_q_and_suggest_for(kb, api_as, make_article):
    make_article(title="Printer jams on tray two", issue="Paper jams in the printer tray")
    vpn = make_article(title="VPN drops every ten minutes", issue="The VPN tunnel drops")
    agent = api_as(kb["people"]["agent"])
    status, page = agent.get("articles", q="vpn tunnel")
    assert status == 200 and [i["id"] for i in page["items"]] == [vpn.pk]
    status, page = agent.get("articles", suggest_for="my vpn keeps dropping")
    assert status == 200 and page["items"][0]["id"] == vpn.pk
    assert page["items"][0]["score"] > 0


def test_lists_cost_a_constant_number_of_statements(
    kb, api_as, make_article, open_incident, django_assert_max_num_queries
):
    people = kb["people"]
    agent = api_as(people["agent"])
    requester = api_as(people["requester"])
    incident = open_incident()

    def add(n):
        for i in range(n):
            article = make_article(
                title=f"Article {i}",
                confidence=Confidence.VALIDATED,
                audience=Audience.CUSTOMERS,
                organizations=[kb["orgs"]["retail"]],
                ci_classes=[],
            )
            ops.link_article(people["agent"], incident, article)
            ops.flag_article(people["requester"], article, reason="unclear")

    def measure():
        found = {}
        for client in (agent, requester):
            for path in (
                "articles",
                f"incidents/{incident.number}/articles",
                f"articles/{Article.objects.first().pk}/flags",
            ):
                with django_assert_max_num_queries(14):
                    status, page = client.get(path)
                assert status == 200, page
                found[(client, path)] = page["count"]
        with django_assert_max_num_queries(14):
            status, page = agent.get("licences")
        return found

    add(2)
    small = measure()
    add(8)
    large = measure()
    assert large[(agent, "articles")] == 10 and small[(agent, "articles")] == 2
    assert large[(requester, "articles")] == 10
    assert Flag.objects.count() == 10
