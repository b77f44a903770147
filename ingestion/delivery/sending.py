"""Send what is queued: claim a chunk, post it batch by batch, record every answer."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from ingestion import payloads
from ingestion.client import IngestionClient, default_client
from ingestion.delivery import retries
from ingestion.delivery.claims import (
    candidates_claim,
    claim_finish,
    claim_for_request,
    claim_release,
)
from ingestion.delivery.recording import exchange_record
from ingestion.delivery.results import PushResult
from ingestion.delivery.selectors import due_candidates
from ingestion.messages import MAY_EXIST
from ingestion.models import DeliveryStatus
from recruiting.models import Candidate

State = Candidate.State
UNRECORDED = f"The push stopped before InterviewFlowAI's answer was recorded. {MAY_EXIST}"


def candidates_push(
    *,
    trigger: str,
    candidate_ids: Iterable[int] | None = None,
    interviewer_id: int | None = None,
    user: Any = None,
    client: IngestionClient | None = None,
    on_progress: Callable[[PushResult], None] | None = None,
    deadline: datetime | None = None,
) -> PushResult:
    """Send every queued, due candidate (of those given), a claimed chunk at a time.

    With a `deadline`, no chunk is claimed after it, and no request starts that could end
    after it (but the run's first): what is left waits, still queued, for the next run,
    and the result says so (`unfinished`).
    """
    if DeliveryStatus.current().paused:
        return PushResult(paused=True)
    run = _Run(
        ids=list(candidate_ids) if candidate_ids is not None else None,
        interviewer_id=interviewer_id,
        trigger=trigger,
        user=user,
        deadline=deadline,
    )
    sender = client or default_client()
    try:
        return run.send(sender, on_progress=on_progress)
    finally:
        if client is None:
            sender.close()


@dataclass
class _Run:
    """One push run: which candidates it may take, for whom, and until when."""

    ids: list[int] | None
    interviewer_id: int | None
    trigger: str
    user: Any
    deadline: datetime | None

    def send(
        self, client: IngestionClient, *, on_progress: Callable[[PushResult], None] | None
    ) -> PushResult:
        result = PushResult()
        while not (late := _past(self.deadline)) and (
            claimed := candidates_claim(self.ids, interviewer_id=self.interviewer_id)
        ):
            chunk = _send_claimed(
                claimed, trigger=self.trigger, user=self.user, client=client, deadline=self.deadline
            )
            result.merge(chunk)
            if on_progress:
                on_progress(result)
            if chunk.key_rejected or chunk.unfinished:
                return result
        result.unfinished = late and self._still_due()
        return result

    def _still_due(self) -> bool:
        due = due_candidates(interviewer_id=self.interviewer_id)
        return (due.filter(pk__in=self.ids) if self.ids is not None else due).exists()


def _past(deadline: datetime | None, *, margin: timedelta = timedelta(0)) -> bool:
    return deadline is not None and timezone.now() + margin >= deadline


def _send_claimed(
    claimed: list[Candidate],
    *,
    trigger: str,
    user: Any,
    client: IngestionClient,
    deadline: datetime | None,
) -> PushResult:
    token = claimed[0].claim_token
    result, to_send = _drop_unsendable(claimed, token=token)
    in_flight: list[Candidate] = []
    try:
        for batch in payloads.batches(to_send, size=settings.INTERVIEWFLOW_BATCH_SIZE):
            if result.requests and _past(deadline, margin=retries.request_duration_max()):
                # Out of time: the rest of the claim goes back to the queue, below.
                result.unfinished = True
                break
            # Send only what this run still owns, stamped as in flight.
            in_flight = claim_for_request(batch, token=token)
            if not in_flight:
                continue
            body = payloads.batch_body(in_flight)
            exchange = client.ingest(body)
            result.merge(
                exchange_record(in_flight, body, exchange, token=token, trigger=trigger, user=user)
            )
            in_flight = []
            if exchange.key_rejected:
                break
    finally:
        if in_flight:
            # The request may have gone out but its outcome was not recorded.
            claim_finish(in_flight, token=token, state=State.UNCONFIRMED, last_error=UNRECORDED)
        claim_release(token)
    return result


def _drop_unsendable(
    claimed: list[Candidate], *, token: uuid.UUID
) -> tuple[PushResult, list[Candidate]]:
    """Fail what InterviewFlowAI would reject; the Interviewer may have changed since queueing."""
    result = PushResult()
    to_send: list[Candidate] = []
    for candidate in claimed:
        if problems := candidate.problems():
            claim_finish(
                [candidate], token=token, state=State.FAILED, last_error=" ".join(problems)
            )
            result.failed += 1
        else:
            to_send.append(candidate)
    return result, to_send


def run_deadline() -> datetime:
    """When a worker's run should be done: soon enough for a platform's stop grace."""
    return timezone.now() + timedelta(seconds=settings.INTERVIEWFLOW_RUN_SECONDS)
