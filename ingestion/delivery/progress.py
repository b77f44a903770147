"""Follow one push: which candidates it queued, and where each of them stands now.

The page polls this every few seconds while a push of up to the whole table runs, so every
count comes from one pass over the push's members (conditional counts of one aggregate),
and the problems are read only when that pass found some. The page stops polling once the
push is finished, so a finished push is counted once per visit, not again and again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone

from ingestion.delivery.selectors import PROBLEMS_SHOWN
from ingestion.models import DeliveryStatus, PushBatch
from recruiting.models import Candidate
from recruiting.wording import plural

State = Candidate.State
# The order the progress page shows the states in.
PROGRESS_STATES = (State.QUEUED, State.SENDING, State.SENT, State.FAILED, State.UNCONFIRMED)
# A candidate still on its way or given up, with what went wrong last.
PROBLEM = Q(state__in=[State.FAILED, State.UNCONFIRMED, State.QUEUED]) & ~Q(last_error="")


def push_progress(batch: PushBatch, *, now: datetime | None = None) -> dict[str, Any]:
    """Where the candidates of a push stand, as plain data for the page and its JSON."""
    if batch.queueing:
        # A large selection not yet queued: nothing of it has moved yet.
        status = (
            f"Queueing {plural(batch.candidate_count, 'selected candidate')}: "
            "they are checked and queued in the background, then sent."
        )
        return _data(batch, counts={state.value: 0 for state in PROGRESS_STATES}, status=status)
    now = now or timezone.now()
    members = Candidate.objects.filter(push_batches=batch).order_by()
    tally = members.aggregate(**_tallies(now))
    counts = {state.value: tally[f"in_{state.value}"] for state in PROGRESS_STATES}
    paused = DeliveryStatus.current().paused
    status = _status_text(_finished(batch, counts), counts, tally["waiting"], paused)
    return _data(
        batch,
        counts=counts,
        status=status,
        # A candidate someone moved back to "new" (or deleted) since is no longer in flight.
        other=tally["members"] - sum(counts.values()),
        waiting=tally["waiting"],
        next_at=tally["next_at"],
        paused=paused,
        problems=_problems(members) if tally["problems"] else [],
    )


def _data(
    batch: PushBatch,
    *,
    counts: dict[str, int],
    status: str,
    other: int = 0,
    waiting: int = 0,
    next_at: datetime | None = None,
    paused: bool = False,
    problems: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    return {
        "id": batch.pk,
        "total": batch.candidate_count,
        "counts": counts,
        "other": other,
        "done": counts[State.SENT] + counts[State.FAILED] + counts[State.UNCONFIRMED] + other,
        "finished": _finished(batch, counts),
        "waiting": waiting,
        "next_attempt_at": next_at.isoformat() if next_at else None,
        "paused": paused,
        "status": status,
        "queueing": batch.queueing,
        "left_out": batch.left_out,
        "problems": problems or [],
    }


def _finished(batch: PushBatch, counts: dict[str, int]) -> bool:
    return not (batch.queueing or counts[State.QUEUED] or counts[State.SENDING])


def _tallies(now: datetime) -> dict[str, Any]:
    waiting = Q(state=State.QUEUED, next_attempt_at__gt=now)
    return {
        **{f"in_{state.value}": Count("pk", filter=Q(state=state)) for state in PROGRESS_STATES},
        "members": Count("pk"),
        "waiting": Count("pk", filter=waiting),
        "next_at": Min("next_attempt_at", filter=waiting),
        "problems": Count("pk", filter=PROBLEM),
    }


def _problems(members: Any) -> list[dict[str, str]]:
    found = members.filter(PROBLEM).order_by(*Candidate._meta.ordering)[:PROBLEMS_SHOWN]
    return [
        {
            "candidate": str(candidate),
            "url": reverse("admin:recruiting_candidate_change", args=[candidate.pk]),
            "state": candidate.state,
            "message": candidate.last_error,
        }
        for candidate in found
    ]


def _status_text(finished: bool, counts: dict[str, int], waiting: int, paused: bool) -> str:
    if finished:
        failed, unconfirmed = counts[State.FAILED], counts[State.UNCONFIRMED]
        if not failed and not unconfirmed:
            return f"Finished: {plural(counts[State.SENT], 'candidate')} sent."
        return f"Finished: {counts[State.SENT]} sent, {failed} failed, {unconfirmed} unconfirmed."
    if paused:
        return "Waiting: delivery is paused because the API key was rejected."
    in_flight = counts[State.QUEUED] + counts[State.SENDING]
    text = f"Sending: {plural(in_flight, 'candidate')} still to go."
    if waiting:
        verb = "waits" if waiting == 1 else "wait"
        text += f" {waiting} of them {verb} for a retry or their scheduled time."
    return text
