"""Raw SQL of the core app, run by its migrations through ``core.sql_files.run_sql_file``."""

#: the triggers these files leave in the database: ``{vendor: {trigger: table}}``
#: (``tests/core/test_triggers.py`` compares them with the database by name)
TRIGGERS = {
    "postgresql": {"core_journal_append_only": "core_journalentry"},
    "sqlite": {},
}
