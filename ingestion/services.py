"""The delivery workflow: queue, claim, send, record, decide what comes next."""

from __future__ import annotations

import logging
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django import db
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from ingestion import payloads, retries
from ingestion.client import Exchange, IngestionClient, default_client
from ingestion.messages import MAY_EXIST, exchange_error
from ingestion.models import (
    RESPONSE_BODY_LIMIT,
    DeliveryStatus,
    IngestionRequest,
    Outcome,
    PushBatch,
    Trigger,
)
from recruiting.models import Candidate
from recruiting.wording import plural

logger = logging.getLogger(__name__)
State = Candidate.State

CLAIM_CHUNK_BATCHES = 10
DISPATCH_CHUNK = 1000
# Progress pages of older pushes are not kept; the history of their requests is.
PUSH_BATCH_RETENTION = timedelta(days=30)
SWEEP_CLAIM_WINDOW = timedelta(seconds=50)
UNRECORDED = f"The push stopped before InterviewFlowAI's answer was recorded. {MAY_EXIST}"
ABANDONED = f"The sending worker stopped before InterviewFlowAI answered. {MAY_EXIST}"


@dataclass
class QueueResult:
    """What happened when staff asked for candidates to be sent."""

    queued: list[int] = field(default_factory=list)
    due: list[int] = field(default_factory=list)
    held: int = 0
    already_sent: int = 0
    in_progress: int = 0
    unconfirmed: int = 0
    invalid: list[tuple[Candidate, list[str]]] = field(default_factory=list)
    dispatched: bool = True
    batch: PushBatch | None = None


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
    recovered: int = 0

    def merge(self, other: PushResult) -> None:
        for name in ("sent", "retrying", "failed", "unconfirmed", "requests"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.paused = self.paused or other.paused
        self.key_rejected = self.key_rejected or other.key_rejected
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


# --- asking for delivery ------------------------------------------------------------------------


def candidates_queue(
    *,
    candidate_ids: Iterable[int],
    user: Any = None,
    resend: bool = False,
    resend_seen_at: datetime | None = None,
    reschedule: bool = False,
    send_at: datetime | None = None,
    now: datetime | None = None,
) -> QueueResult:
    """Mark candidates to be sent; a resend also takes sent, failed and unconfirmed ones.

    `resend_seen_at` is when staff saw the candidates they chose to resend: one delivered
    since then (a second click on the same page) is not sent again. With `reschedule`, the
    candidates queued get `send_at` as their invitation time (None: as soon as sent).
    """
    now = now or timezone.now()
    result = QueueResult()
    # What staff may still edit is what a plain push may send.
    sendable = set(Candidate.EDITABLE_STATES)
    if resend:
        sendable |= {State.SENT, State.UNCONFIRMED}
    if reschedule:
        # A candidate held for its invitation time can be given another one.
        sendable.add(State.QUEUED)
    candidates = Candidate.objects.filter(pk__in=list(candidate_ids)).select_related("interviewer")
    ready: list[int] = []
    holds: dict[int, datetime] = {}
    for candidate in candidates:
        if reschedule:
            candidate.send_at = send_at
        if (
            resend_seen_at
            and candidate.state == State.SENT
            and candidate.updated_at > resend_seen_at
        ):
            result.already_sent += 1
            continue
        if candidate.state not in sendable:
            if candidate.state == State.SENT:
                result.already_sent += 1
            elif candidate.state == State.UNCONFIRMED:
                result.unconfirmed += 1
            else:
                result.in_progress += 1
            continue
        if problems := candidate.problems():
            result.invalid.append((candidate, problems))
            continue
        ready.append(candidate.pk)
        if (hold := candidate.hold_until(now)) > now:
            holds[candidate.pk] = hold
    # Each request to send starts a fresh retry schedule, or a candidate that once failed
    # would give up at its first definite failure.
    changes: dict[str, Any] = {
        "state": State.QUEUED,
        "next_attempt_at": now,
        "last_error": "",
        "attempts": 0,
        "updated_at": now,
    }
    if resend:
        changes |= {"resend_requested_by": user, "resend_requested_at": now}
    if reschedule:
        changes["send_at"] = send_at
    with transaction.atomic():
        # Conditional: a candidate another request queued meanwhile is not queued twice.
        queueable = Candidate.objects.filter(pk__in=ready, state__in=sendable)
        if resend_seen_at:
            queueable = queueable.exclude(state=State.SENT, updated_at__gt=resend_seen_at)
        queueable.update(**changes)
        for pk, hold in holds.items():
            # Invitations further off than the API can delay wait here until they are due.
            Candidate.objects.filter(pk=pk, state=State.QUEUED).update(next_attempt_at=hold)
        result.queued = list(
            Candidate.objects.filter(pk__in=ready, state=State.QUEUED).values_list("pk", flat=True)
        )
        for candidate, problems in result.invalid:
            Candidate.objects.filter(pk=candidate.pk).update(last_error=" ".join(problems))
    result.held = len(holds.keys() & set(result.queued))
    result.due = [pk for pk in result.queued if pk not in holds]
    return result


def candidates_push_request(
    *,
    candidate_ids: Iterable[int],
    trigger: str,
    user: Any = None,
    resend: bool = False,
    resend_seen_at: datetime | None = None,
    reschedule: bool = False,
    send_at: datetime | None = None,
) -> QueueResult:
    """Queue candidates and hand them to a worker once the transaction commits."""
    result = candidates_queue(
        candidate_ids=candidate_ids,
        user=user,
        resend=resend,
        resend_seen_at=resend_seen_at,
        reschedule=reschedule,
        send_at=send_at,
    )
    if result.queued:
        result.batch = push_batch_create(candidate_ids=result.queued, user=user, trigger=trigger)
    if result.due:
        user_id = getattr(user, "pk", None)
        transaction.on_commit(
            lambda: _dispatch(result, result.due, trigger=trigger, user_id=user_id)
        )
    return result


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
            batch_size=DISPATCH_CHUNK,
        )
    return batch


def candidates_schedule_push(
    *, candidate_ids: Iterable[int], send_at: datetime | None, trigger: str, user: Any = None
) -> QueueResult:
    """Queue the candidates with the time their invitations should go out (None: now)."""
    return candidates_push_request(
        candidate_ids=candidate_ids, trigger=trigger, user=user, reschedule=True, send_at=send_at
    )


def _dispatch(result: QueueResult, candidate_ids: Sequence[int], **kwargs: Any) -> None:
    from ingestion.tasks import push_candidates_task

    if push_candidates_task.app.conf.task_always_eager and (
        len(candidate_ids) > settings.INTERVIEWFLOW_INLINE_PUSH_LIMIT
    ):
        # No broker: a large push goes on in a thread of this process, so the page answers at
        # once. Should the process stop, the sweep finds the candidates still queued.
        threading.Thread(
            target=_push_in_background, args=(list(candidate_ids),), kwargs=kwargs, daemon=True
        ).start()
        return
    for start in range(0, len(candidate_ids), DISPATCH_CHUNK):
        chunk = list(candidate_ids[start : start + DISPATCH_CHUNK])
        try:
            push_candidates_task.delay(candidate_ids=chunk, **kwargs)
        except Exception:  # any broker failure: the periodic sweep sends them later
            if push_candidates_task.app.conf.task_always_eager:
                raise
            logger.warning("Could not reach the task broker; queued candidates wait for the sweep")
            result.dispatched = False
            return


def _push_in_background(candidate_ids: list[int], *, trigger: str, user_id: int | None) -> None:
    from ingestion.tasks import push_candidates_task

    try:
        push_candidates_task.apply(
            kwargs={"candidate_ids": candidate_ids, "trigger": trigger, "user_id": user_id}
        )
    except Exception:
        logger.exception("A background push stopped; its candidates wait for the sweep")
    finally:
        db.connections.close_all()


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
        ).exclude(last_error="")[:20]
    ]
    return DeliverySummary(counts=counts, problems=problems)


# --- sending ------------------------------------------------------------------------------------


def candidates_push(
    *,
    trigger: str,
    candidate_ids: Iterable[int] | None = None,
    interviewer_id: int | None = None,
    user: Any = None,
    client: IngestionClient | None = None,
    on_progress: Callable[[PushResult], None] | None = None,
    claim_until: datetime | None = None,
) -> PushResult:
    """Send every queued, due candidate (of those given), a claimed chunk at a time.

    With `claim_until`, no new chunk is claimed after that time: what is left waits, still
    queued, for the next run.
    """
    result = PushResult()
    if DeliveryStatus.current().paused:
        result.paused = True
        return result
    ids = list(candidate_ids) if candidate_ids is not None else None
    own_client = client is None
    client = client or default_client()
    try:
        while (claim_until is None or timezone.now() < claim_until) and (
            claimed := _claim(ids, interviewer_id=interviewer_id)
        ):
            token = claimed[0].claim_token
            chunk = _send_claimed(claimed, token=token, trigger=trigger, user=user, client=client)
            result.merge(chunk)
            if on_progress:
                on_progress(result)
            if chunk.key_rejected:
                break
    finally:
        if own_client:
            client.close()
    return result


def due_candidates(*, interviewer_id: int | None = None) -> QuerySet[Candidate]:
    due = Candidate.objects.filter(state=State.QUEUED, next_attempt_at__lte=timezone.now())
    if interviewer_id is not None:
        due = due.filter(interviewer_id=interviewer_id)
    return due


def push_preview(candidates: QuerySet[Candidate]) -> list[dict[str, Any]]:
    """The request bodies that sending these candidates would POST, sending nothing."""
    sendable = [c for c in candidates.select_related("interviewer") if not c.problems()]
    return [
        payloads.batch_body(batch)
        for batch in payloads.batches(sendable, size=settings.INTERVIEWFLOW_BATCH_SIZE)
    ]


def _claim(ids: list[int] | None, *, interviewer_id: int | None) -> list[Candidate]:
    """Take due candidates for this run; a candidate is only ever claimed by one run."""
    now = timezone.now()
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
            lease_expires_at=now + retries.lease_duration(),
        )
    return list(
        Candidate.objects.filter(claim_token=token, state=State.SENDING)
        .select_related("interviewer")
        .order_by("pk")
    )


def _send_claimed(
    claimed: list[Candidate], *, token: uuid.UUID, trigger: str, user: Any, client: IngestionClient
) -> PushResult:
    result = PushResult()
    to_send: list[Candidate] = []
    for candidate in claimed:
        if problems := candidate.problems():
            # Checked again here: the Interviewer may have changed since the candidate was queued.
            _finish([candidate], token=token, state=State.FAILED, last_error=" ".join(problems))
            result.failed += 1
        else:
            to_send.append(candidate)
    in_flight: list[Candidate] = []
    try:
        for batch in payloads.batches(to_send, size=settings.INTERVIEWFLOW_BATCH_SIZE):
            # Renew the whole claim before each request so that waiting candidates never
            # look abandoned, and send only what this run still owns.
            owned = _renew_lease([c.pk for c in to_send], token=token)
            in_flight = [c for c in batch if c.pk in owned]
            if not in_flight:
                continue
            body = payloads.batch_body(in_flight)
            exchange = client.ingest(body)
            result.merge(
                _record(in_flight, body, exchange, token=token, trigger=trigger, user=user)
            )
            in_flight = []
            if exchange.key_rejected:
                break
    finally:
        if in_flight:
            # The request may have gone out but its outcome was not recorded.
            _finish(in_flight, token=token, state=State.UNCONFIRMED, last_error=UNRECORDED)
        _release(token)
    return result


def _renew_lease(pks: list[int], *, token: uuid.UUID) -> set[int]:
    owned = Candidate.objects.filter(pk__in=pks, claim_token=token, state=State.SENDING)
    owned.update(lease_expires_at=timezone.now() + retries.lease_duration())
    return set(owned.values_list("pk", flat=True))


def _release(token: uuid.UUID) -> None:
    """Give back what a run claimed but did not send (it stopped early)."""
    Candidate.objects.filter(claim_token=token, state=State.SENDING).update(
        state=State.QUEUED, claim_token=None, lease_expires_at=None
    )


def _finish(candidates: Sequence[Candidate], *, token: uuid.UUID, **changes: Any) -> None:
    # update() leaves auto_now alone: set updated_at, which resend_failed --since reads.
    Candidate.objects.filter(pk__in=[c.pk for c in candidates], claim_token=token).update(
        claim_token=None, lease_expires_at=None, updated_at=timezone.now(), **changes
    )


def _record(
    batch: list[Candidate],
    body: dict[str, Any],
    exchange: Exchange,
    *,
    token: uuid.UUID,
    trigger: str,
    user: Any,
) -> PushResult:
    """Keep the exchange as history and move each candidate to its next state."""
    result = PushResult(requests=1)
    now = timezone.now()
    response_body, response_truncated = _cut_to_bytes(exchange.text, RESPONSE_BODY_LIMIT)
    with transaction.atomic():
        request = IngestionRequest.objects.create(
            interviewer=batch[0].interviewer,
            candidate_count=len(batch),
            trigger=trigger,
            user=user if getattr(user, "pk", None) else None,
            url=exchange.url,
            request_body=body,
            started_at=now - timedelta(milliseconds=exchange.duration_ms),
            duration_ms=exchange.duration_ms,
            http_status=exchange.status_code,
            response_body=response_body,
            response_truncated=response_truncated,
            error_class=exchange.error_class,
            error_message=exchange.error_message,
            outcome=exchange.outcome,
        )
        request.candidates.set(batch)
        error = "" if exchange.outcome == Outcome.ACCEPTED else exchange_error(exchange, body=body)
        match exchange.outcome:
            case Outcome.ACCEPTED:
                _mark_sent(batch, exchange, token=token, now=now)
                result.sent = len(batch)
                _health(last_success_at=now, paused_at=None, paused_reason="")
            case _ if exchange.key_rejected:
                # The key is wrong, not the candidates: they wait, and delivery pauses.
                _finish(batch, token=token, state=State.QUEUED, last_error=error)
                _health(last_failure_at=now, paused_at=now, paused_reason=error)
                result.key_rejected = result.paused = True
            case Outcome.RETRY:
                result.merge(_schedule_retry(batch, exchange, error, token=token, now=now))
            case Outcome.UNKNOWN if settings.INTERVIEWFLOW_RETRY_UNKNOWN:
                result.merge(_schedule_retry(batch, exchange, error, token=token, now=now))
            case Outcome.UNKNOWN:
                _finish(
                    batch,
                    token=token,
                    state=State.UNCONFIRMED,
                    last_error=error,
                    attempts=F("attempts") + 1,
                )
                result.unconfirmed = len(batch)
            case _:
                _finish(
                    batch,
                    token=token,
                    state=State.FAILED,
                    last_error=error,
                    attempts=F("attempts") + 1,
                )
                result.failed = len(batch)
        if exchange.outcome != Outcome.ACCEPTED:
            result.errors.append(error)
            _health(last_failure_at=now)
    return result


def _cut_to_bytes(text: str, limit: int) -> tuple[str, bool]:
    """Keep at most `limit` bytes of UTF-8, never half a character; say whether it was cut."""
    data = text.encode()
    return data[:limit].decode(errors="ignore"), len(data) > limit


def _mark_sent(
    batch: list[Candidate], exchange: Exchange, *, token: uuid.UUID, now: datetime
) -> None:
    ids = upstream_ids(exchange.data, batch)
    for candidate in batch:
        candidate.state = State.SENT
        candidate.sent_at = candidate.updated_at = now
        candidate.attempts += 1
        candidate.last_error = ""
        candidate.upstream_id = ids.get(candidate.email, "")
        candidate.next_attempt_at = candidate.lease_expires_at = candidate.claim_token = None
    # A candidate the sweep gave up on while this request was out (lease expired, now
    # unconfirmed and unclaimed) was delivered after all: record it as sent.
    owned = set(
        Candidate.objects.filter(pk__in=[c.pk for c in batch])
        .filter(Q(claim_token=token) | Q(state=State.UNCONFIRMED, claim_token__isnull=True))
        .values_list("pk", flat=True)
    )
    Candidate.objects.bulk_update(
        [c for c in batch if c.pk in owned],
        [
            "state",
            "sent_at",
            "updated_at",
            "attempts",
            "last_error",
            "upstream_id",
            "next_attempt_at",
            "lease_expires_at",
            "claim_token",
        ],
    )


def _schedule_retry(
    batch: list[Candidate], exchange: Exchange, error: str, *, token: uuid.UUID, now: datetime
) -> PushResult:
    result = PushResult()
    for candidate in batch:
        attempts = candidate.attempts + 1
        delay = retries.retry_delay(
            attempts=attempts, retry_after=exchange.retry_after, status_code=exchange.status_code
        )
        if delay is None:
            _finish(
                [candidate],
                token=token,
                state=State.FAILED,
                attempts=attempts,
                last_error=f"{error} Gave up after {plural(attempts, 'attempt')}.",
            )
            result.failed += 1
        else:
            _finish(
                [candidate],
                token=token,
                state=State.QUEUED,
                attempts=attempts,
                next_attempt_at=now + delay,
                last_error=error,
            )
            result.retrying += 1
    return result


def upstream_ids(data: Any, batch: Sequence[Candidate]) -> dict[str, str]:
    """Map emails to the ids InterviewFlowAI returned, when it returned any."""
    items = data.get("data") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return {}
    found: dict[str, str] = {}
    for index, item in enumerate(items):
        if not isinstance(item, dict) or item.get("id") in (None, ""):
            continue
        email = str(item.get("email") or "").lower()
        if not email and len(items) == len(batch):
            email = batch[index].email
        if email:
            found[email] = str(item["id"])
    return found


def _health(**changes: Any) -> None:
    DeliveryStatus.current()
    DeliveryStatus.objects.filter(pk=1).update(**changes)


# --- housekeeping -------------------------------------------------------------------------------


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


def push_batches_prune() -> int:
    """Forget pushes old enough that nobody follows their progress any more."""
    cutoff = timezone.now() - PUSH_BATCH_RETENTION
    deleted, _ = PushBatch.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def delivery_sweep() -> PushResult:
    """The periodic job: recover abandoned claims, then send everything that is due."""
    push_batches_prune()
    recovered = leases_recover()
    # Within a minute, so sweeps seldom overlap and a backlog never runs into the task's
    # time limit mid-request; the next sweep carries on.
    result = candidates_push(
        trigger=Trigger.SCHEDULE, claim_until=timezone.now() + SWEEP_CLAIM_WINDOW
    )
    result.recovered = recovered
    return result


def delivery_resume() -> None:
    _health(paused_at=None, paused_reason="")
