"""Page links and sort headers of every list page (built in Python, escaped like templates)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.template import Context, Template
from django.test import RequestFactory

TEMPLATE = Template("{% load steward_ui %}{% pagination page_obj %}")


def render(query: str, count: int, page: int) -> str:
    request = RequestFactory().get(f"/things/?{query}")
    page_obj = Paginator(list(range(count)), 10).get_page(page)
    return TEMPLATE.render(Context({"request": request, "page_obj": page_obj}))


def test_links_keep_the_filters_and_mark_the_current_page():
    html = render("status=open&page=3", count=200, page=3)
    assert '<p class="pagination__summary">21–30 of 200</p>' in html
    assert '<a href="?status=open&amp;page=2" rel="prev">Previous</a>' in html
    assert '<a href="?status=open&amp;page=3" aria-current="page">3</a>' in html
    assert '<a href="?status=open&amp;page=4" rel="next">Next</a>' in html
    # pages around the current one and both ends, the gap elided
    assert '<a href="?status=open&amp;page=20">20</a>' in html
    assert "<li><span>…</span></li>" in html
    assert "page=10" not in html


def test_first_and_last_page_disable_their_step():
    first = render("", count=30, page=1)
    assert '<span aria-disabled="true">Previous</span>' in first
    assert 'rel="next"' in first
    last = render("", count=30, page=3)
    assert '<span aria-disabled="true">Next</span>' in last


def test_a_single_page_has_a_summary_and_no_links_and_an_empty_list_nothing():
    html = render("", count=7, page=1)
    assert "1–7 of 7" in html
    assert "<ul>" not in html
    assert render("", count=0, page=1) == ""


def test_query_values_stay_text():
    html = render('q="><script>alert(1)</script>', count=30, page=1)
    assert "<script>" not in html
    assert "q=%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E&amp;page=2" in html


def test_sort_header_links_drop_the_page_and_announce_the_order():
    template = Template('{% load steward_ui %}{% sort_header "name" "Name" %}')
    request = RequestFactory().get("/things/?q=a&page=4&sort=name")
    html = template.render(Context({"request": request, "sort": "name"}))
    assert html == (
        '<th scope="col" aria-sort="ascending">'
        '<a class="sort sort--ascending" href="?q=a&amp;sort=-name">Name</a></th>'
    )
    html = template.render(Context({"request": request, "sort": "-created"}))
    assert html == '<th scope="col"><a class="sort" href="?q=a&amp;sort=name">Name</a></th>'


def test_a_count_past_the_limit_reads_more_than_the_limit_and_pages_that_far(settings):
    from steward.core.pagination import CappedPaginator

    settings.STEWARD_LIST_COUNT_LIMIT = 1000
    request = RequestFactory().get("/things/")
    paginator = CappedPaginator(list(range(5000)), 10)
    html = TEMPLATE.render(Context({"request": request, "page_obj": paginator.get_page(1)}))
    assert "1–10 of more than 1,000" in html
    assert '<a href="?page=100">100</a>' in html and "page=101" not in html
    exact = CappedPaginator(list(range(1000)), 10)
    assert "1–10 of 1,000</p>" in TEMPLATE.render(
        Context({"request": request, "page_obj": exact.get_page(1)})
    )
