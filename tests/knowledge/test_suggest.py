"""Suggestions while typing: any word may match, ranked, live articles only, read through the
audience rule; similar open and recent incidents; known errors' workarounds."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from steward.incidents.models import Incident
from steward.knowledge import operations as ops
from steward.knowledge import suggest
from steward.knowledge.choices import Audience, Confidence

pytestmark = pytest.mark.django_db

DISTRACTORS = [
    ("Printer prints blank pages", "The office printer prints empty pages.", "Replace the toner."),
    (
        "Outlook asks for the password again",
        "Outlook keeps asking for my password.",
        "Remove the stored credentials.",
    ),
    (
        "Wifi slow on the third floor",
        "The wireless network is slow upstairs.",
        "Move to the 5 GHz network.",
    ),
    (
        "VPN client will not install",
        "The VPN installer stops with an error.",
        "Run the installer as administrator.",
    ),
]


def _seed_distractors(make_article):
    for title, issue, resolution in DISTRACTORS:
        make_article(title=title, issue=issue, resolution=resolution)


def test_a_seeded_matching_article_comes_first(kb, make_article):
    _seed_distractors(make_article)
    seeded = make_article(
        title="Laptop battery drains overnight",
        issue="The laptop battery is empty every morning although it was switched off.",
        resolution="Disable fast startup in the power options.",
        keywords="battery power hibernate",
    )
    found = suggest.suggest_articles(
        kb["people"]["agent"], "my laptop battery is empty every morning", limit=5
    )
    assert found[0].article == seeded
    assert found[0].score > (found[1].score if len(found) > 1 else 0)


def test_any_word_matches_and_more_words_rank_higher(kb, make_article):
    one_word = make_article(title="Printer jams", issue="Paper jams in the printer tray.")
    two_words = make_article(
        title="Printer toner empty", issue="The printer says the toner is empty."
    )
    found = suggest.suggest_articles(kb["people"]["agent"], "printer toner zebra-unknown")
    assert [s.article for s in found][:2] == [two_words, one_word]


def test_a_word_being_typed_matches_as_a_prefix(kb, make_article):
    article = make_article(title="Certificate expired on the intranet")
    found = suggest.suggest_articles(kb["people"]["agent"], "certif")
    assert [s.article for s in found] == [article]


def test_title_weighs_more_than_the_resolution(kb, make_article):
    in_resolution = make_article(
        title="Screen flickers",
        issue="The screen flickers.",
        resolution="Update the docking firmware.",
    )
    in_title = make_article(
        title="Docking station not detected", issue="The laptop ignores the dock.",
        resolution="Reconnect the cable.",
    )  # fmt: skip
    found = suggest.suggest_articles(kb["people"]["agent"], "docking")
    assert [s.article for s in found] == [in_title, in_resolution]


def test_archived_articles_are_not_suggested(kb, make_article):
    make_article(title="Old fax server procedure", confidence=Confidence.ARCHIVED)
    live = make_article(title="Fax to email gateway", confidence=Confidence.VALIDATED)
    found = suggest.suggest_articles(kb["people"]["agent"], "fax")
    assert [s.article for s in found] == [live]


def test_an_edit_is_searchable_at_once(kb, make_article):
    article = make_article(title="Token reset")
    assert suggest.suggest_articles(kb["people"]["agent"], "authenticator") == []
    ops.update_article(
        kb["people"]["admin"], article, version=article.version,
        keywords="authenticator MFA",
    )  # fmt: skip
    found = suggest.suggest_articles(kb["people"]["agent"], "authenticator")
    assert [s.article for s in found] == [article]


def test_the_incident_service_lifts_its_articles(kb, make_article):
    services = kb["services"]
    treasury = make_article(
        title="Login page timeout", issue="The login page times out.",
        services=[services["corporate_live"]],
    )  # fmt: skip
    banking = make_article(
        title="Login page timeout", issue="The login page times out.",
        services=[services["retail_live"]],
    )  # fmt: skip
    agent = kb["people"]["agent"]
    for service, first in (
        (services["retail_live"], banking),
        (services["corporate_live"], treasury),
    ):
        found = suggest.suggest_articles(agent, "login timeout", service_id=service.pk)
        assert found[0].article == first


def test_common_words_alone_suggest_nothing(kb, make_article):
    make_article(title="The printer is not working")
    assert suggest.suggest_articles(kb["people"]["agent"], "it is not the") == []


def test_snippet_marks_the_words_and_leaves_markup_inert(kb, make_article):
    make_article(
        title="Scanner error",
        issue="The scanner shows <b>error 42</b> & stops; <script>alert(1)</script> here.",
    )
    [hit] = suggest.suggest_articles(kb["people"]["agent"], "scanner")
    assert "<mark>scanner</mark>" in hit.snippet
    assert "<script" not in hit.snippet and "<b>" not in hit.snippet
    assert "&amp;" in hit.snippet


# --- audience ------------------------------------------------------------------------------


@pytest.fixture
def audience_articles(kb, make_article):
    orgs = kb["orgs"]
    common = {"issue": "Payments to a foreign account are refused.", "keywords": "payment"}
    valid = {**common, "confidence": Confidence.VALIDATED}
    customers = {**valid, "audience": Audience.CUSTOMERS}
    return {
        "internal": make_article(title="Payment refused internal", **valid),
        "wip": make_article(title="Payment refused draft", **common),
        "public": make_article(title="Payment refused public", audience=Audience.PUBLIC, **valid),
        "retail": make_article(
            title="Payment refused retail", organizations=[orgs["retail"]], **customers
        ),
        "corporate": make_article(
            title="Payment refused corporate", organizations=[orgs["corporate"]], **customers
        ),
    }


def test_requesters_are_offered_only_what_their_audience_reads(kb, audience_articles):
    a = audience_articles
    people = kb["people"]
    retail = {s.article for s in suggest.suggest_articles(people["requester"], "payment refused")}
    corporate = {s.article for s in suggest.suggest_articles(people["outsider"], "payment refused")}
    staff = {
        s.article for s in suggest.suggest_articles(people["agent"], "payment refused", limit=10)
    }
    assert retail == {a["public"], a["retail"]}
    assert corporate == {a["public"], a["corporate"]}
    assert staff == set(a.values())


def test_hidden_articles_ranked_first_do_not_starve_a_requester(kb, make_article, monkeypatch):
    # the first round reads 4 ranked ids (limit 1: 4 candidates), all hidden: the second round
    # finds the public one
    monkeypatch.setattr(suggest, "BATCH", 2)
    public = make_article(
        title="Archive old mail", issue="When the mailbox is full.",
        confidence=Confidence.VALIDATED, audience=Audience.PUBLIC,
    )  # fmt: skip
    for n in range(7):
        make_article(
            title=f"Mailbox full {n}", issue="mailbox full mailbox full", keywords="mailbox"
        )
    for title in ("Printer jams", "Badge refused", "Screen flickers"):
        make_article(title=title)
    requester = kb["people"]["requester"]
    by_rank = suggest.ranked_article_ids(["mailbox", "full"], limit=10)
    assert by_rank[-1][0] == public.pk  # ranked below the seven hidden ones
    found = suggest.suggest_articles(requester, "mailbox full", limit=1)
    assert [s.article for s in found] == [public]
    monkeypatch.setattr(suggest, "MAX_SCANNED", 4)  # the scan is bounded
    assert suggest.suggest_articles(requester, "mailbox full", limit=1) == []


# --- similar incidents -----------------------------------------------------------------------


def test_similar_incidents_are_open_or_recent(kb, open_incident):
    agent = kb["people"]["agent"]
    group = kb["group"]
    current = open_incident(title="Badge reader at the entrance refuses badges", owning_group=group)
    recent_closed = open_incident(title="Badge reader broken", owning_group=group)
    old = open_incident(title="Badge reader offline", owning_group=group)
    unrelated = open_incident(title="Coffee machine leaks", owning_group=group)
    Incident.objects.filter(pk__in=[recent_closed.pk, old.pk]).update(status="cancelled")
    Incident.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=45))
    found = suggest.similar_incidents(agent, "badge reader refuses my badge", exclude=current)
    assert recent_closed in found and old not in found and unrelated not in found
    assert current not in found
    everything = suggest.similar_incidents(agent, "badge reader refuses my badge")
    assert everything[0] == current


def test_similar_incidents_follow_the_incident_visibility(kb, open_incident):
    open_incident(
        title="Treasury export fails",
        caller=kb["people"]["outsider"],
        service=kb["services"]["corporate_live"],
        owning_group=kb["group"],
    )
    assert suggest.similar_incidents(kb["people"]["requester"], "treasury export") == []
    assert len(suggest.similar_incidents(kb["people"]["agent"], "treasury export")) == 1
