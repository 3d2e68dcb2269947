"""Text search of problems: the number, or every word (as a word prefix) of the problem's
search document — its title, statement, workaround and root cause — kept by the database
(migration 0002): a PostgreSQL ``tsvector`` column with a GIN index, an SQLite FTS5 row."""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 8


def text_filter(qs, text: str):
    text = (text or "").strip()
    terms = WORD.findall(text)[:MAX_TERMS]
    number_sql = "SELECT id FROM problems_problem WHERE number = %s"  # numbers are upper case
    if not terms:
        return qs.filter(pk__in=RawSQL(number_sql, [text.upper()]))  # noqa: S611 - bound
    vendor = connection.vendor
    if vendor == "postgresql":
        query = " & ".join(f"({t} | {t}:*)" for t in terms)  # \w+ only: nothing to escape
        match_sql = (
            "SELECT id FROM problems_problem "
            "WHERE search_document @@ to_tsquery('simple'::regconfig, %s)"
        )
    elif vendor == "sqlite":
        query = " ".join('"' + t.replace('"', '""') + '"*' for t in terms)
        match_sql = "SELECT rowid FROM problems_search_fts WHERE problems_search_fts MATCH %s"
    else:  # pragma: no cover - other databases fall back to a contains search
        match = Q()
        for t in terms:
            match &= Q(title__icontains=t) | Q(statement__icontains=t) | Q(workaround__icontains=t)
        return qs.filter(Q(number__iexact=text) | match)
    return qs.filter(
        pk__in=RawSQL(f"{number_sql} UNION {match_sql}", [text.upper(), query])  # noqa: S611
    )
