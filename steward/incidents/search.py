"""Full-text search of incidents: the number, or every word anywhere in the incident.

An incident's search document — its title, description and comments; replies only for
requesters — is kept by the database (migration 0012): a PostgreSQL ``tsvector`` column with a
GIN index, an SQLite FTS5 row. :func:`text_filter` narrows any incident queryset with it.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import BooleanField, Expression, Q
from django.db.models.expressions import RawSQL

WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 8
#: Up to this many matches, a search hands the database the matching ids as a list.
FEW_MATCHES = 1000


def _terms(text: str) -> list[str]:
    return WORD.findall(text)[:MAX_TERMS]


class DocumentMatches(Expression):
    """``<incident>.<column> @@ to_tsquery('simple', query)``: PostgreSQL's search document of
    the incident (migration 0012), on the incident table's alias in whatever query it lands in
    (a subquery renames the table)."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, column: str, query: str):
        super().__init__()
        self.column, self.query = column, query

    def as_sql(self, compiler, connection):
        alias = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        column = f"{alias}.{connection.ops.quote_name(self.column)}"
        return f"{column} @@ to_tsquery('simple'::regconfig, %s)", [self.query]


def text_filter(qs, text: str, user):
    """Incidents in ``qs`` whose number is ``text``, or whose search document holds every word
    of ``text`` (as a word prefix). The document of an incident is its title, description and
    comments — only its replies for requesters, never work notes — kept by the database
    (migration 0012): a PostgreSQL ``tsvector`` column with a GIN index, an SQLite FTS5 row."""
    text = text.strip()
    terms = _terms(text)
    number_sql = "SELECT id FROM incidents_incident WHERE number = %s"  # numbers are upper case
    if not terms:
        return qs.filter(pk__in=RawSQL(number_sql, [text.upper()]))  # noqa: S611 - bound
    public_only = user is not None and not user.is_it
    vendor = connection.vendor
    if vendor == "postgresql":
        column = "search_public" if public_only else "search_document"
        # every word as itself or a prefix: the same matches as ``word:*`` alone, but PostgreSQL
        # estimates a whole word from its statistics (487,000 for "printer" where ``printer:*``
        # gave 20,000, and 1 for four common words): it then walks the list's order for a page
        # (5 ms) rather than collect every match and sort it (2.8 s)
        query = " & ".join(f"({t} | {t}:*)" for t in terms)  # \w+ only: nothing to escape
        match_sql = (
            f"SELECT id FROM incidents_incident "  # noqa: S608 - a fixed column name
            f"WHERE {column} @@ to_tsquery('simple'::regconfig, %s)"
        )
    elif vendor == "sqlite":
        column = "public_document" if public_only else "document"
        words = " ".join('"' + t.replace('"', '""') + '"*' for t in terms)
        query = f"{column} : ({words})"
        match_sql = "SELECT rowid FROM incidents_search_fts WHERE incidents_search_fts MATCH %s"
    else:  # pragma: no cover - other databases fall back to a contains search
        match = Q()
        for t in terms:
            match &= Q(title__icontains=t) | Q(description__icontains=t)
        return qs.filter(Q(number__iexact=text) | match)
    # When the matches are few (the usual search), they are read first and given to the query
    # as a list: the planner then knows how few they are and fetches them by primary key. Its
    # estimate for a word typed in part (a bare prefix) is far too high (20,000 for 500 matches
    # in a million), and it walked the whole table in sort order. The probe stops at the limit.
    params = [text.upper(), query]
    with connection.cursor() as cursor:
        cursor.execute(f"{number_sql} UNION ALL {match_sql} LIMIT {FEW_MATCHES + 1}", params)
        rows = cursor.fetchall()
    if len(rows) <= FEW_MATCHES:  # all of them (an id matched twice is listed once)
        return qs.filter(pk__in=sorted({row[0] for row in rows}))
    if vendor == "postgresql":
        # Many: a condition on the incident row itself. For a common word a page walks the
        # list's own order and checks each row's stored document; a count reads the GIN index
        # or stops at its limit. No set of every match is built.
        return qs.filter(Q(number=text.upper()) | Q(DocumentMatches(column, query)))
    return qs.filter(pk__in=RawSQL(f"{number_sql} UNION {match_sql}", params))  # noqa: S611
