"""django-import-export resources: what an export of candidates or history looks like.

Both write the import's columns (name, email, interviewer, status, skills,
send_email_after, additional:<Key>, metadata:<Key>), so an export imports back unchanged,
and every text cell goes through `neutralise` so that no cell runs as a formula. Imports
themselves go through `recruiting.imports`, which does in bulk what a resource does row by
row.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import tablib
from django.db.models import QuerySet
from import_export import fields, resources

from ingestion.models import IngestionRequest
from recruiting.imports.columns import (
    ADDITIONAL_PREFIX,
    FIELD_COLUMNS,
    METADATA_PREFIX,
    SEND_EMAIL_AFTER_KEY,
)
from recruiting.models import Candidate
from recruiting.spreadsheets import neutralise

SKILLS_SEPARATOR = ", "
HISTORY_COLUMNS = ("request", "sent at", "trigger", "outcome", "http status", "error")
# What the export page lists: one such column for every key that any row has.
KEYED_COLUMNS = (f"{ADDITIONAL_PREFIX}<Key>", f"{METADATA_PREFIX}<Key>")


class CandidateResource(resources.ModelResource):
    class Meta:
        model = Candidate
        fields = FIELD_COLUMNS
        export_order = FIELD_COLUMNS

    def get_queryset(self) -> QuerySet[Candidate]:
        return Candidate.objects.all()

    def get_user_visible_fields(self) -> list[fields.Field]:
        return _described([*FIELD_COLUMNS, *KEYED_COLUMNS])

    def export(self, queryset: QuerySet[Candidate] | None = None, **kwargs: Any) -> tablib.Dataset:
        queryset = self.get_queryset() if queryset is None else queryset
        rows = (
            _row(
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
        return _dataset(rows)


class IngestionRequestResource(resources.ModelResource):
    """The history, one row per candidate carried, as the request body sent it."""

    class Meta:
        model = IngestionRequest
        fields = ("id", "started_at", "trigger", "outcome", "http_status", "error_message")

    def get_user_visible_fields(self) -> list[fields.Field]:
        return _described([*FIELD_COLUMNS, *KEYED_COLUMNS, *HISTORY_COLUMNS])

    def export(
        self, queryset: QuerySet[IngestionRequest] | None = None, **kwargs: Any
    ) -> tablib.Dataset:
        queryset = IngestionRequest.objects.all() if queryset is None else queryset
        return _dataset(self._rows(queryset), extra=HISTORY_COLUMNS)

    def _rows(self, queryset: QuerySet[IngestionRequest]) -> Iterable[dict[str, Any]]:
        for request in self.iter_queryset(queryset):
            body = request.request_body if isinstance(request.request_body, dict) else {}
            history = [
                request.pk,
                request.started_at.isoformat(timespec="seconds"),
                request.get_trigger_display(),
                request.get_outcome_display(),
                request.http_status,
                request.error_message,
            ]
            for item in body.get("data") or []:
                if not isinstance(item, dict):
                    continue
                metadata = dict(item.get("metadata") or {})
                yield _row(
                    name=item.get("name", ""),
                    email=item.get("email", ""),
                    interviewer=body.get("interviewerId", ""),
                    status=body.get("status", ""),
                    skills=item.get("skills") or body.get("skills") or [],
                    send_email_after=metadata.pop(SEND_EMAIL_AFTER_KEY, None),
                    additional=item.get("additionalFields") or {},
                    metadata=metadata,
                    extra=history,
                )


def _described(columns: list[str]) -> list[fields.Field]:
    return [fields.Field(column_name=column) for column in columns]


def _row(
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


def _dataset(rows: Iterable[dict[str, Any]], *, extra: Iterable[str] = ()) -> tablib.Dataset:
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
