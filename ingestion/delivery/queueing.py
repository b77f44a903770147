"""Asking for delivery: mark candidates queued, and remember which ones a push queued."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from ingestion.delivery.results import QueueResult
from ingestion.models import PushBatch, Trigger
from recruiting.models import Candidate

State = Candidate.State
LINK_CHUNK = 1000


@dataclass(frozen=True)
class Intent:
    """Why candidates are queued: a plain push, a resend staff asked for, or a new time.

    A resend also takes sent and unconfirmed candidates; `seen_at` is when staff saw the
    ones they chose, so that one delivered since then (a second click on the same page)
    is not sent again. A reschedule gives each candidate `send_at` as its invitation time
    (None: as soon as sent), including one already held for a time.
    """

    resend: bool = False
    seen_at: datetime | None = None
    reschedule: bool = False
    send_at: datetime | None = None

    @classmethod
    def push(cls) -> Intent:
        return cls()

    @classmethod
    def resend_of(cls, *, seen_at: datetime | None = None) -> Intent:
        return cls(resend=True, seen_at=seen_at)

    @classmethod
    def schedule(cls, *, send_at: datetime | None) -> Intent:
        return cls(reschedule=True, send_at=send_at)

    @property
    def states(self) -> set[str]:
        if self.resend:
            # Sending again is for what was sent or tried: a new draft takes a plain push.
            return {State.FAILED, State.SENT, State.UNCONFIRMED}
        # What staff may still edit is what a plain push may send.
        states = set(Candidate.EDITABLE_STATES)
        if self.reschedule:
            states.add(State.QUEUED)
        return states

    def delivered_since_seen(self, candidate: Candidate) -> bool:
        return bool(self.seen_at and candidate.state == State.SENT) and (
            candidate.updated_at > self.seen_at
        )

    def changes(self, *, user: Any, now: datetime) -> dict[str, Any]:
        # Each request to send starts a fresh retry schedule, or a candidate that once failed
        # would give up at its first definite failure.
        changes: dict[str, Any] = {
            "state": State.QUEUED,
            "next_attempt_at": now,
            "last_error": "",
            "attempts": 0,
            "updated_at": now,
        }
        if self.resend:
            # A fresh attempt: what an earlier walk of the Fetch API said no longer holds.
            changes |= {
                "resend_requested_by": user,
                "resend_requested_at": now,
                "not_found_at": None,
                "confirmed_at": None,
            }
        if self.reschedule:
            changes["send_at"] = self.send_at
        return changes


def candidates_queue(
    *,
    candidate_ids: Iterable[int],
    intent: Intent | None = None,
    user: Any = None,
    now: datetime | None = None,
) -> QueueResult:
    """Mark the candidates the intent may send as queued; say why the others were not."""
    intent = intent or Intent.push()
    now = now or timezone.now()
    result = QueueResult(resend=intent.resend)
    candidates = Candidate.objects.filter(pk__in=list(candidate_ids)).select_related("interviewer")
    ready, holds = _sort(candidates, intent, result, now=now)
    with transaction.atomic():
        result.queued = _queue(ready, holds, intent, user=user, now=now)
        for candidate, problems in result.invalid:
            Candidate.objects.filter(pk=candidate.pk).update(last_error=" ".join(problems))
    result.held = len(holds.keys() & set(result.queued))
    result.due = [pk for pk in result.queued if pk not in holds]
    return result


def _sort(
    candidates: Iterable[Candidate], intent: Intent, result: QueueResult, *, now: datetime
) -> tuple[list[int], dict[int, datetime]]:
    """The candidates to queue, and when those held for a later invitation are due."""
    ready: list[int] = []
    holds: dict[int, datetime] = {}
    for candidate in candidates:
        if intent.reschedule:
            candidate.send_at = intent.send_at
        if intent.delivered_since_seen(candidate) or candidate.state not in intent.states:
            result.skipped.append((candidate, candidate.state))
        elif problems := candidate.problems():
            result.invalid.append((candidate, problems))
        else:
            ready.append(candidate.pk)
            if (hold := candidate.hold_until(now)) > now:
                holds[candidate.pk] = hold
    return ready, holds


def _queue(
    ready: list[int], holds: dict[int, datetime], intent: Intent, *, user: Any, now: datetime
) -> list[int]:
    """Queue what still may be, and return the ids that are queued now."""
    # Conditional: a candidate another request queued meanwhile is not queued twice.
    queueable = Candidate.objects.filter(pk__in=ready, state__in=intent.states)
    if intent.seen_at:
        queueable = queueable.exclude(state=State.SENT, updated_at__gt=intent.seen_at)
    queueable.update(**intent.changes(user=user, now=now))
    for pk, hold in holds.items():
        # Invitations further off than the API can delay wait here until they are due.
        Candidate.objects.filter(pk=pk, state=State.QUEUED).update(next_attempt_at=hold)
    return list(
        Candidate.objects.filter(pk__in=ready, state=State.QUEUED).values_list("pk", flat=True)
    )


def push_batch_create(
    *, candidate_ids: Sequence[int], user: Any = None, trigger: str = Trigger.ADMIN
) -> PushBatch:
    """Remember exactly which candidates one push queued, so its progress can be followed."""
    through = PushBatch.candidates.through
    with transaction.atomic():
        batch = PushBatch.objects.create(
            candidate_count=len(candidate_ids),
            trigger=trigger,
            user=user if getattr(user, "pk", None) else None,
        )
        through.objects.bulk_create(
            [through(pushbatch_id=batch.pk, candidate_id=pk) for pk in candidate_ids],
            batch_size=LINK_CHUNK,
        )
    return batch
