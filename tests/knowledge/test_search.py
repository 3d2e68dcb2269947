"""Text search of articles for lists and the global search (every word as a prefix, or the
number), kept by the database's triggers."""

from __future__ import annotations

import pytest

from steward.knowledge import operations as ops
from steward.knowledge import search
from steward.knowledge.models import Article

pytestmark = pytest.mark.django_db


def _found(text):
    return set(search.text_filter(Article.objects.all(), text))


def test_every_word_must_match_as_a_prefix(kb, make_article):
    vpn = make_article(title="VPN drops on hotel wifi", keywords="tunnel")
    wifi = make_article(
        title="Guest wifi voucher", issue="A visitor needs internet.", resolution="Print one."
    )
    assert _found("wifi") == {vpn, wifi}
    assert _found("vpn wif") == {vpn}
    assert _found("tunn") == {vpn}  # keywords are part of the document
    assert _found("vpn voucher") == set()


def test_the_number_finds_the_article(kb, make_article):
    article = make_article()
    make_article(title="Something else")
    assert _found(article.number.lower()) == {article}


@pytest.mark.parametrize("field", ["issue", "resolution", "environment", "cause"])
def test_each_part_of_the_article_is_searched(kb, make_article, field):
    article = make_article(**{field: "Quarantined by the zebrafirewall appliance"})
    assert _found("zebrafirewall") == {article}


def test_an_edit_replaces_the_old_words(kb, make_article):
    article = make_article(title="Fax gateway refuses numbers")
    ops.update_article(
        kb["people"]["admin"], article, version=article.version, title="Telefax relay rejects"
    )
    assert _found("gateway") == set()
    assert _found("telefax") == {article}


def test_a_deleted_article_leaves_no_document(kb, make_article):
    article = make_article(title="Obsolete pager procedure")
    Article.objects.filter(pk=article.pk).delete()
    from steward.knowledge import suggest

    assert suggest.ranked_article_ids(["pager"], limit=5) == []
