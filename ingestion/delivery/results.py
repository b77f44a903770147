"""What queueing and sending report back: plain data, worded by `ingestion.delivery.report`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import QuerySet

from ingestion.models import PushBatch
from recruiting.locks import push_refusal, resend_refusal
from recruiting.models import Candidate
from recruiting.wording import plural

State = Candidate.State
COUNTERS = ("sent", "retrying", "failed", "unconfirmed", "requests")


@dataclass(frozen=True)
class LeftOut:
    """Candidates left out for one reason: how many, and the first few, to name them."""

    count: int
    examples: list[Candidate]


@dataclass
class QueueResult:
    """What happened when staff asked for candidates to be sent."""

    queued: int = 0
    held: int = 0  # queued, but waiting for a time 96 hours before their invitation
    # Left alone, by state: on their way, or perhaps already in InterviewFlowAI.
    skipped: dict[str, LeftOut] = field(default_factory=dict)
    # Refused as InterviewFlowAI would refuse them, by reason in words.
    invalid: dict[str, LeftOut] = field(default_factory=dict)
    dispatched: bool = True
    batch: PushBatch | None = None  # the push: exactly the candidates queued
    resend: bool = False  # the skipped ones are worded for a resend
    selected: int = 0  # kept as a push to be queued in the background: how many

    @property
    def due(self) -> int:
        return self.queued - self.held

    def candidates(self) -> QuerySet[Candidate]:
        """The candidates this push queued, as a query (never a list of their ids)."""
        if self.batch is None:
            return Candidate.objects.none()
        return Candidate.objects.filter(push_batches=self.batch)

    def refusal(self, state: str) -> str:
        """Why a candidate in this state was skipped."""
        return resend_refusal(state) if self.resend else push_refusal(state)

    @property
    def already_sent(self) -> int:
        return self._skipped_in(State.SENT)

    @property
    def unconfirmed(self) -> int:
        return self._skipped_in(State.UNCONFIRMED)

    @property
    def in_progress(self) -> int:
        return self._skipped_in(State.QUEUED, State.SENDING)

    def _skipped_in(self, *states: str) -> int:
        return sum(left.count for state, left in self.skipped.items() if state in states)


@dataclass
class PushResult:
    """What one push run did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    unconfirmed: int = 0
    requests: int = 0
    paused: bool = False
    key_rejected: bool = False
    errors: list[str] = field(default_factory=list)
    recovered: int = 0  # abandoned in a request in flight: now unconfirmed
    requeued: int = 0  # abandoned before they were sent: queued again
    # Stopped at its deadline with candidates still due: the next run carries on.
    unfinished: bool = False

    @property
    def handled(self) -> int:
        return self.sent + self.retrying + self.failed + self.unconfirmed

    def merge(self, other: PushResult) -> None:
        for name in COUNTERS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.paused = self.paused or other.paused
        self.key_rejected = self.key_rejected or other.key_rejected
        self.unfinished = self.unfinished or other.unfinished
        self.errors.extend(other.errors)

    def summary(self) -> str:
        if self.paused and not self.requests:
            return "Delivery is paused because the API key was rejected; nothing was sent."
        parts = [
            f"{plural(self.sent, 'candidate')} sent",
            f"{self.retrying} will be retried",
            f"{self.failed} failed",
            f"{self.unconfirmed} unconfirmed",
        ]
        return f"{', '.join(parts)} ({plural(self.requests, 'request')})."


@dataclass
class DeliverySummary:
    """Where a set of candidates stands now, for messages and progress pages."""

    counts: Counter[str]
    problems: list[tuple[Candidate, str]]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def finished(self) -> bool:
        return not (self.counts[State.QUEUED] or self.counts[State.SENDING])
