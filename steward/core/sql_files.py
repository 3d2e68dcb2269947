"""Raw SQL kept in named files inside each app, run by its migrations.

An app's database-side SQL (triggers, trigger functions, search tables, their backfills) lives
in ``steward/<app>/sql/``, one file per subject and database vendor::

    <name>.<vendor>.sql           run forwards    (vendor: ``postgresql`` or ``sqlite``)
    <name>.<vendor>.reverse.sql   run backwards, when the file exists

A vendor without a file runs nothing. A migration names the file::

    operations = [run_sql_file("incidents", "queue_tallies")]

Nothing is substituted (a ``%`` is a ``%``). PostgreSQL runs a file as it is, in one call.
SQLite runs it one statement at a time, each statement's lines joined by single spaces: SQLite
keeps a trigger's text as written, and these triggers were first created from one-line
strings, so a fresh database stores the same text as one migrated before the files existed.
Comments (``--`` lines) go between statements in SQLite files, never inside one.

``steward/<app>/sql/__init__.py`` declares in ``TRIGGERS`` the triggers the app's files leave
in the database, ``{vendor: {trigger name: table}}``; ``tests/core/test_triggers.py`` compares
them by name with the database's own catalogue.
"""

from __future__ import annotations

import importlib
import sqlite3
from pathlib import Path

from django.apps import apps as global_apps
from django.db import migrations

VENDORS = ("postgresql", "sqlite")


def sql_path(app_label: str, name: str, vendor: str, *, reverse: bool = False) -> Path:
    """The file ``steward/<app>/sql/<name>.<vendor>[.reverse].sql`` (it may not exist)."""
    folder = Path(global_apps.get_app_config(app_label).path) / "sql"
    return folder / f"{name}.{vendor}{'.reverse' if reverse else ''}.sql"


def sqlite_statements(sql: str) -> list[str]:
    """The statements of an SQLite file, each on one line (its lines stripped and joined by
    single spaces) and without its final ``;``. A trigger's ``BEGIN ... END;`` is one
    statement; comment lines between statements are dropped."""
    result: list[str] = []
    pending: list[str] = []
    for line in sql.splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("--")):
            continue
        if line.lstrip().startswith("--"):
            raise ValueError(f"a comment inside an SQLite statement: {line.strip()!r}")
        pending.append(line.strip())
        text = " ".join(pending)
        if sqlite3.complete_statement(text):
            result.append(text.removesuffix(";").rstrip())
            pending = []
    if pending:
        raise ValueError(f"incomplete SQL statement at the end: {' '.join(pending)[:80]!r}")
    return result


def _execute(schema_editor, path: Path, *, only_triggers: bool = False) -> None:
    if not path.exists():
        return
    sql = path.read_text(encoding="utf-8")
    if schema_editor.connection.vendor != "sqlite":
        # params=None: the text is not a format string, and without parameters the driver
        # sends it as one simple query, which may hold several statements
        schema_editor.execute(sql, params=None)
        return
    for statement in sqlite_statements(sql):
        if only_triggers and not statement.upper().startswith("CREATE TRIGGER"):
            continue
        schema_editor.execute(statement, params=None)


class RunSQLFile(migrations.RunPython):
    """Runs ``<name>.<vendor>.sql`` of an app forwards and ``<name>.<vendor>.reverse.sql``
    backwards (``undo=True`` swaps them: the operation removes what the file made)."""

    def __init__(self, app_label: str, name: str, *, undo: bool = False):
        self.app_label, self.name, self.undo = app_label, name, undo
        if not any(
            sql_path(app_label, name, vendor, reverse=reverse).exists()
            for vendor in VENDORS
            for reverse in (False, True)
        ):
            raise FileNotFoundError(f"no SQL file {app_label}/sql/{name}.<vendor>.sql")
        super().__init__(self._run(reverse=undo), self._run(reverse=not undo))

    def _run(self, *, reverse: bool):
        def run(apps, schema_editor):
            vendor = schema_editor.connection.vendor
            _execute(schema_editor, sql_path(self.app_label, self.name, vendor, reverse=reverse))

        return run

    def describe(self):
        verb = "Undo" if self.undo else "Run"
        return f"{verb} {self.app_label}/sql/{self.name}.<vendor>.sql"


def run_sql_file(app_label: str, name: str) -> RunSQLFile:
    """A migration operation running the app's ``<name>.<vendor>.sql`` for the database in use
    (and ``<name>.<vendor>.reverse.sql`` when migrating backwards)."""
    return RunSQLFile(app_label, name)


def undo_sql_file(app_label: str, name: str) -> RunSQLFile:
    """The reverse of :func:`run_sql_file`: a later migration that retires what a file made
    runs its ``.reverse.sql`` forwards (and the file itself backwards)."""
    return RunSQLFile(app_label, name, undo=True)


def recreate_triggers(app_label: str, *names: str) -> migrations.RunPython:
    """SQLite drops a table's triggers when a migration rebuilds the table (a stored generated
    column, a changed column type...): such a migration ends with this operation, which runs
    again the ``CREATE TRIGGER IF NOT EXISTS`` statements of the named files. Nothing happens
    on PostgreSQL, which alters tables in place."""

    for name in names:
        if not sql_path(app_label, name, "sqlite").exists():
            raise FileNotFoundError(f"no SQL file {app_label}/sql/{name}.sqlite.sql")

    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        for name in names:
            _execute(schema_editor, sql_path(app_label, name, "sqlite"), only_triggers=True)

    return migrations.RunPython(run, migrations.RunPython.noop)


def declared_triggers(vendor: str) -> dict[str, str]:
    """``{trigger: table}`` of every installed app's ``sql.TRIGGERS`` for ``vendor``."""
    declared: dict[str, str] = {}
    for config in global_apps.get_app_configs():
        if not (Path(config.path) / "sql" / "__init__.py").exists():
            continue
        module = importlib.import_module(f"{config.name}.sql")
        for trigger, table in module.TRIGGERS.get(vendor, {}).items():
            if trigger in declared:
                raise ValueError(f"trigger {trigger} declared twice")
            declared[trigger] = table
    return declared
