"""Every trigger an app's SQL files declare exists in the database, by name, on its table.

The names are listed once, in each app's ``sql/__init__.py`` (``TRIGGERS``); this test reads
that declaration and the database's own catalogue, so a migration that loses a trigger (SQLite
drops a table's triggers when it rebuilds the table) or one that nobody declared fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection

from steward.core import sql_files

pytestmark = pytest.mark.django_db

STEWARD_APPS = [c for c in apps.get_app_configs() if c.name.startswith("steward.")]


def database_triggers() -> dict[str, str]:
    """``{trigger: table}`` as the database lists them (not PostgreSQL's internal ones, such
    as those behind foreign keys)."""
    if connection.vendor == "postgresql":
        sql = (
            "SELECT t.tgname, c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal AND pg_table_is_visible(c.oid)"
        )
    else:
        sql = "SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(cursor.fetchall())


def sql_files_of(app_config) -> list[Path]:
    return sorted((Path(app_config.path) / "sql").glob("*.sql"))


def test_every_declared_trigger_exists_by_name_on_its_table():
    declared = sql_files.declared_triggers(connection.vendor)
    assert declared, f"no trigger declared for {connection.vendor}"
    assert database_triggers() == declared


@pytest.mark.parametrize("vendor", sql_files.VENDORS)
def test_each_declared_trigger_is_created_by_a_file_of_its_app(vendor):
    for config in STEWARD_APPS:
        if not (Path(config.path) / "sql" / "__init__.py").exists():
            continue
        created = {
            name
            for path in sql_files_of(config)
            if path.name.endswith(f".{vendor}.sql")
            for name in re.findall(
                r"CREATE (?:CONSTRAINT )?TRIGGER (?:IF NOT EXISTS )?(\w+)", path.read_text()
            )
        }
        module = __import__(f"{config.name}.sql", fromlist=["TRIGGERS"])
        assert set(module.TRIGGERS.get(vendor, {})) <= created, config.label


def test_sql_files_are_named_by_subject_and_vendor_and_sqlite_ones_split():
    pattern = re.compile(r"^[a-z_]+\.(postgresql|sqlite)(\.reverse)?\.sql$")
    names = [path for config in STEWARD_APPS for path in sql_files_of(config)]
    assert names
    for path in names:
        assert pattern.match(path.name), path
        if ".sqlite." in path.name:
            assert sql_files.sqlite_statements(path.read_text())


def test_sqlite_statements_join_lines_and_keep_a_trigger_whole():
    text = (
        "-- a comment\n"
        "CREATE TRIGGER IF NOT EXISTS t AFTER INSERT ON x BEGIN\n"
        "    INSERT INTO y VALUES (new.id);\n"
        "END;\n\n"
        "INSERT INTO y\nSELECT 1;\n"
    )
    assert sql_files.sqlite_statements(text) == [
        "CREATE TRIGGER IF NOT EXISTS t AFTER INSERT ON x BEGIN INSERT INTO y VALUES (new.id); END",
        "INSERT INTO y SELECT 1",
    ]
    with pytest.raises(ValueError, match="incomplete"):
        sql_files.sqlite_statements("CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1;")


def test_no_migration_imports_another_migration():
    for config in STEWARD_APPS:
        for path in (Path(config.path) / "migrations").glob("0*.py"):
            source = path.read_text()
            assert "import_module" not in source, path
            assert not re.search(r"from \S+\.migrations|import \S+\.migrations", source), path


class _SchemaEditor:
    """What ``recreate_triggers`` needs of a schema editor, on the test's connection."""

    connection = connection

    def execute(self, sql, params=()):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite drops triggers on a rebuild")
def test_recreate_triggers_puts_back_what_a_table_rebuild_dropped():
    before = database_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER incidents_tally_au")
        cursor.execute("DROP TRIGGER incidents_search_ai")
    operation = sql_files.recreate_triggers("incidents", "search_document", "queue_tallies")
    operation.code(apps, _SchemaEditor())
    assert database_triggers() == before
