"""What a push did, in plain words: the same lines in the admin and in the commands.

Each line has a level and may point to the push's progress page or its history; the
admin turns those into links, the commands print the text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.db.models import Count, Min, QuerySet
from django.utils import timezone

from ingestion.delivery.results import DeliverySummary, QueueResult
from ingestion.delivery.selectors import delivery_summary
from ingestion.models import DeliveryStatus
from recruiting.models import Candidate
from recruiting.wording import by_reason, counted, local_time, plural

State = Candidate.State
# Candidates on their way are no cause for concern; those perhaps upstream are.
SKIP_LEVELS = {State.QUEUED: "info", State.SENDING: "info"}


class Link(StrEnum):
    NONE = ""
    PROGRESS = "progress"
    HISTORY = "history"  # the progress page and the history


@dataclass(frozen=True)
class PushLine:
    level: str  # success, info, warning or error
    text: str
    link: Link = Link.NONE


def push_messages(result: QueueResult) -> list[PushLine]:
    """Where the candidates a push queued stand now, and why the others were not sent."""
    if result.selected:
        text = (
            f"{plural(result.selected, 'candidate')} selected: so many are queued in the "
            "background, then sent. The progress page shows how far it has got, and which "
            "were left out and why."
        )
        return [PushLine("info", text, Link.PROGRESS)]
    summary = delivery_summary(result.candidates().values("pk"))
    return [*_outcomes(result, summary), *_left_out(result)]


def left_out_lines(result: QueueResult) -> list[dict[str, str]]:
    """Why some of a selection was not queued, as data a push keeps for its progress page."""
    return [{"level": line.level, "text": line.text} for line in _left_out(result)]


def _outcomes(result: QueueResult, summary: DeliverySummary) -> Iterator[PushLine]:
    counts = summary.counts
    if counts[State.SENT]:
        sent = f"{plural(counts[State.SENT], 'candidate')} sent to InterviewFlowAI."
        yield PushLine("info", sent, Link.HISTORY)
    if result.held:
        yield PushLine(
            "info",
            f"{plural(result.held, 'candidate')} held until 96 hours before their invitation "
            "time: they will be sent then.",
            Link.PROGRESS,
        )
    later, first = _waiting_later(result.candidates())
    if (due := counts[State.QUEUED] + counts[State.SENDING] - later) > 0:
        yield _waiting(due, dispatched=result.dispatched)
    if (retrying := later - result.held) > 0:
        yield PushLine(
            "warning",
            f"{plural(retrying, 'candidate')} will be tried again from {local_time(first)}, "
            "for the reason below.",
            Link.PROGRESS,
        )
    for state, level in ((State.FAILED, "error"), (State.UNCONFIRMED, "warning")):
        if counts[state]:
            yield PushLine(level, f"{plural(counts[state], 'candidate')} {state}.", Link.HISTORY)
    for line in by_reason(summary.problems):
        yield PushLine("warning", line)


def _waiting_later(candidates: QuerySet[Candidate]) -> tuple[int, datetime | None]:
    """How many queued candidates wait for a later time, and the first of those times."""
    later = candidates.filter(state=State.QUEUED, next_attempt_at__gt=timezone.now()).aggregate(
        count=Count("pk"), first=Min("next_attempt_at")
    )
    return later["count"], later["first"]


def _waiting(count: int, *, dispatched: bool) -> PushLine:
    if DeliveryStatus.current().paused:
        return PushLine(
            "warning",
            f"{plural(count, 'candidate')} queued, but delivery is paused because "
            "InterviewFlowAI rejected the API key: they will be sent once delivery is resumed.",
            Link.PROGRESS,
        )
    where = (
        "in the background"
        if dispatched
        else "by the next scheduled run (the task queue could not be reached)"
    )
    text = f"{plural(count, 'candidate')} queued: they will be sent {where}."
    return PushLine("info", text, Link.PROGRESS)


def _left_out(result: QueueResult) -> Iterator[PushLine]:
    for state, left in result.skipped.items():
        line = counted(left.examples, result.refusal(state), what="skipped", count=left.count)
        yield PushLine(SKIP_LEVELS.get(state, "warning"), line)
    for reason, left in result.invalid.items():
        yield PushLine("error", counted(left.examples, reason, what="not sent", count=left.count))
