"""The history's export: one row per candidate carried, as the request body sent it.

Written under the import's columns (see `recruiting.resources`), so that the candidates of
a request can be imported again, followed by the request's own columns.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import tablib
from django.db.models import QuerySet
from import_export import fields, resources

from ingestion import payloads
from ingestion.models import OUTCOME_LABELS, IngestionRequest, Trigger
from recruiting.json_keys import object_keys
from recruiting.resources import (
    CHUNK_ROWS,
    EXPORT_COLUMNS,
    ExportTable,
    described_fields,
    export_row,
    export_table,
)
from recruiting.rules import SEND_EMAIL_AFTER_KEY

HISTORY_COLUMNS = ("request", "sent at", "trigger", "outcome", "http status", "error")
REQUEST_VALUES = ("pk", "started_at", "trigger", "outcome", "http_status", "error_message")
TRIGGER_LABELS = dict(Trigger.choices)


class IngestionRequestResource(resources.ModelResource):
    class Meta:
        model = IngestionRequest
        fields = ("id", "started_at", "trigger", "outcome", "http_status", "error_message")

    def get_user_visible_fields(self) -> list[fields.Field]:
        return described_fields([*EXPORT_COLUMNS, *HISTORY_COLUMNS])

    def export(
        self, queryset: QuerySet[IngestionRequest] | None = None, **kwargs: Any
    ) -> tablib.Dataset:
        return self.export_table(queryset).dataset()

    def export_table(self, queryset: QuerySet[IngestionRequest] | None = None) -> ExportTable:
        queryset = IngestionRequest.objects.all() if queryset is None else queryset
        sent = {"column": "request_body", "items": "data"}
        metadata = object_keys(queryset, **sent, member="metadata")
        return export_table(
            self._rows(queryset),
            additional=object_keys(queryset, **sent, member="additionalFields"),
            # The delay is its own column, as the import reads it.
            metadata=[key for key in metadata if key != SEND_EMAIL_AFTER_KEY],
            extra=HISTORY_COLUMNS,
        )

    def _rows(self, queryset: QuerySet[IngestionRequest]) -> Iterator[dict[str, Any]]:
        values = queryset.values_list(*REQUEST_VALUES, "request_body")
        for *request, body in values.iterator(chunk_size=CHUNK_ROWS):
            pk, started_at, trigger, outcome, http_status, error = request
            history = [
                pk,
                started_at.isoformat(timespec="seconds"),
                TRIGGER_LABELS.get(trigger, trigger),
                OUTCOME_LABELS.get(outcome, outcome),
                http_status,
                error,
            ]
            for sent in payloads.sent_candidates(body):
                yield export_row(
                    name=sent.name,
                    email=sent.email,
                    interviewer=sent.interviewer_id,
                    status=sent.status,
                    skills=sent.skills,
                    send_email_after=sent.send_email_after,
                    additional=sent.additional_fields,
                    metadata=sent.metadata,
                    extra=history,
                )
