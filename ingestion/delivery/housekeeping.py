"""The periodic sweep and what it tidies: abandoned claims, old pushes, a paused delivery."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.db.models import Max
from django.utils import timezone

from ingestion.delivery.claims import leases_recover
from ingestion.delivery.queueing import push_queue_kept, pushes_left_queueing
from ingestion.delivery.recording import delivery_health_update
from ingestion.delivery.results import PushResult
from ingestion.delivery.sending import candidates_push, run_deadline
from ingestion.models import IngestionRequest, PushBatch, Trigger

# Progress pages of older pushes are not kept; the history of their requests is.
PUSH_BATCH_RETENTION = timedelta(days=30)
HISTORY_PRUNE_CHUNK = 1000


def push_batches_prune() -> int:
    """Forget pushes old enough that nobody follows their progress any more."""
    cutoff = timezone.now() - PUSH_BATCH_RETENTION
    deleted, _ = PushBatch.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def delivery_sweep(*, stop: Callable[[], bool] | None = None) -> PushResult:
    """The periodic job: recover abandoned claims, queue the pushes kept but never queued,
    then send what is due, for a while."""
    push_batches_prune()
    recovered = leases_recover()
    for push_batch_id in pushes_left_queueing():
        push_queue_kept(push_batch_id)  # its candidates are then sent below, with the due
    # Bounded like every task, so sweeps seldom overlap and a stopping worker never waits
    # long; the next sweep, a minute later, carries on.
    result = candidates_push(trigger=Trigger.SCHEDULE, deadline=run_deadline(), stop=stop)
    result.recovered, result.requeued = recovered.unconfirmed, recovered.requeued
    return result


def delivery_resume() -> None:
    """Deliver again after staff fixed the API key."""
    delivery_health_update(paused_at=None, paused_reason="")


def history_prune(*, older_than: timedelta, chunk: int = HISTORY_PRUNE_CHUNK) -> int:
    """Delete requests older than this, a chunk at a time, keeping each candidate's latest.

    A candidate's latest request is the one its page and the staff's questions lead to, so
    it stays however old it is. Returns how many requests were deleted.
    """
    cutoff = timezone.now() - older_than
    through = IngestionRequest.candidates.through
    # Ids grow with time: a candidate's highest is its latest attempt.
    keep = set(
        through.objects.values("candidate_id")
        .annotate(latest=Max("ingestionrequest_id"))
        .values_list("latest", flat=True)
    )
    deleted, after = 0, 0
    old = IngestionRequest.objects.filter(started_at__lt=cutoff).order_by("pk")
    while ids := list(old.filter(pk__gt=after).values_list("pk", flat=True)[:chunk]):
        after = ids[-1]
        if doomed := [pk for pk in ids if pk not in keep]:
            deleted += (
                IngestionRequest.objects.filter(pk__in=doomed)
                .delete()[1]
                .get(IngestionRequest._meta.label, 0)
            )
    return deleted
