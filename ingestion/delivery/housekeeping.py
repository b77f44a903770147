"""The periodic sweep and what it tidies: abandoned claims, old pushes, a paused delivery."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from ingestion.delivery.claims import leases_recover
from ingestion.delivery.recording import delivery_health_update
from ingestion.delivery.results import PushResult
from ingestion.delivery.sending import candidates_push, run_deadline
from ingestion.models import PushBatch, Trigger

# Progress pages of older pushes are not kept; the history of their requests is.
PUSH_BATCH_RETENTION = timedelta(days=30)


def push_batches_prune() -> int:
    """Forget pushes old enough that nobody follows their progress any more."""
    cutoff = timezone.now() - PUSH_BATCH_RETENTION
    deleted, _ = PushBatch.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def delivery_sweep() -> PushResult:
    """The periodic job: recover abandoned claims, then send what is due, for a while."""
    push_batches_prune()
    recovered = leases_recover()
    # Bounded like every task, so sweeps seldom overlap and a stopping worker never waits
    # long; the next sweep, a minute later, carries on.
    result = candidates_push(trigger=Trigger.SCHEDULE, deadline=run_deadline())
    result.recovered = recovered
    return result


def delivery_resume() -> None:
    """Deliver again after staff fixed the API key."""
    delivery_health_update(paused_at=None, paused_reason="")
