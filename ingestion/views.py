"""Admin pages of the ingestion app that are not a model's change list: push progress."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache

from ingestion.delivery.progress import PROGRESS_STATES, push_progress
from ingestion.models import IngestionRequest, PushBatch
from recruiting.models import Candidate
from recruiting.permissions import PUSH_PERMISSION


def _push_batch(request: HttpRequest, pk: int) -> PushBatch:
    if not request.user.has_perm(PUSH_PERMISSION):
        raise PermissionDenied
    return get_object_or_404(PushBatch.objects.select_related("user"), pk=pk)


def push_progress_view(request: HttpRequest, pk: int) -> TemplateResponse:
    batch = _push_batch(request, pk)
    progress = push_progress(batch)
    labels = dict(Candidate.State.choices)
    return TemplateResponse(
        request,
        "admin/ingestion/push_progress.html",
        {
            **admin.site.each_context(request),
            "title": f"Push #{batch.pk}",
            "opts": IngestionRequest._meta,
            "batch": batch,
            "progress": progress,
            "states": [
                (state, labels[state], progress["counts"][state]) for state in PROGRESS_STATES
            ],
            "status_url": reverse("admin:ingestion_push_progress_json", args=[batch.pk]),
            "candidates_url": reverse("admin:recruiting_candidate_changelist")
            + f"?push_batches__id__exact={batch.pk}",
            "history_url": reverse("admin:ingestion_ingestionrequest_changelist")
            + f"?candidates__push_batches__id__exact={batch.pk}",
        },
    )


@never_cache
def push_progress_json(request: HttpRequest, pk: int) -> JsonResponse:
    return JsonResponse(push_progress(_push_batch(request, pk)))
