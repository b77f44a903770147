"""The SQL the ORM would run for an INSERT or an UPDATE, to send several as one statement.

On PostgreSQL a data-modifying statement can be a part (`WITH name AS (...)`) of another,
and the whole is atomic as any one statement is: several writes then cost one round trip
and no BEGIN or COMMIT of their own. The parts are compiled here by the ORM, from the same
querysets and values the other databases run one by one, so both say the same thing.
"""

from __future__ import annotations

from typing import Any

from django.db import connections, models, router
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
