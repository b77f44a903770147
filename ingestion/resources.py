"""The history's export: one row per candidate carried, as the request body sent it.

Written under the import's columns (see `recruiting.resources`), so that the candidates of
a request can be imported again, followed by the request's own columns.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import tablib
from django.db.models import QuerySet
from import_export import fields, resources

from ingestion import payloads
from ingestion.models import IngestionRequest
from recruiting.resources import (
    EXPORT_COLUMNS,
    described_fields,
    export_dataset,
    export_row,
)

HISTORY_COLUMNS = ("request", "sent at", "trigger", "outcome", "http status", "error")


class IngestionRequestResource(resources.ModelResource):
    class Meta:
        model = IngestionRequest
        fields = ("id", "started_at", "trigger", "outcome", "http_status", "error_message")

    def get_user_visible_fields(self) -> list[fields.Field]:
        return described_fields([*EXPORT_COLUMNS, *HISTORY_COLUMNS])

    def export(
        self, queryset: QuerySet[IngestionRequest] | None = None, **kwargs: Any
    ) -> tablib.Dataset:
        queryset = IngestionRequest.objects.all() if queryset is None else queryset
        return export_dataset(self._rows(queryset), extra=HISTORY_COLUMNS)

    def _rows(self, queryset: QuerySet[IngestionRequest]) -> Iterable[dict[str, Any]]:
        for request in self.iter_queryset(queryset):
            history = [
                request.pk,
                request.started_at.isoformat(timespec="seconds"),
                request.get_trigger_display(),
                request.get_outcome_display(),
                request.http_status,
                request.error_message,
            ]
            for sent in payloads.sent_candidates(request.request_body):
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
