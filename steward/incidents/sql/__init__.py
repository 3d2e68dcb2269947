"""Raw SQL of the incidents app, run by its migrations through ``core.sql_files``.

- ``full_text_search``: per-source full-text indexes (migration 0004), retired by 0012;
- ``search_document``: one search document per incident, kept by triggers (0012);
- ``queue_tallies``: active incidents per (owning group, assignee), kept by triggers (0014).
"""

#: the triggers these files leave in the database: ``{vendor: {trigger: table}}``
#: (``tests/core/test_triggers.py`` compares them with the database by name)
TRIGGERS = {
    "postgresql": {
        "incidents_incident_search_insert": "incidents_incident",
        "incidents_incident_search_update": "incidents_incident",
        "incidents_comment_search": "incidents_comment",
        "incidents_queue_tally": "incidents_incident",
    },
    "sqlite": {
        "incidents_search_ai": "incidents_incident",
        "incidents_search_au": "incidents_incident",
        "incidents_search_ad": "incidents_incident",
        "incidents_search_comment_ai": "incidents_comment",
        "incidents_search_comment_ad": "incidents_comment",
        "incidents_search_comment_au": "incidents_comment",
        "incidents_tally_ai": "incidents_incident",
        "incidents_tally_au": "incidents_incident",
        "incidents_tally_ad": "incidents_incident",
    },
}
