"""Text search of articles for lists and the global search: the number, or every word (as a
word prefix) of the article's search document — title, keywords, issue, resolution,
environment and cause — kept by the database (migration 0002). Suggestions, which rank and
accept any word, are ``knowledge.suggest``."""

from __future__ import annotations

from steward.core.text_search import document_filter


def text_filter(qs, text: str):
    return document_filter(
        qs,
        text,
        table="knowledge_article",
        fts_table="knowledge_search_fts",
        fallback=("title", "keywords", "issue", "resolution"),
    )
