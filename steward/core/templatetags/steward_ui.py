"""Template helpers of the UI shell: pagination links, journal values, sortable headers.

Pagination and sort headers are on every list page and are built here in Python with
``format_html`` (which escapes every value) rather than as included templates: a page of
numbered links through the template engine cost about 2 ms a page.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlencode

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils import dateformat, timezone
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from steward.core import journal
from steward.core.texts import Text

register = template.Library()


def query_with(request, **changes) -> str:
    """The request's query string with ``changes`` applied (``None`` removes a key; a changed
    key moves to the end). The rest of the query is encoded once per request and reused by
    every link of the page: page links and sort headers are a dozen links a list."""
    bases = request.__dict__.setdefault("_steward_query_bases", {})
    dropped = tuple(sorted(changes))
    base = bases.get(dropped)
    if base is None:
        params = request.GET.copy()
        for key in dropped:
            params.pop(key, None)
        base = bases[dropped] = params.urlencode()
    added = urlencode([(k, v) for k, v in changes.items() if v is not None])
    return f"?{base}&{added}" if base and added else f"?{base or added}"


@register.simple_tag(takes_context=True)
def pagination(context, page_obj):
    """The summary ("1-50 of 230") and the page links of a paginated list; nothing when the
    list is empty."""
    paginator = page_obj.paginator
    if not paginator.count:
        return ""
    text = (
        _("%(first)s–%(last)s of more than %(total)s")
        if getattr(paginator, "more", False)  # core/pagination.py: counted up to a limit
        else _("%(first)s–%(last)s of %(total)s")
    )
    summary = text % {
        "first": page_obj.start_index(),
        "last": page_obj.end_index(),
        "total": number_format(paginator.count, force_grouping=True),
    }
    links = ""
    if paginator.num_pages > 1:
        request = context["request"]
        items = [_step(request, page_obj.has_previous(), page_obj, -1, _("Previous"), "prev")]
        for n in page_range(page_obj):
            if n == paginator.ELLIPSIS:
                items.append(mark_safe("<span>…</span>"))
            else:
                current = mark_safe(' aria-current="page"') if n == page_obj.number else ""
                items.append(
                    format_html('<a href="{}"{}>{}</a>', query_with(request, page=n), current, n)
                )
        items.append(_step(request, page_obj.has_next(), page_obj, 1, _("Next"), "next"))
        links = format_html(
            "\n  <ul>{}</ul>", format_html_join("", "<li>{}</li>", ((i,) for i in items))
        )
    return format_html(
        '<nav class="pagination" aria-label="{}">\n  <p class="pagination__summary">{}</p>{}'
        "\n</nav>",
        _("Pages"),
        summary,
        links,
    )


def _step(request, enabled: bool, page_obj, delta: int, label: str, rel: str):
    if not enabled:
        return format_html('<span aria-disabled="true">{}</span>', label)
    target = page_obj.number + delta
    return format_html('<a href="{}" rel="{}">{}</a>', query_with(request, page=target), rel, label)


def page_range(page_obj):
    """Page numbers around the current one, with ``…`` for the gaps (Paginator.ELLIPSIS)."""
    return page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)


#: a timestamp as the journal stores it (ISO 8601 with a time zone)
_ISO_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)")


@register.filter
def journal_value(value) -> str:
    """One side of a journal change ({field: [before, after]}) as a short text for people;
    a timestamp in the reader's time zone, as the rest of the page shows times."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str) and _ISO_TIMESTAMP.fullmatch(value):
        moment = dt.datetime.fromisoformat(value)
        return dateformat.format(timezone.localtime(moment), "j M Y, H:i")
    if isinstance(value, dict):
        if "name" in value or "id" in value:
            return str(value.get("name", value.get("id", "")))
        # a set of named values (a CI's attributes): each one, in its order
        return "; ".join(f"{k}: {journal_value(v)}" for k, v in value.items()) or "—"
    if isinstance(value, list):
        return ", ".join(journal_value(v) for v in value) or "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def _choice(choices: dict, value) -> str:
    if choices and isinstance(value, str | int):
        value = choices.get(value, value)
    elif choices and isinstance(value, dict) and not ("name" in value or "id" in value):
        value = {str(choices.get(k, k)): v for k, v in value.items()}
    return journal_value(value)


@register.filter
def journal_changes(entry, record) -> list[tuple[str, str, str]]:
    """``(field label, before, after)`` of one journal entry, with choice values as labels."""
    rows = []
    for name, pair in entry.changes.items():
        before, after = ([*pair, None, None] if isinstance(pair, list) else [None, pair])[:2]
        label, choices = field_label(name), journal.choices_for(entry.record_type, name)
        try:
            field = record._meta.get_field(name)
        except (AttributeError, FieldDoesNotExist):
            field = None
        if field is not None and hasattr(field, "verbose_name"):
            if journal.words_for(name) is None:
                label = capfirst(field.verbose_name)
            choices = dict(field.flatchoices or ())
        rows.append((label, _choice(choices, before), _choice(choices, after)))
    return rows


#: words the journal's names spell in lower case that people write in capitals
_ACRONYMS = {"sla": "SLA", "ola": "OLA", "ci": "CI", "cab": "CAB", "raci": "RACI", "kpi": "KPI"}
_PRIORITY_WORD = re.compile(r"^p[1-5]$")


@register.filter
def journal_comment(entry) -> str:
    """An entry's comment in the reader's language when the system wrote it (a Text), else as
    written."""
    if entry.comment_text:
        return Text.from_json(entry.comment_text).render()
    return entry.comment


@register.filter
def field_label(name: str) -> str:
    """What people call a journal action or field, in their language when the app described it
    (``journal.describe``); else spelled out: ``time_zone`` → ``Time zone``; ``sla_started`` →
    ``SLA started``; ``p2`` → ``P2``."""
    described = journal.words_for(str(name))
    if described is not None:
        return str(described)
    words = str(name).replace("_", " ").capitalize().split(" ")
    return " ".join(
        _ACRONYMS.get(w.lower(), w.upper() if _PRIORITY_WORD.match(w.lower()) else w) for w in words
    )


@register.simple_tag(takes_context=True)
def sort_header(context, key: str, label: str):
    """A column header that sorts the list by ``key`` (again: the other way round)."""
    current = context.get("sort", "")
    ascending = current == key
    descending = current == f"-{key}"
    aria_sort = "ascending" if ascending else "descending" if descending else ""
    href = query_with(context["request"], sort=f"-{key}" if ascending else key, page=None)
    if not aria_sort:
        return format_html('<th scope="col"><a class="sort" href="{}">{}</a></th>', href, label)
    return format_html(
        '<th scope="col" aria-sort="{}"><a class="sort sort--{}" href="{}">{}</a></th>',
        aria_sort,
        aria_sort,
        href,
        label,
    )
