"""Index operations for migrations: trigram indexes for searches, statistics kept true.

Trigram indexes serve the admin's searches on PostgreSQL; other databases go without.

A search for part of a word (`icontains`, which PostgreSQL runs as
`UPPER(column::text) LIKE UPPER('%word%')`) can use no ordinary index: each such index
is built on that same expression with pg_trgm's operator class, so that a search reads the
rows that match rather than the whole table. SQLite has no such index; it scans, and a
plain index on a narrow column beside wide rows lets it scan the index instead.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

# index name: (table, the expression a search compares)
Indexes = dict[str, tuple[str, str]]


def trigram_indexes(indexes: Indexes) -> migrations.RunPython:
    """A migration operation creating these indexes on PostgreSQL, and dropping them back."""

    def create(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, (table, expression) in indexes.items():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
                f"USING gin ({expression} gin_trgm_ops)"
            )

    def drop(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            for name in indexes:
                schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return migrations.RunPython(create, drop)


def sqlite_index(name: str, table: str, column: str) -> migrations.RunPython:
    """A plain index on SQLite only: PostgreSQL has the trigram index, and a long text
    would not fit its B-tree."""

    def create(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({column})")

    def drop(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return migrations.RunPython(create, drop)


def statistics_refreshed(tables: list[str]) -> migrations.RunPython:
    """Analyse these tables again on SQLite, where statistics were gathered before.

    SQLite plans with the statistics ANALYZE last wrote; an index added since has none,
    and a plan weighing it against the others by guesswork sorted a million rows for a
    page of fifty. PostgreSQL's autovacuum analyses on its own.
    """

    def refresh(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "sqlite":
            return
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if cursor.fetchone() is None:
                return
            for table in tables:
                cursor.execute(f"ANALYZE {schema_editor.quote_name(table)}")

    return migrations.RunPython(refresh, migrations.RunPython.noop)


def fill_factor(table: str, percent: int) -> migrations.RunPython:
    """Leave room in each of the table's pages on PostgreSQL, for updates in place.

    An UPDATE that changes no indexed column and finds room on the row's own page writes
    no index entry (a heap-only tuple); on a full page it writes one in every index. Pages
    written from now on keep the room; older ones gain it as their rows move.
    """

    def alter(percent: int) -> Any:
        def run(apps: Any, schema_editor: Any) -> None:
            if schema_editor.connection.vendor == "postgresql":
                name = schema_editor.quote_name(table)
                schema_editor.execute(f"ALTER TABLE {name} SET (fillfactor = {percent})")

        return run

    return migrations.RunPython(alter(percent), alter(100))
