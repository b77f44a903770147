"""A push's chunks: claimed, checked and grouped into requests, the next one while this one's
requests go out.

Taking a chunk of 1,000 candidates (the claim, loading them, every rule checked again, the
grouping into requests) is tens of milliseconds of database and Python work: done between
two requests, it stalls the run once a chunk for longer than a request's wait. So the next
chunk is taken on a thread and a database connection of their own, while the requests of
this one go out, where the database lets two writers work side by side (PostgreSQL: the
claim skips the rows others lock). SQLite has one writer at a time, and the run's own
writes would wait for the claim's, so there the chunk is taken inline, between requests, as
it is when the run's own connection is inside a transaction (a test's, say): another
connection could not see what that transaction has not committed.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet

from ingestion import payloads
from ingestion.delivery.claims import candidates_claim, claim_finish
from recruiting.models import Candidate

State = Candidate.State


@dataclass(frozen=True)
class Chunk:
    """One claim: its candidates, those of them to send as requests, and how many failed."""

    token: uuid.UUID
    claimed: list[Candidate]
    batches: list[list[Candidate]]
    failed: int


def chunk_take(due: QuerySet[Candidate], *, limit: int | None) -> Chunk | None:
    """Claim some of the due candidates, fail those InterviewFlowAI would refuse, group the rest."""
    if not (claimed := candidates_claim(due, limit=limit)):
        return None
    token = claimed[0].claim_token
    to_send = _drop_unsendable(claimed, token=token)
    batches = payloads.batches(to_send, size=settings.INTERVIEWFLOW_BATCH_SIZE)
    return Chunk(token, claimed, batches, failed=len(claimed) - len(to_send))


def _drop_unsendable(claimed: list[Candidate], *, token: uuid.UUID) -> list[Candidate]:
    """Fail what InterviewFlowAI would reject; the Interviewer may have changed since queueing."""
    to_send: list[Candidate] = []
    for candidate in claimed:
        if problems := candidate.problems():
            claim_finish(
                [candidate], token=token, state=State.FAILED, last_error=" ".join(problems)
            )
        else:
            to_send.append(candidate)
    return to_send


class ChunksAhead:
    """Takes the next chunk while the run goes on: on its own thread, or inline (above)."""

    def __init__(self, due: Callable[[], QuerySet[Candidate]]) -> None:
        self.due = due
        side_by_side = connection.features.has_select_for_update_skip_locked
        ahead = side_by_side and not connection.in_atomic_block
        self._pool = ThreadPoolExecutor(1, "claim") if ahead else None
        self._next: Future[Chunk | None] | None = None
        self._asked = False
        self._limit: int | None = None

    def ask(self, limit: int | None) -> None:
        """Start taking the next chunk, of at most `limit` candidates (inline: when taken)."""
        if self._pool is None:
            self._asked, self._limit = True, limit
        else:
            self._next = self._pool.submit(self._take, limit)

    def take(self) -> Chunk | None:
        """The chunk asked for last, once taken; None when none was asked or none was due."""
        if self._asked:
            self._asked = False
            return chunk_take(self.due(), limit=self._limit)
        next_chunk, self._next = self._next, None
        return next_chunk.result() if next_chunk is not None else None

    def close(self) -> Chunk | None:
        """Stop, and give back the chunk taken ahead that the run will not use, if any."""
        self._asked = False  # inline, nothing was taken yet
        try:
            return self.take()
        finally:
            if self._pool is not None:
                self._pool.submit(_close_own_connection).result()
                self._pool.shutdown()

    def _take(self, limit: int | None) -> Chunk | None:
        return chunk_take(self.due(), limit=limit)


def _close_own_connection() -> None:
    """Close the connection of the thread this runs on (the name resolves there)."""
    connection.close()
