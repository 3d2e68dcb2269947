"""Raw SQL of the changes app, run by its migrations through ``core.sql_files``.

- ``search_document``: one search document per change (title, description and reason), kept by
  triggers (migration 0003).
"""

#: the triggers these files leave in the database: ``{vendor: {trigger: table}}``
#: (``tests/core/test_triggers.py`` compares them with the database by name)
TRIGGERS = {
    "postgresql": {"changes_change_search": "changes_changerequest"},
    "sqlite": {
        "changes_search_ai": "changes_changerequest",
        "changes_search_au": "changes_changerequest",
        "changes_search_ad": "changes_changerequest",
    },
}
