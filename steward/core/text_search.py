"""Text search over a record's search document, kept by the database (the practice's
``sql/search_document.<vendor>.sql``): a PostgreSQL ``tsvector`` column ``search_document``
with a GIN index, or an SQLite FTS5 table whose rowid is the record's id.

A search is the record's number (exactly), or every word of the text as a word prefix. Words
are ``\\w+`` only, so nothing in a term needs escaping for ``to_tsquery``; FTS5 terms are
quoted."""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 8
_IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")


def document_filter(qs, text: str, *, table: str, fts_table: str, fallback: tuple[str, ...]):
    """``qs`` narrowed to the records of ``table`` whose number is ``text`` or whose search
    document holds every word of it (as a prefix). ``fallback``: the fields a database
    without either index searches with ``icontains``."""
    if not (_IDENTIFIER.match(table) and _IDENTIFIER.match(fts_table)):
        raise ValueError("table names are the practice's own identifiers")
    text = (text or "").strip()
    terms = WORD.findall(text)[:MAX_TERMS]
    # the table names are checked identifiers from code; the values are bound
    number_sql = f"SELECT id FROM {table} WHERE number = %s"  # noqa: S608
    if not terms:
        return qs.filter(pk__in=RawSQL(number_sql, [text.upper()]))  # noqa: S611 - bound
    vendor = connection.vendor
    if vendor == "postgresql":
        query = " & ".join(f"({t} | {t}:*)" for t in terms)
        match_sql = (
            f"SELECT id FROM {table} "  # noqa: S608
            "WHERE search_document @@ to_tsquery('simple'::regconfig, %s)"
        )
    elif vendor == "sqlite":
        query = " ".join('"' + t.replace('"', '""') + '"*' for t in terms)
        match_sql = f"SELECT rowid FROM {fts_table} WHERE {fts_table} MATCH %s"  # noqa: S608
    else:  # pragma: no cover - other databases fall back to a contains search
        match = Q()
        for t in terms:
            one = Q()
            for name in fallback:
                one |= Q(**{f"{name}__icontains": t})
            match &= one
        return qs.filter(Q(number__iexact=text) | match)
    return qs.filter(
        pk__in=RawSQL(f"{number_sql} UNION {match_sql}", [text.upper(), query])  # noqa: S611
    )
