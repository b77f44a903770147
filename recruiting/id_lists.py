"""Rows found by a list of ids: one array parameter on PostgreSQL, not one per id.

`pk__in=[...]` writes a placeholder per id. psycopg then splits and quotes a statement of a
thousand placeholders on every call, which a claim of 1,000 candidates pays several times;
`= ANY(%s)` is one parameter, the same text whatever the list, and the same plan (the
server reads `IN (...)` as `= ANY(ARRAY[...])` anyway), given as an array literal
(`id_array`). Other databases keep `IN`.
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
        return f"{lhs} = ANY(%s::{array_type}[])", [*lhs_params, id_array(self.rhs)]


def id_array(ids: Iterable[int]) -> str:
    """The ids as one PostgreSQL array literal, `{1,2,3}`, for a parameter cast to an array.

    psycopg dumps a list element by element in Python, which a push pays for every list of
    ids it writes; a string is quoted once, in C.
    """
    return "{" + ",".join(str(int(pk)) for pk in ids) + "}"


def pk_among(ids: Iterable[int]) -> AnyOf:
    """A condition for `filter()`: the row's id is one of these."""
    return AnyOf(F("pk"), list(ids))
