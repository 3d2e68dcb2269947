"""Text search of problems: the number, or every word (as a word prefix) of the problem's
search document — its title, statement, workaround and root cause — kept by the database
(migration 0002): a PostgreSQL ``tsvector`` column with a GIN index, an SQLite FTS5 row."""

from __future__ import annotations

from steward.core.text_search import document_filter


def text_filter(qs, text: str):
    return document_filter(
        qs,
        text,
        table="problems_problem",
        fts_table="problems_search_fts",
        fallback=("title", "statement", "workaround"),
    )
