"""Rows found by a list of ids: one array parameter on PostgreSQL, not one per id.

`pk__in=[...]` writes a placeholder per id. psycopg then splits and quotes a statement of a
thousand placeholders on every call, which a claim of 1,000 candidates pays several times;
`= ANY(%s)` is one parameter, the same text whatever the list, and the same plan (the
server reads `IN (...)` as `= ANY(ARRAY[...])` anyway). Other databases keep `IN`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import F
from django.db.models.lookups import In


class AnyOf(In):
    """The column holds one of the values: `= ANY(%s)` on PostgreSQL, `IN (...)` elsewhere."""

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        array_type = self.lhs.output_field.db_type(connection)
        return f"{lhs} = ANY(%s::{array_type}[])", [*lhs_params, list(self.rhs)]


def pk_among(ids: Iterable[int]) -> AnyOf:
    """A condition for `filter()`: the row's id is one of these."""
    return AnyOf(F("pk"), list(ids))
