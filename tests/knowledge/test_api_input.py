"""Bad input on every knowledge endpoint: the one error shape, naming the field, and nothing
written."""

from __future__ import annotations

import pytest

from steward.core.models import JournalEntry
from steward.knowledge import operations as ops
from steward.knowledge.models import (
    Article,
    ArticleVersion,
    Flag,
    IncidentArticle,
    Licence,
)

pytestmark = pytest.mark.django_db


def written():
    return (
        list(Article.objects.values_list("pk", "version", "title", "confidence", "audience")),
        ArticleVersion.objects.count(),
        list(Flag.objects.values_list("pk", "status")),
        IncidentArticle.objects.count(),
        list(Licence.objects.values_list("pk", "version", "level", "coach")),
        JournalEntry.objects.count(),
    )


def refused(answer, status, field, expected=422):
    assert status == expected, answer
    assert set(answer) == {"error"}
    assert set(answer["error"]) == {"code", "message", "fields"}
    assert field in answer["error"]["fields"], answer


@pytest.fixture
def setup(kb, make_article, open_incident, api_as):
    article = make_article(kb["people"]["agent"])
    validated = make_article(kb["people"]["agent"], confidence="validated")
    flag = ops.flag_article(kb["people"]["candidate"], article, reason="wrong")
    return {
        "admin": api_as(kb["people"]["admin"]),
        "article": article,
        "validated": validated,
        "flag": flag,
        "incident": open_incident(),
        "licence": Licence.objects.get(user=kb["people"]["publisher"]),
    }


CREATE_BAD = [
    ({"issue": "x"}, "title"),
    ({"title": "", "issue": "x"}, "title"),
    ({"title": "a\nb", "issue": "x"}, "title"),
    ({"title": "x" * 201, "issue": "x"}, "title"),
    ({"title": "x"}, "issue"),
    ({"title": "x", "issue": "<script></script>"}, "issue"),
    ({"title": "x", "issue": "a\x00b"}, "issue"),
    ({"title": "x", "issue": "y", "language": "english"}, "language"),
    ({"title": "x", "issue": "y", "keywords": 5}, "keywords"),
    ({"title": "x", "issue": "y", "services": [999999]}, "services"),
    ({"title": "x", "issue": "y", "services": ["1"]}, "services"),
    ({"title": "x", "issue": "y", "ci_classes": [999999]}, "ci_classes"),
    ({"title": "x", "issue": "y", "category": 999999}, "category"),
    ({"title": "x", "issue": "y", "owner": 999999}, "owner"),
    ({"title": "x", "issue": "y", "created_from": "INC999999"}, "created_from"),
    ({"title": "x", "issue": "y", "problem": "PRB999999"}, "problem"),
    ({"title": "x", "issue": "y", "confidence": "validated"}, "confidence"),
]


@pytest.mark.parametrize(("body", "field"), CREATE_BAD)
def test_create(setup, body, field):
    before = written()
    status, answer = setup["admin"].post("articles", body)
    refused(answer, status, field)
    assert written() == before


def test_create_with_a_requester_as_owner(kb, setup):
    before = written()
    status, answer = setup["admin"].post(
        "articles", {"title": "x", "issue": "y", "owner": kb["people"]["requester"].pk}
    )
    refused(answer, status, "owner")
    assert written() == before


UPDATE_BAD = [
    ({"title": "x"}, "version"),
    ({"version": "1", "title": "x"}, "version"),
    ({"version": 0, "title": "x"}, "version"),
    ({"version": 1, "title": None}, "title"),
    ({"version": 1, "issue": ""}, "issue"),
    ({"version": 1, "owner": None}, "owner"),
    ({"version": 1, "services": None}, "services"),
    ({"version": 1, "language": "EN"}, "language"),
    ({"version": 1, "category": 999999}, "category"),
    ({"version": 1, "number": "KB1"}, "number"),
    ({"version": 1, "summary": "a\nb"}, "summary"),
]


@pytest.mark.parametrize(("body", "field"), UPDATE_BAD)
def test_update(setup, body, field):
    before = written()
    status, answer = setup["admin"].patch(f"articles/{setup['article'].pk}", body)
    refused(answer, status, field)
    assert written() == before


def test_update_stale_and_missing(setup):
    before = written()
    status, answer = setup["admin"].patch(
        f"articles/{setup['article'].pk}", {"version": 9, "title": "x"}
    )
    refused(answer, status, "version", 409)
    status, answer = setup["admin"].patch("articles/999999", {"version": 1, "title": "x"})
    assert status == 404 and answer["error"]["code"] == "not_found"
    status, answer = setup["admin"].get("articles/0")
    refused(answer, status, "article_id")
    assert written() == before


STATE_BAD = [
    ({"confidence": "validated"}, "version", 422),
    ({"version": 1}, "confidence", 422),
    ({"version": 1, "confidence": "gold"}, "confidence", 422),
    ({"version": 1, "confidence": "validated", "audience": "public"}, "confidence", 422),
    ({"version": 1, "confidence": "validated", "organizations": [1]}, "organizations", 422),
    ({"version": 1, "audience": "public", "comment": "hi"}, "comment", 422),
    ({"version": 1, "audience": "public"}, "audience", 422),  # not validated
    ({"version": 1, "audience": "everyone"}, "audience", 422),
    ({"version": 2, "confidence": "not_validated"}, "version", 409),
    ({"version": 1, "confidence": "wip"}, "confidence", 409),  # wip -> wip
]


@pytest.mark.parametrize(("body", "field", "expected"), STATE_BAD)
def test_state(setup, body, field, expected):
    before = written()
    status, answer = setup["admin"].post(f"articles/{setup['article'].pk}/state", body)
    refused(answer, status, field, expected)
    assert written() == before


def test_customers_need_organisations(setup):
    before = written()
    validated = setup["validated"]
    path = f"articles/{validated.pk}/state"
    status, answer = setup["admin"].post(
        path, {"version": validated.version, "audience": "customers"}
    )
    refused(answer, status, "organizations")
    status, answer = setup["admin"].post(
        path, {"version": validated.version, "audience": "customers", "organizations": [999999]}
    )
    refused(answer, status, "organizations")
    assert written() == before


def test_versions_and_flags(setup):
    before = written()
    admin, article = setup["admin"], setup["article"]
    status, answer = admin.get(f"articles/{article.pk}/versions", limit=0)
    refused(answer, status, "limit")
    status, answer = admin.get(f"articles/{article.pk}/versions/0")
    refused(answer, status, "revision")
    for body, field in (
        ({}, "reason"),
        ({"reason": "ugly"}, "reason"),
        ({"reason": "wrong", "comment": 4}, "comment"),
        ({"reason": "wrong", "extra": 1}, "extra"),
    ):
        status, answer = admin.post(f"articles/{article.pk}/flags", body)
        refused(answer, status, field)
    flag_path = f"articles/{article.pk}/flags/{setup['flag'].pk}"
    status, answer = admin.patch(flag_path, {"status": "open"})
    refused(answer, status, "status")
    status, answer = admin.patch(f"articles/{article.pk}/flags/999999", {"status": "fixed"})
    assert status == 404
    status, answer = admin.get(f"articles/{article.pk}/flags", offset=-1)
    refused(answer, status, "offset")
    assert written() == before


def test_links(setup):
    before = written()
    admin, number = setup["admin"], setup["incident"].number
    for body, field in (
        ({}, "article"),
        ({"article": "1"}, "article"),
        ({"article": 999999}, "article"),
        ({"article": 0}, "article"),
    ):
        status, answer = admin.post(f"incidents/{number}/articles", body)
        refused(answer, status, field)
    status, answer = admin.post("incidents/INC999999/articles", {"article": setup["article"].pk})
    assert status == 404
    status, answer = admin.delete(f"incidents/{number}/articles/{setup['article'].pk}")
    refused(answer, status, "article", 404)
    assert written() == before


def test_lists(setup):
    admin = setup["admin"]
    for params, field in (
        ({"confidence": "gold"}, "confidence"),
        ({"queue": "everything"}, "queue"),
        ({"sort": "random"}, "sort"),
        ({"service": "x"}, "service"),
        ({"q": "x" * 201}, "q"),
        ({"language": "English"}, "language"),
    ):
        status, answer = admin.get("articles", **params)
        refused(answer, status, field)
    # control characters in a query string are refused before any schema (400)
    status, answer = admin.get("articles", suggest_for="a\x01b")
    refused(answer, status, "suggest_for", 400)


def test_licences(kb, setup):
    before = written()
    admin, licence = setup["admin"], setup["licence"]
    people = kb["people"]
    for body, field in (
        ({"level": "publisher"}, "user"),
        ({"user": people["candidate"].pk, "level": "guru"}, "level"),
        ({"user": 999999, "level": "publisher"}, "user"),
        ({"user": people["requester"].pk, "level": "publisher"}, "user"),
        ({"user": people["candidate"].pk, "level": "publisher", "service": 999999}, "service"),
        ({"user": people["candidate"].pk, "level": "publisher", "category": 999999}, "category"),
        ({"user": people["candidate"].pk, "level": "publisher", "coach": "yes"}, "coach"),
        (
            {
                "user": people["candidate"].pk,
                "level": "publisher",
                "service": kb["services"]["retail_live"].pk,
                "category": kb["categories"]["network"].pk,
            },
            "category",
        ),
    ):
        status, answer = admin.post("licences", body)
        refused(answer, status, field)
    status, answer = admin.post(
        "licences",
        {
            "user": people["publisher"].pk,
            "level": "contributor",
            "service": kb["services"]["retail_live"].pk,
        },
    )
    refused(answer, status, "service", 409)
    for body, field in (
        ({"level": "publisher"}, "version"),
        ({"version": 1, "level": "guru"}, "level"),
        ({"version": 1, "coach": None}, "coach"),
        ({"version": 5, "coach": True}, "version"),
    ):
        status, answer = admin.patch(f"licences/{licence.pk}", body)
        refused(answer, status, field, 409 if field == "version" and "coach" in body else 422)
    status, answer = admin.delete(f"licences/{licence.pk}")
    refused(answer, status, "version")
    status, answer = admin.delete(f"licences/{licence.pk}?version=abc")
    refused(answer, status, "version")
    status, answer = admin.get("licences", level="guru")
    refused(answer, status, "level")
    assert written() == before
