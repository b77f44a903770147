"""Send what is queued: claim a chunk, post it batch by batch, record every answer."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import islice
from typing import Any, NamedTuple

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from ingestion import payloads
from ingestion.client import Exchange, IngestionClient, default_client
from ingestion.delivery import retries
from ingestion.delivery.chunks import Chunk, ChunksAhead
from ingestion.delivery.claims import (
    ClaimedCandidate,
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
# A run's first chunk, in batches: small, so that its first request leaves soon; the full
# chunks that follow are taken while the requests before them go out.
FIRST_CHUNK_BATCHES = 3


def candidates_push(
    *,
    trigger: str,
    candidate_ids: Iterable[int] | None = None,
    push_batch_id: int | None = None,
    interviewer_id: int | None = None,
    user: Any = None,
    client: IngestionClient | None = None,
    on_progress: Callable[[PushResult], None] | None = None,
    deadline: datetime | None = None,
    limit: int | None = None,
    stop: Callable[[], bool] | None = None,
) -> PushResult:
    """Send every queued, due candidate (of those given), a claimed chunk at a time.

    Candidates are taken from one push (`push_batch_id`), from a list of ids, from one
    Interviewer, or from all that are due; `limit` caps how many this run takes. With a
    `deadline`, no chunk is claimed after it, and no request starts that could end after it
    (but the run's first); when `stop` says so, no request starts at all. What is left
    waits, still queued, for the next run, and the result says so (`unfinished`).
    """
    if DeliveryStatus.current().paused:
        return PushResult(paused=True)
    ids = list(candidate_ids) if candidate_ids is not None else None
    run = _Run(
        due=lambda: due_candidates(
            interviewer_id=interviewer_id, push_batch_id=push_batch_id, ids=ids
        ),
        trigger=trigger,
        user=user,
        limit=limit,
        out_of_time=_Clock(deadline=deadline, stop=stop),
        on_progress=on_progress,
    )
    sender = client or default_client()
    try:
        return run.send(sender)
    finally:
        if client is None:
            sender.close()


@dataclass(frozen=True)
class _Clock:
    """Whether a run must stop: its deadline has come, or its worker was asked to stop."""

    deadline: datetime | None
    stop: Callable[[], bool] | None

    def __call__(self, *, margin: timedelta = timedelta(0)) -> bool:
        if self.stop is not None and self.stop():
            return True
        return self.deadline is not None and timezone.now() + margin >= self.deadline


class _Planned(NamedTuple):
    """A batch to post, under which claim, and whether it is the last of its chunk."""

    token: uuid.UUID
    batch: list[ClaimedCandidate]
    ends_chunk: bool  # its record completes the chunk: worth a progress report


@dataclass
class _Pending:
    """A request out on the wire, what it carries, and under which claim."""

    batch: list[ClaimedCandidate]
    body: dict[str, Any]
    token: uuid.UUID
    answer: Future[Exchange]
    ends_chunk: bool


@dataclass
class _Run:
    """One push run, posting batch by batch and recording each answer while the next is out.

    Each batch is stamped as in flight just before its POST starts, once the previous
    answer is in: if the run dies, only the request on the wire and the one whose answer
    was not yet recorded can have reached InterviewFlowAI. The next chunk is taken while
    this one's requests go out (`ChunksAhead`).
    """

    due: Callable[[], QuerySet[Candidate]]
    trigger: str
    user: Any
    limit: int | None
    out_of_time: _Clock
    on_progress: Callable[[PushResult], None] | None
    result: PushResult = field(default_factory=PushResult)
    pending: list[_Pending] = field(default_factory=list)
    claims: dict[uuid.UUID, list[ClaimedCandidate]] = field(default_factory=dict)

    def send(self, client: IngestionClient) -> PushResult:
        try:
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest") as wire:
                self._post_all(wire, client)
        finally:
            for pending in self.pending:
                # The request may have gone out but its outcome was not recorded.
                claim_finish(
                    pending.batch,
                    token=pending.token,
                    state=State.UNCONFIRMED,
                    last_error=UNRECORDED,
                )
            for token, claimed in self.claims.items():
                claim_release(token, claimed)
        return self.result

    def _post_all(self, wire: ThreadPoolExecutor, client: IngestionClient) -> None:
        batches = self._batches()
        try:
            self._post_each(wire, client, batches)
        finally:
            batches.close()  # a chunk taken ahead joins the claims the run gives back

    def _post_each(
        self, wire: ThreadPoolExecutor, client: IngestionClient, batches: Iterator[_Planned]
    ) -> None:
        posted = 0
        for planned in batches:
            # Built and serialised while the previous request is out.
            body = payloads.batch_body(planned.batch)
            sent = json.dumps(body)
            previous = self._answered()
            if previous and previous[1].key_rejected:
                break
            if posted and self.out_of_time(margin=retries.request_duration_max()):
                # Out of time, or asked to stop: the rest goes back to the queue, at the end.
                self.result.unfinished = True
                break
            posted += self._post(wire, client, planned, body, sent)
            if previous:
                self._record(*previous)  # while the next request is on the wire
        if last := self._answered():
            self._record(*last)

    def _batches(self) -> Iterator[_Planned]:
        """The batches of one claimed chunk after another, up to the limit and the deadline.

        The next chunk is taken while this one's requests go out (`ChunksAhead`), asked for
        once the first of them is out: where the run claims it itself (SQLite), no request
        waits for that claim. The first chunk is a few batches only: no request goes out
        before it is taken.
        """
        left, late = self.limit, self.out_of_time()
        ahead = ChunksAhead(self.due)
        try:
            if not late:
                first = settings.INTERVIEWFLOW_BATCH_SIZE * FIRST_CHUNK_BATCHES
                ahead.ask(first if left is None else min(left, first))
            while (chunk := ahead.take()) is not None:
                self.claims[chunk.token] = chunk.claimed
                self.result.failed += chunk.failed
                left = None if left is None else left - len(chunk.claimed)
                planned = _planned(chunk)
                yield from islice(planned, 1)
                if (left is None or left > 0) and not (late := self.out_of_time()):
                    ahead.ask(left)
                yield from planned
        finally:
            if unused := ahead.close():
                self.claims[unused.token] = unused.claimed  # released with the run's claims
        self.result.unfinished = self.result.unfinished or (late and self.due().exists())

    def _post(
        self,
        wire: ThreadPoolExecutor,
        client: IngestionClient,
        planned: _Planned,
        body: dict,
        sent: str,
    ) -> int:
        # Send only under a claim still held, noted as in flight with the batch still out.
        out = [c.pk for p in self.pending if p.token == planned.token for c in p.batch]
        if not claim_for_request(planned.batch, token=planned.token, out=out):
            return 0
        leaving = threading.Event()

        def post() -> Exchange:
            leaving.set()
            return client.ingest(sent)

        answer = wire.submit(post)
        # Wait until the request is under way: this thread then has to ask for the
        # interpreter, which lets the request reach the wire before the recording goes on.
        leaving.wait()
        self.pending.append(
            _Pending(planned.batch, body, planned.token, answer, planned.ends_chunk)
        )
        return 1

    def _answered(self) -> tuple[_Pending, Exchange] | None:
        """The request out, once its answer is in."""
        if not self.pending:
            return None
        return self.pending[0], self.pending[0].answer.result()

    def _record(self, pending: _Pending, exchange: Exchange) -> None:
        self.result.merge(
            exchange_record(
                pending.batch,
                pending.body,
                exchange,
                token=pending.token,
                trigger=self.trigger,
                user=self.user,
            )
        )
        self.pending.remove(pending)
        if pending.ends_chunk:
            # Its chunk is done: give back what was not sent, if anything was not.
            claim_release(pending.token, self.claims.pop(pending.token))
            if self.on_progress:
                self.on_progress(self.result)


def _planned(chunk: Chunk) -> Iterator[_Planned]:
    for number, batch in enumerate(chunk.batches, start=1):
        yield _Planned(chunk.token, batch, ends_chunk=number == len(chunk.batches))


def run_deadline() -> datetime:
    """When a worker's run should be done: soon enough for a platform's stop grace."""
    return timezone.now() + timedelta(seconds=settings.INTERVIEWFLOW_RUN_SECONDS)
