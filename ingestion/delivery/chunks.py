"""A push's chunks: claimed, checked and grouped into requests, the next one while this one's
requests go out.

Taking a chunk of 1,000 candidates (the claim, loading them, every rule checked again, the
grouping into requests) is tens of milliseconds of database and Python work: done between
two requests, it stalls the run once a chunk for longer than a request's wait. So the next
chunk is taken on a thread and a database connection of their own while the requests of
this one go out. Where the database lets two writers work side by side (PostgreSQL: the
claim skips the rows others lock), the thread claims too. SQLite has one writer at a time,
and the run's own writes would wait for the claim's: there the run claims, a short write,
and the thread only reads and checks (`chunk_prepare`). What the checks refuse is failed by
the run when it takes the chunk, so the thread never writes there. Inside a transaction (a
test's, say), or on an in-memory SQLite database, all of it is done by the run when it
takes the chunk: another connection could not see what the run has not committed.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet

from ingestion import payloads
from ingestion.delivery.claims import (
    ClaimedCandidate,
    claim_finish,
    claim_ids,
    claimed_candidates,
)
from recruiting.models import Candidate

State = Candidate.State


@dataclass(frozen=True)
class Chunk:
    """One claim: its candidates, those to send as requests, and those InterviewFlowAI would
    refuse, with why."""

    token: uuid.UUID
    claimed: list[ClaimedCandidate]
    batches: list[list[ClaimedCandidate]]
    refused: list[tuple[ClaimedCandidate, str]]

    @property
    def failed(self) -> int:
        return len(self.refused)


def chunk_take(due: QuerySet[Candidate], *, limit: int | None) -> Chunk | None:
    """Claim some of the due candidates and prepare them (`chunk_prepare`)."""
    claim = claim_ids(due, limit=limit)
    return chunk_prepare(*claim) if claim else None


def chunk_prepare(token: uuid.UUID, pks: list[int]) -> Chunk:
    """Load a claim's candidates, set aside what InterviewFlowAI would refuse, group the rest.

    It only reads: the Interviewer may have changed since queueing, and `chunk_refuse`
    then fails those refused.
    """
    claimed = claimed_candidates(token, pks)
    refused: list[tuple[ClaimedCandidate, str]] = []
    to_send: list[ClaimedCandidate] = []
    for candidate in claimed:
        if problems := candidate.problems():
            refused.append((candidate, " ".join(problems)))
        else:
            to_send.append(candidate)
    batches = payloads.batches(to_send, size=settings.INTERVIEWFLOW_BATCH_SIZE)
    return Chunk(token, claimed, batches, refused)


def chunk_refuse(chunk: Chunk) -> None:
    """Fail what the chunk's checks refused, each with its problems in words."""
    for candidate, problems in chunk.refused:
        claim_finish([candidate], token=chunk.token, state=State.FAILED, last_error=problems)


class ChunksAhead:
    """Takes the next chunk while the run goes on: on its own thread, or inline (above)."""

    def __init__(self, due: Callable[[], QuerySet[Candidate]]) -> None:
        self.due = due
        self._pool = ThreadPoolExecutor(1, "claim") if _apart() else None
        self._claims_apart = connection.features.has_select_for_update_skip_locked
        self._next: Callable[[], Chunk | None] | None = None

    def ask(self, limit: int | None) -> None:
        """Start taking the next chunk, of at most `limit` candidates (inline: when taken)."""
        if self._pool is None:
            self._next = partial(self._take, limit)
        elif self._claims_apart:
            self._next = self._pool.submit(self._take, limit).result
        elif claim := claim_ids(self.due(), limit=limit):
            self._next = self._pool.submit(chunk_prepare, *claim).result
        else:
            self._next = None

    def take(self) -> Chunk | None:
        """The chunk asked for last, once taken; None when none was asked or none was due."""
        next_chunk, self._next = self._next, None
        if (chunk := next_chunk() if next_chunk else None) is not None:
            chunk_refuse(chunk)
        return chunk

    def close(self) -> Chunk | None:
        """Stop, and give back the chunk taken ahead that the run will not use, if any."""
        if self._pool is None:
            self._next = None  # inline, nothing was taken yet
        try:
            return self.take()
        finally:
            if self._pool is not None:
                self._pool.submit(_close_own_connection).result()
                self._pool.shutdown()

    def _take(self, limit: int | None) -> Chunk | None:
        return chunk_take(self.due(), limit=limit)


def _apart() -> bool:
    """Whether a thread with a connection of its own can see what the run commits."""
    if connection.in_atomic_block:
        return False
    return connection.vendor != "sqlite" or not connection.is_in_memory_db()


def _close_own_connection() -> None:
    """Close the connection of the thread this runs on (the name resolves there)."""
    connection.close()
