"""django-import-export resources: what an export of candidates looks like.

The candidate export and the history's export (`ingestion.resources`) write the import's
columns (name, email, interviewer, status, skills, send_email_after, additional:<Key>,
metadata:<Key>), so an export imports back unchanged, and every text cell goes through
`neutralise` so that no cell runs as a formula. Imports themselves go through
`recruiting.imports`, which does in bulk what a resource does row by row.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import tablib
from django.db.models import QuerySet
from import_export import fields, resources

from recruiting.imports.columns import (
    ADDITIONAL_PREFIX,
    FIELD_COLUMNS,
    METADATA_PREFIX,
)
from recruiting.models import Candidate
from recruiting.spreadsheets import neutralise

SKILLS_SEPARATOR = ", "
# What the export page lists: one such column for every key that any row has.
KEYED_COLUMNS = (f"{ADDITIONAL_PREFIX}<Key>", f"{METADATA_PREFIX}<Key>")
EXPORT_COLUMNS = (*FIELD_COLUMNS, *KEYED_COLUMNS)


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
        queryset = self.get_queryset() if queryset is None else queryset
        rows = (
            export_row(
                name=candidate.name,
                email=candidate.email,
                interviewer=str(candidate.interviewer.external_id),
                status=candidate.status,
                skills=candidate.skills,
                send_email_after=candidate.send_email_after,
                additional=candidate.additional_fields,
                metadata=candidate.metadata,
            )
            for candidate in self.iter_queryset(queryset.select_related("interviewer"))
        )
        return export_dataset(rows)


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
            SKILLS_SEPARATOR.join(skills),
            send_email_after,
        ],
        "additional": additional if isinstance(additional, dict) else {},
        "metadata": metadata if isinstance(metadata, dict) else {},
        "extra": list(extra),
    }


def export_dataset(rows: Iterable[dict[str, Any]], *, extra: Iterable[str] = ()) -> tablib.Dataset:
    """Lay rows out under the import's columns, a column for every key any row has."""
    rows = list(rows)
    additional = list(dict.fromkeys(key for row in rows for key in row["additional"]))
    metadata = list(dict.fromkeys(key for row in rows for key in row["metadata"]))
    headers = [
        *FIELD_COLUMNS,
        *(ADDITIONAL_PREFIX + key for key in additional),
        *(METADATA_PREFIX + key for key in metadata),
        *extra,
    ]
    dataset = tablib.Dataset(headers=[neutralise(header) for header in headers])
    for row in rows:
        cells = [
            *row["fixed"],
            *(row["additional"].get(key) for key in additional),
            *(row["metadata"].get(key) for key in metadata),
            *row["extra"],
        ]
        dataset.append([_cell(value) for value in cells])
    return dataset


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    return neutralise(value)
