"""Raw SQL of the problems app, run by its migrations through ``core.sql_files``.

- ``search_document``: one search document per problem (title, statement, workaround and the
  root cause of its analysis), kept by triggers (migration 0002).
"""

#: the triggers these files leave in the database: ``{vendor: {trigger: table}}``
#: (``tests/core/test_triggers.py`` compares them with the database by name)
TRIGGERS = {
    "postgresql": {
        "problems_problem_search": "problems_problem",
        "problems_rca_search": "problems_rootcauseanalysis",
    },
    "sqlite": {
        "problems_search_ai": "problems_problem",
        "problems_search_au": "problems_problem",
        "problems_search_ad": "problems_problem",
        "problems_search_rca_ai": "problems_rootcauseanalysis",
        "problems_search_rca_au": "problems_rootcauseanalysis",
        "problems_search_rca_ad": "problems_rootcauseanalysis",
    },
}
