"""Raw SQL of the knowledge app, run by its migrations through ``core.sql_files``.

- ``search_document``: one weighted search document per article (title and keywords weigh
  most, then the issue, the resolution, the environment and cause), kept by triggers
  (migration 0002).
"""

#: the triggers these files leave in the database: ``{vendor: {trigger: table}}``
#: (``tests/core/test_triggers.py`` compares them with the database by name)
TRIGGERS = {
    "postgresql": {"knowledge_article_search": "knowledge_article"},
    "sqlite": {
        "knowledge_search_ai": "knowledge_article",
        "knowledge_search_au": "knowledge_article",
        "knowledge_search_ad": "knowledge_article",
    },
}
