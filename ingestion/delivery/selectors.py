"""Read-only queries about delivery: what is due, what may be resent, where a set stands."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils import timezone

from ingestion import payloads
from ingestion.delivery.results import DeliverySummary
from recruiting.models import Candidate

State = Candidate.State
PROBLEMS_SHOWN = 20


def due_candidates(
    *,
    interviewer_id: int | None = None,
    push_batch_id: int | None = None,
    ids: Sequence[int] | None = None,
) -> QuerySet[Candidate]:
    """Queued candidates whose time has come: all, or one Interviewer's, one push's, or these."""
    due = Candidate.objects.filter(state=State.QUEUED, next_attempt_at__lte=timezone.now())
    if interviewer_id is not None:
        due = due.filter(interviewer_id=interviewer_id)
    if push_batch_id is not None:
        due = due.filter(push_batches=push_batch_id)
    if ids is not None:
        due = due.filter(pk__in=ids)
    return due


def candidates_for_resend(
    *,
    include_unconfirmed: bool = False,
    since: datetime | None = None,
    interviewer_id: int | None = None,
) -> QuerySet[Candidate]:
    states = [State.FAILED, State.UNCONFIRMED] if include_unconfirmed else [State.FAILED]
    candidates = Candidate.objects.filter(state__in=states)
    if since is not None:
        candidates = candidates.filter(updated_at__gte=since)
    if interviewer_id is not None:
        candidates = candidates.filter(interviewer_id=interviewer_id)
    return candidates


def delivery_summary(candidate_ids: Iterable[int] | QuerySet) -> DeliverySummary:
    """Counts per state, and the first problems, of these candidates (ids or a subquery)."""
    ids = candidate_ids if isinstance(candidate_ids, QuerySet) else list(candidate_ids)
    candidates = Candidate.objects.filter(pk__in=ids)
    counts: Counter[str] = Counter(
        dict(candidates.order_by().values_list("state").annotate(count=Count("pk")))
    )
    problems = [
        (candidate, candidate.last_error)
        for candidate in candidates.filter(
            state__in=[State.FAILED, State.UNCONFIRMED, State.QUEUED]
        ).exclude(last_error="")[:PROBLEMS_SHOWN]
    ]
    return DeliverySummary(counts=counts, problems=problems)


def push_preview(candidates: QuerySet[Candidate]) -> list[dict[str, Any]]:
    """The request bodies that sending these candidates would POST, sending nothing."""
    sendable = [c for c in candidates.select_related("interviewer") if not c.problems()]
    return [
        payloads.batch_body(batch)
        for batch in payloads.batches(sendable, size=settings.INTERVIEWFLOW_BATCH_SIZE)
    ]
