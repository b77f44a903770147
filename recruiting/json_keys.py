"""The keys that JSON objects in a column hold, across the rows of a queryset.

An export writes a column for every key any row has, before its first row: asking the
database for the keys (its JSON functions, in C) lets the rows then be read once, as a
stream, rather than twice or all at once.
"""

from __future__ import annotations

from django.db import connections, transaction
from django.db.models import QuerySet

# Where the objects are: a column holding one, or a list of items each holding one.
POSTGRES_OBJECT = "CASE WHEN jsonb_typeof({json}) = 'object' THEN {json} ELSE '{{}}'::jsonb END"
POSTGRES_LIST = "CASE WHEN jsonb_typeof({json}) = 'array' THEN {json} ELSE '[]'::jsonb END"
SQLITE_OBJECT = "CASE WHEN json_type({json}) = 'object' THEN {json} ELSE '{{}}' END"
# json_type reads its path itself: a text value extracted first would not be JSON.
SQLITE_LIST = (
    "CASE WHEN json_type({json}, '$.{items}') = 'array' "
    "THEN json_extract({json}, '$.{items}') ELSE '[]' END"
)
SQLITE_MEMBER = (
    "CASE WHEN item.type <> 'object' THEN '{{}}' "
    "WHEN json_type(item.value, '$.{member}') = 'object' "
    "THEN json_extract(item.value, '$.{member}') ELSE '{{}}' END"
)


def object_keys(
    queryset: QuerySet, *, column: str, items: str | None = None, member: str | None = None
) -> list[str]:
    """Every key of `column`'s objects, or of `column[items][*][member]`'s; sorted."""
    connection = connections[queryset.db]
    subquery, params = queryset.order_by().values("pk").query.sql_with_params()
    table = connection.ops.quote_name(queryset.model._meta.db_table)
    pk = connection.ops.quote_name(queryset.model._meta.pk.column)
    json = f"t.{connection.ops.quote_name(column)}"
    if connection.vendor == "postgresql":
        sources, key = _postgres_sources(json, items, member), "k"
    else:
        sources, key = _sqlite_sources(json, items, member), "k.key"
    sql = f"SELECT DISTINCT {key} FROM {table} t, {sources} WHERE t.{pk} IN ({subquery}) ORDER BY 1"
    with transaction.atomic(using=queryset.db), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The planner guesses a hundred keys per JSON function call, so ten thousand
            # rows look like millions and the query gets compiled first (JIT): 200 ms
            # spent to save none.
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        return [found for (found,) in cursor.fetchall()]


def _postgres_sources(json: str, items: str | None, member: str | None) -> str:
    if items is None:
        return f"LATERAL jsonb_object_keys({POSTGRES_OBJECT.format(json=json)}) AS k"
    listed = POSTGRES_LIST.format(json=f"{json} -> '{items}'")
    inner = POSTGRES_OBJECT.format(json=f"item -> '{member}'")
    return (
        f"LATERAL jsonb_array_elements({listed}) AS item, LATERAL jsonb_object_keys({inner}) AS k"
    )


def _sqlite_sources(json: str, items: str | None, member: str | None) -> str:
    if items is None:
        return f"json_each({SQLITE_OBJECT.format(json=json)}) AS k"
    listed = SQLITE_LIST.format(json=json, items=items)
    inner = SQLITE_MEMBER.format(member=member)
    return f"json_each({listed}) AS item, json_each({inner}) AS k"
