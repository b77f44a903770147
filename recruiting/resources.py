"""django-import-export resources: what an export of candidates looks like.

The candidate export and the history's export (`ingestion.resources`) write the import's
columns (name, email, interviewer, status, skills, send_email_after, additional:<Key>,
metadata:<Key>), so an export imports back unchanged, and every text cell goes through
`neutralise` so that no cell runs as a formula. Imports themselves go through
`recruiting.imports`, which does in bulk what a resource does row by row.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import tablib
from django.db.models import QuerySet
from import_export import fields, resources

from recruiting.imports.columns import (
    ADDITIONAL_PREFIX,
    FIELD_COLUMNS,
    METADATA_PREFIX,
)
from recruiting.json_keys import object_keys
from recruiting.models import Candidate
from recruiting.spreadsheets import neutralise

SKILLS_SEPARATOR = ", "
# What the export page lists: one such column for every key that any row has.
KEYED_COLUMNS = (f"{ADDITIONAL_PREFIX}<Key>", f"{METADATA_PREFIX}<Key>")
EXPORT_COLUMNS = (*FIELD_COLUMNS, *KEYED_COLUMNS)
# Rows read from the database at a time: the export's memory does not grow with its size.
CHUNK_ROWS = 2000
# export_row's arguments, and the values a candidate's row is read from.
CANDIDATE_VALUES = {
    "name": "name",
    "email": "email",
    "interviewer": "interviewer__external_id",
    "status": "status",
    "skills": "skills",
    "send_email_after": "send_email_after",
    "additional": "additional_fields",
    "metadata": "metadata",
}


@dataclass
class ExportTable:
    """A header and its rows, every cell ready to write; the rows are read as they go."""

    header: list[str]
    rows: Iterator[list[Any]]

    def dataset(self) -> tablib.Dataset:
        return tablib.Dataset(*self.rows, headers=self.header)


class CandidateResource(resources.ModelResource):
    class Meta:
        model = Candidate
        fields = FIELD_COLUMNS
        export_order = FIELD_COLUMNS

    def get_queryset(self) -> QuerySet[Candidate]:
        return Candidate.objects.all()

    def get_user_visible_fields(self) -> list[fields.Field]:
        return described_fields(list(EXPORT_COLUMNS))

    def export(self, queryset: QuerySet[Candidate] | None = None, **kwargs: Any) -> tablib.Dataset:
        return self.export_table(queryset).dataset()

    def export_table(self, queryset: QuerySet[Candidate] | None = None) -> ExportTable:
        queryset = self.get_queryset() if queryset is None else queryset
        values = queryset.values_list(*CANDIDATE_VALUES.values())
        rows = (_candidate_row(candidate) for candidate in values.iterator(chunk_size=CHUNK_ROWS))
        return export_table(
            rows,
            additional=object_keys(queryset, column="additional_fields"),
            metadata=object_keys(queryset, column="metadata"),
        )


def _candidate_row(values: tuple[Any, ...]) -> dict[str, Any]:
    row = dict(zip(CANDIDATE_VALUES, values, strict=True))
    return export_row(**{**row, "interviewer": str(row["interviewer"])})


def described_fields(columns: list[str]) -> list[fields.Field]:
    return [fields.Field(column_name=column) for column in columns]


def export_row(
    *,
    name: str,
    email: str,
    interviewer: str,
    status: str,
    skills: list[str],
    send_email_after: int | None,
    additional: dict[str, Any],
    metadata: dict[str, Any],
    extra: Iterable[Any] = (),
) -> dict[str, Any]:
    return {
        "fixed": [
            name,
            email,
            interviewer,
            status,
            SKILLS_SEPARATOR.join(skills if isinstance(skills, list) else []),
            send_email_after,
        ],
        "additional": additional if isinstance(additional, dict) else {},
        "metadata": metadata if isinstance(metadata, dict) else {},
        "extra": list(extra),
    }


def export_table(
    rows: Iterable[dict[str, Any]],
    *,
    additional: list[str],
    metadata: list[str],
    extra: Iterable[str] = (),
) -> ExportTable:
    """Lay rows out under the import's columns and a column for each key given."""
    headers = [
        *FIELD_COLUMNS,
        *(ADDITIONAL_PREFIX + key for key in additional),
        *(METADATA_PREFIX + key for key in metadata),
        *extra,
    ]
    cells = (
        [
            _cell(value)
            for value in (
                *row["fixed"],
                *(row["additional"].get(key) for key in additional),
                *(row["metadata"].get(key) for key in metadata),
                *row["extra"],
            )
        ]
        for row in rows
    )
    return ExportTable([neutralise(header) for header in headers], cells)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    return neutralise(value)
