"""One search document per incident: its title, description and comments, kept by the database.

Before, a search matched three sources — the number, the incident's title and description, and
each comment — as a UNION of ids. A word in half of a million incidents made PostgreSQL gather
and de-duplicate half a million ids before it could page or count (3.7 s for one list page).
Now every incident carries two documents, one with all its comments (what IT staff search) and
one with its replies only (what requesters search, never work notes), indexed on the incident
row itself: a page walks the list's own order and checks each row's document, a count reads
the document index, and a word in the title and another in a note find the incident together.

PostgreSQL: two ``tsvector`` columns (``search_document``, ``search_public``) with GIN indexes,
set by triggers when an incident is written and when a comment is added, changed or removed.
They are not model fields: Django never reads or writes them (search.text_filter names them).
SQLite: one FTS5 table ``incidents_search_fts`` (rowid = incident id; columns ``document`` and
``public_document``) kept by triggers the same way.

The triggers are the database's index upkeep, not business logic. The SQL is in
``incidents/sql/search_document.<vendor>.sql``. On SQLite a migration that rebuilds
``incidents_incident`` drops its triggers: such a migration must create them again
(``core.sql_files.recreate_triggers``, as 0011 did for 0004).
"""

from django.db import migrations

from steward.core.sql_files import run_sql_file, undo_sql_file


class Migration(migrations.Migration):
    dependencies = [("incidents", "0011_queue_indexes")]

    operations = [
        # the per-source search of 0004 is not read any more
        undo_sql_file("incidents", "full_text_search"),
        run_sql_file("incidents", "search_document"),
    ]
