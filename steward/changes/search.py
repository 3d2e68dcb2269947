"""Text search of changes: the number, or every word (as a word prefix) of the change's search
document — its title, description and reason — kept by the database (migration 0003)."""

from __future__ import annotations

from steward.core.text_search import document_filter


def text_filter(qs, text: str):
    return document_filter(
        qs,
        text,
        table="changes_changerequest",
        fts_table="changes_search_fts",
        fallback=("title", "description", "reason"),
    )
