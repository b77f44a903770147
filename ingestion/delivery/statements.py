"""The SQL the ORM would run for an INSERT or an UPDATE, to send several as one statement,
or to run one often without compiling it each time.

On PostgreSQL a data-modifying statement can be a part (`WITH name AS (...)`) of another,
and the whole is atomic as any one statement is: several writes then cost one round trip
and no BEGIN or COMMIT of their own. The parts are compiled here by the ORM, from the same
querysets and values the other databases run one by one, so both say the same thing.
"""

from __future__ import annotations

from typing import Any

from django.db import connections, models, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet
from django.db.models.sql import InsertQuery, UpdateQuery

Statement = tuple[str, tuple[Any, ...]]


def update_sql(queryset: QuerySet, changes: dict[str, Any]) -> Statement:
    """The UPDATE `queryset.update(**changes)` would run."""
    query = queryset.query.chain(UpdateQuery)
    query.add_update_values(changes)
    # The database's own wrapper, not the `connection` proxy: a compiler asks it for its
    # features and operations a hundred times a statement, each through a thread-local.
    sql, params = query.get_compiler(connection=connections[queryset.db]).as_sql()
    return sql, tuple(params)


def insert_sql(model: type[models.Model], values: dict[str, Any]) -> Statement:
    """The INSERT `model.objects.create(**values)` would run, returning the new row's id."""
    row = model(**values)
    query = InsertQuery(model)
    query.insert_values([model._meta.get_field(name) for name in values], [row])
    compiler = query.get_compiler(connection=connections[router.db_for_write(model)])
    compiler.returning_fields = [model._meta.pk]
    [(sql, params)] = compiler.as_sql()
    return sql, tuple(params)


def together(parts: dict[str, Statement], last: Statement) -> Statement:
    """One statement: each part named, then `last`, which may read what the parts return."""
    named = ", ".join(f"{name} AS ({sql})" for name, (sql, _) in parts.items())
    params = [param for _, part_params in parts.values() for param in part_params]
    return f"WITH {named} {last[0]}", (*params, *last[1])


class RowUpdate:
    """`Model.objects.filter(pk=pk).update(**values)` for a fixed set of fields, written once
    per database: each call only prepares its values, as the fields do for the ORM. For an
    UPDATE run before every request, where compiling it cost more than running it."""

    def __init__(self, model: type[models.Model], *names: str) -> None:
        self.model = model
        self.fields = [model._meta.get_field(name) for name in names]
        self._sql: dict[str, str] = {}  # by database alias

    def __call__(self, pk: Any, **values: Any) -> int:
        """The number of rows changed: 0 when the row is gone."""
        connection = connections[router.db_for_write(self.model)]
        params = [field.get_db_prep_save(values[field.name], connection) for field in self.fields]
        params.append(self.model._meta.pk.get_db_prep_value(pk, connection))
        if (sql := self._sql.get(connection.alias)) is None:
            sql = self._sql[connection.alias] = self._written(connection)
        # As update() does: inside a transaction, a failure marks it for rollback.
        with (
            transaction.mark_for_rollback_on_error(connection.alias),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, params)
            return cursor.rowcount

    def _written(self, connection: BaseDatabaseWrapper) -> str:
        name = connection.ops.quote_name
        changes = ", ".join(f"{name(field.column)} = %s" for field in self.fields)
        meta = self.model._meta
        return f"UPDATE {name(meta.db_table)} SET {changes} WHERE {name(meta.pk.column)} = %s"
