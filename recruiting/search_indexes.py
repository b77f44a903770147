"""Trigram indexes for the admin's searches, on PostgreSQL; other databases go without.

A search for part of a word (`icontains`, which PostgreSQL runs as
`UPPER(column::text) LIKE UPPER('%word%')`) can use no ordinary index: each such index
is built on that same expression with pg_trgm's operator class, so that a search reads the
rows that match rather than the whole table. SQLite reads the table, which it does quickly
at the sizes it serves.
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
