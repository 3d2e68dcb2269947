"""What knowledge contributes elsewhere: the global search (a requester finds only what their
audience allows), the start page's "My knowledge work", the ownership gaps (flags left open,
domains with Candidates and no coach, an owner who left) and the journal's words."""

from __future__ import annotations

import datetime as dt

import pytest

from steward.core import clock, journal
from steward.core.registry import home_panels
from steward.knowledge import operations as ops
from steward.knowledge import registrations as r
from steward.knowledge.choices import LicenceLevel
from steward.knowledge.models import Licence
from steward.ownership import gaps

pytestmark = pytest.mark.django_db


def test_the_global_search_reads_through_the_audience(kb, make_article):
    people = kb["people"]
    make_article(title="Printer prints blank pages")  # internal draft
    public = make_article(title="Printer on floor 3", confidence="validated", audience="public")
    corporate = make_article(
        title="Printer for corporate desks",
        confidence="validated",
        audience="customers",
        organizations=[kb["orgs"]["corporate"]],
    )
    staff_hits = r.search_articles(people["agent"], "printer", 10)
    assert len(staff_hits) == 3 and all(h.kind == "article" for h in staff_hits)
    hits = r.search_articles(people["requester"], "printer", 10)
    assert [h.url for h in hits] == [public.get_absolute_url()]
    hits = r.search_articles(people["outsider"], "printer", 10)
    assert {h.url for h in hits} == {public.get_absolute_url(), corporate.get_absolute_url()}
    assert "Internal" not in " ".join(h.summary for h in hits)


def test_my_knowledge_work(kb, make_article):
    people = kb["people"]
    draft = make_article(title="My draft")
    flagged = make_article(title="Flagged one", confidence="validated")
    ops.flag_article(people["agent"], flagged, reason="unclear")
    count, rows = r.my_knowledge_work(people["candidate"], 5)
    assert count == 2
    labels = [label for label, _url, _meta in rows]
    assert labels[0].endswith("Flagged one") and any(label.endswith("My draft") for label in labels)
    assert draft.get_absolute_url() in [url for _l, url, _m in rows]
    # the coach sees the queue's count first
    count, rows = r.my_knowledge_work(people["coach"], 5)
    assert rows[0][1] == "/knowledge/coach/" and "2 articles to coach" in rows[0][0]
    assert count == len(rows) == 1  # the coach owns nothing: one row, the queue
    assert any(p.key == "knowledge_mine" for p in home_panels())


def test_ownership_gaps(kb, make_article, make_user):
    people = kb["people"]
    admin = people["admin"]
    article = make_article(people["contributor"], title="Old flag")
    with clock.simulated(clock.now() - dt.timedelta(days=20)):
        ops.flag_article(people["agent"], article, reason="outdated")
    recent = make_article(title="Recent flag")
    ops.flag_article(people["agent"], recent, reason="outdated")
    found = r.old_flags()
    assert [g["record"]["id"] for g in found] == [article.pk]
    assert found[0]["fix_by"]["id"] == people["contributor"].pk
    # the start page asks for the owner's gaps only, and finds it
    needing = gaps.collect_needing(people["contributor"])
    assert [g["record"]["id"] for g in needing if g["kind"] == "article_flag_unanswered"] == [
        article.pk
    ]
    assert not [g for g in gaps.collect_needing(people["agent"]) if g["kind"].startswith("article")]
    # Candidates in the Network category and no coach there (the coach is Online Banking's)
    ops.grant_licence(
        admin, user=people["candidate"], level=LicenceLevel.CANDIDATE,
        category=kb["categories"]["network"],
    )  # fmt: skip
    found = r.domains_without_coach()
    assert len(found) == 1 and "Network" in found[0]["problem"]
    ops.grant_licence(admin, user=people["agent"], level=LicenceLevel.CONTRIBUTOR, coach=True)
    assert r.domains_without_coach() == []
    # an owner who left
    leaver = make_user("leaver", roles=["agent"])
    left = make_article(leaver, title="Left behind")
    leaver.is_active = False
    leaver.save(update_fields=["is_active"])
    found = r.inactive_owners()
    assert [g["record"]["id"] for g in found] == [left.pk]
    kinds = {p.kind for p in gaps.providers()}
    assert {"article_flag_unanswered", "knowledge_domain_without_coach"} <= kinds
    assert Licence.objects.count() >= 7


def test_the_journal_has_words_for_every_action():
    for action in ("confidence_changed", "audience_changed", "flag_resolved", "article_linked"):
        assert journal.words_for(action) is not None, action
