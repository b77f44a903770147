"""Claims: a candidate is taken for sending by one run only, for a limited time (a lease).

A claim is a conditional UPDATE (`queued` -> `sending`, with a token and a lease), taken
under `SELECT ... FOR UPDATE SKIP LOCKED` where the database has it, so that double clicks,
several workers and cron runs never send a candidate twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from ingestion.delivery import retries
from ingestion.delivery.selectors import due_candidates
from ingestion.messages import MAY_EXIST
from recruiting.models import Candidate

State = Candidate.State
CLAIM_CHUNK_BATCHES = 10
ABANDONED = f"The sending worker stopped before InterviewFlowAI answered. {MAY_EXIST}"


def candidates_claim(ids: list[int] | None, *, interviewer_id: int | None) -> list[Candidate]:
    """Take due candidates (of those given) for this run, up to a chunk of batches."""
    limit = settings.INTERVIEWFLOW_BATCH_SIZE * CLAIM_CHUNK_BATCHES
    due = due_candidates(interviewer_id=interviewer_id).order_by("interviewer_id", "status", "pk")
    if ids is not None:
        due = due.filter(pk__in=ids)
    token = uuid.uuid4()
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))
        pks = list(due.values_list("pk", flat=True)[:limit])
        if not pks:
            return []
        # Conditional UPDATE: if another run got there first, the row no longer matches.
        Candidate.objects.filter(pk__in=pks, state=State.QUEUED).update(
            state=State.SENDING,
            claim_token=token,
            lease_expires_at=timezone.now() + retries.lease_duration(),
        )
    return list(
        Candidate.objects.filter(claim_token=token, state=State.SENDING)
        .select_related("interviewer")
        .order_by("pk")
    )


def claim_renew(pks: list[int], *, token: uuid.UUID) -> set[int]:
    """Extend the lease of what this run still owns, and say which those are."""
    owned = Candidate.objects.filter(pk__in=pks, claim_token=token, state=State.SENDING)
    owned.update(lease_expires_at=timezone.now() + retries.lease_duration())
    return set(owned.values_list("pk", flat=True))


def claim_release(token: uuid.UUID) -> None:
    """Give back what a run claimed but did not send (it stopped early)."""
    Candidate.objects.filter(claim_token=token, state=State.SENDING).update(
        state=State.QUEUED, claim_token=None, lease_expires_at=None
    )


def claim_finish(candidates: Sequence[Candidate], *, token: uuid.UUID, **changes: Any) -> None:
    """End this run's claim on these candidates, moving them to their next state."""
    # update() leaves auto_now alone: set updated_at, which resend_failed --since reads.
    Candidate.objects.filter(pk__in=[c.pk for c in candidates], claim_token=token).update(
        claim_token=None, lease_expires_at=None, updated_at=timezone.now(), **changes
    )


def leases_recover() -> int:
    """Candidates whose run died mid-request may or may not have been sent: unconfirmed."""
    return Candidate.objects.filter(
        state=State.SENDING, lease_expires_at__lt=timezone.now()
    ).update(
        state=State.UNCONFIRMED,
        claim_token=None,
        lease_expires_at=None,
        updated_at=timezone.now(),
        last_error=ABANDONED,
    )
