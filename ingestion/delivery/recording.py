"""Keep each exchange as history, and move its candidates to their next state."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.utils import timezone

from ingestion.client import Exchange, Outcome
from ingestion.delivery import retries, statements
from ingestion.delivery.claims import ClaimedCandidate, claim_finish
from ingestion.delivery.results import PushResult
from ingestion.messages import exchange_error
from ingestion.models import RESPONSE_BODY_LIMIT, DeliveryStatus, IngestionRequest
from ingestion.payloads import upstream_ids
from recruiting.id_lists import id_array, pk_among
from recruiting.models import Candidate, Interviewer
from recruiting.wording import plural

logger = logging.getLogger(__name__)
# Within SQLite's oldest limit of 999 parameters a statement; a batch of 100 is one INSERT.
LINKS_PER_INSERT = 450
State = Candidate.State
HEALTH_EVERY = timedelta(seconds=10)
# batch, exchange, the error in words, token, now -> what happened to the batch
Transition = Callable[..., PushResult]
# The candidates a history row links: models, or the rows a push read.
Linked = Sequence[Candidate | ClaimedCandidate]


def exchange_record(
    batch: Sequence[ClaimedCandidate],
    body: dict[str, Any],
    exchange: Exchange,
    *,
    token: uuid.UUID,
    trigger: str,
    user: Any,
) -> PushResult:
    """Keep the exchange as history and move each candidate to its next state."""
    now = timezone.now()
    error = "" if exchange.outcome == Outcome.ACCEPTED else exchange_error(exchange, body=body)
    history = history_values(
        interviewer=batch[0].interviewer,
        candidates=batch,
        body=body,
        exchange=exchange,
        trigger=trigger,
        user=user,
        now=now,
    )
    if exchange.outcome == Outcome.ACCEPTED and connection.vendor == "postgresql":
        result = _accepted_at_once(batch, history, exchange, token=token, now=now)
    else:
        with transaction.atomic():
            _history_save(history, batch)
            result = _transition(exchange)(batch, exchange, error, token=token, now=now)
            health_record(exchange, error, now=now)
    result.requests = 1
    if error:
        result.errors.append(error)
    _log(batch, exchange)
    return result


def _accepted_at_once(
    batch: Sequence[ClaimedCandidate],
    history: dict[str, Any],
    exchange: Exchange,
    *,
    token: uuid.UUID,
    now: datetime,
) -> PushResult:
    """The common case in one statement on PostgreSQL: history, links, sent, health.

    The other databases run these four writes in a transaction: six round trips with its
    BEGIN and COMMIT, where this is one, and far less of psycopg's work at each. The parts
    are compiled from the same querysets and values (`statements`).
    """
    if exchange.sent:
        # The text that went out, read by the database: not serialised a second time.
        history = {**history, "request_body": RawSQL("%s::jsonb", [exchange.sent])}
    parts = {
        "request": statements.insert_sql(IngestionRequest, history),
        "links": (
            _links_sql(id_from="request.id", rest=" FROM request"),
            (id_array(c.pk for c in batch),),
        ),
        "sent": statements.update_sql(*_sent(batch, exchange, token=token, now=now)),
        "health": statements.update_sql(*_success(now)),
    }
    sql, params = statements.together(parts, ("SELECT id FROM request", ()))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    return PushResult(sent=len(batch))


def _log(batch: Sequence[ClaimedCandidate], exchange: Exchange) -> None:
    """One line per HTTP attempt; never the key, and no candidate named at INFO."""
    interviewer = batch[0].interviewer
    answer = f"HTTP {exchange.status_code}" if exchange.status_code else exchange.error_class
    level = logging.INFO if exchange.outcome == Outcome.ACCEPTED else logging.WARNING
    logger.log(
        level,
        "POST %s: %s for interviewer %s, %s in %d ms, %s",
        exchange.url,
        plural(len(batch), "candidate"),
        interviewer.external_id,
        answer,
        exchange.duration_ms,
        exchange.outcome,
    )


def history_create(*, candidates: Linked, **fields: Any) -> IngestionRequest:
    """One history row for one HTTP attempt (`history_values`), linked to its candidates."""
    return _history_save(history_values(candidates=candidates, **fields), candidates)


def _history_save(values: dict[str, Any], candidates: Linked) -> IngestionRequest:
    request = IngestionRequest.objects.create(**values)
    _links_create(request, candidates)
    return request


def history_values(
    *,
    interviewer: Interviewer,
    candidates: Linked,
    body: dict[str, Any],
    exchange: Exchange,
    trigger: str,
    user: Any,
    now: datetime,
) -> dict[str, Any]:
    """The fields of the history row of one HTTP attempt."""
    response_body, response_truncated = _cut_to_bytes(exchange.text, RESPONSE_BODY_LIMIT)
    return {
        "interviewer": interviewer,
        "candidate_count": len(candidates),
        "trigger": trigger,
        "user": user if getattr(user, "pk", None) else None,
        "url": exchange.url,
        "request_body": body,
        "started_at": now - timedelta(milliseconds=exchange.duration_ms),
        "duration_ms": exchange.duration_ms,
        "http_status": exchange.status_code,
        "response_body": response_body,
        "response_truncated": response_truncated,
        "error_class": exchange.error_class,
        "error_message": exchange.error_message,
        "outcome": exchange.outcome,
    }


def _links_insert() -> str:
    table = IngestionRequest.candidates.through._meta.db_table
    return f"INSERT INTO {connection.ops.quote_name(table)} (ingestionrequest_id, candidate_id)"


def _links_sql(*, id_from: str, rest: str = "") -> str:
    """On PostgreSQL, the links as one array parameter: no placeholder per link."""
    return f"{_links_insert()} SELECT {id_from}, unnest(%s::bigint[]){rest}"


def _links_create(request: IngestionRequest, candidates: Linked) -> None:
    # One plain INSERT: set() would first read which links exist (none can), and
    # bulk_create would build a model instance per link.
    if not candidates:
        return
    ids = [c.pk for c in candidates]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_links_sql(id_from="%s"), [request.pk, id_array(ids)])
            return
        insert = _links_insert()
        for start in range(0, len(ids), LINKS_PER_INSERT):
            values, params = _pairs(
                [(request.pk, pk) for pk in ids[start : start + LINKS_PER_INSERT]]
            )
            cursor.execute(f"{insert} VALUES {values}", params)


def _pairs(rows: list[tuple[Any, Any]]) -> tuple[str, list[Any]]:
    """The SQL of a VALUES list of pairs, and its parameters."""
    return ", ".join(["(%s, %s)"] * len(rows)), [value for row in rows for value in row]


def _transition(exchange: Exchange) -> Transition:
    if exchange.key_rejected:
        return _wait_for_key
    if exchange.outcome == Outcome.UNKNOWN and settings.INTERVIEWFLOW_RETRY_UNKNOWN:
        return _retry
    return TRANSITIONS[exchange.outcome]


def _deliver(
    batch: Sequence[ClaimedCandidate],
    exchange: Exchange,
    error: str,
    *,
    token: uuid.UUID,
    now: datetime,
) -> PushResult:
    """One UPDATE for the whole batch, with the ids InterviewFlowAI gave when it gave any."""
    candidates, changes = _sent(batch, exchange, token=token, now=now)
    candidates.update(**changes)
    return PushResult(sent=len(batch))


def _sent(
    batch: Sequence[ClaimedCandidate], exchange: Exchange, *, token: uuid.UUID, now: datetime
) -> tuple[QuerySet[Candidate], dict[str, Any]]:
    """The candidates of a batch accepted, and what changes for them."""
    # A candidate the sweep gave up on while this request was out (lease expired, now
    # unconfirmed and unclaimed) was delivered after all: record it as sent.
    candidates = Candidate.objects.filter(pk_among(c.pk for c in batch)).filter(
        Q(claim_token=token) | Q(state=State.UNCONFIRMED, claim_token__isnull=True)
    )
    return candidates, {
        "state": State.SENT,
        "sent_at": now,
        "updated_at": now,
        "attempts": F("attempts") + 1,
        "last_error": "",
        "upstream_id": _answered_ids(batch, upstream_ids(exchange.data, batch)),
        "next_attempt_at": None,
        "claim_token": None,
    }


def _answered_ids(batch: Sequence[ClaimedCandidate], ids: dict[str, str]) -> Value | RawSQL:
    """Each candidate's id upstream, read from a JSON object or a VALUES list: cheaper than
    a CASE per row."""
    limit = Candidate._meta.get_field("upstream_id").max_length
    if not (rows := [(c.pk, ids[c.email][:limit]) for c in batch if c.email in ids]):
        return Value("")
    table = connection.ops.quote_name(Candidate._meta.db_table)
    if connection.vendor == "postgresql":
        # One parameter, ids to answers: a string the driver quotes in C, where a list of
        # texts is dumped one by one in Python.
        answered = json.dumps({str(pk): upstream for pk, upstream in rows})
        return RawSQL(f"COALESCE((%s::jsonb) ->> {table}.id::text, '')", [answered])
    values, params = _pairs(rows)
    # SQLite names a VALUES list's columns column1, column2.
    return RawSQL(
        f"COALESCE((SELECT answered.column2 FROM (VALUES {values}) AS answered "
        f"WHERE answered.column1 = {table}.id), '')",
        params,
    )


def _wait_for_key(
    batch: Sequence[ClaimedCandidate],
    exchange: Exchange,
    error: str,
    *,
    token: uuid.UUID,
    now: datetime,
) -> PushResult:
    # The key is wrong, not the candidates: they wait, and delivery pauses.
    claim_finish(batch, token=token, state=State.QUEUED, last_error=error)
    return PushResult(key_rejected=True, paused=True)


def _retry(
    batch: Sequence[ClaimedCandidate],
    exchange: Exchange,
    error: str,
    *,
    token: uuid.UUID,
    now: datetime,
) -> PushResult:
    result = PushResult()
    for candidate in batch:
        attempts = candidate.attempts + 1
        delay = retries.retry_delay(
            attempts=attempts, retry_after=exchange.retry_after, status_code=exchange.status_code
        )
        if delay is None:
            gave_up = f"{error} Gave up after {plural(attempts, 'attempt')}."
            changes = {"state": State.FAILED, "last_error": gave_up}
            result.failed += 1
        else:
            changes = {"state": State.QUEUED, "next_attempt_at": now + delay, "last_error": error}
            result.retrying += 1
        claim_finish([candidate], token=token, attempts=attempts, **changes)
    return result


def _settle(state: str, counter: str) -> Transition:
    """A final state for the whole batch: counted as one more attempt, never retried."""

    def settle(
        batch: Sequence[ClaimedCandidate],
        exchange: Exchange,
        error: str,
        *,
        token: uuid.UUID,
        now: datetime,
    ) -> PushResult:
        claim_finish(batch, token=token, state=state, last_error=error, attempts=F("attempts") + 1)
        return PushResult(**{counter: len(batch)})

    return settle


TRANSITIONS: dict[str, Transition] = {
    Outcome.ACCEPTED: _deliver,
    Outcome.RETRY: _retry,
    Outcome.UNKNOWN: _settle(State.UNCONFIRMED, "unconfirmed"),
    Outcome.REJECTED: _settle(State.FAILED, "failed"),
}


def health_record(exchange: Exchange, error: str, *, now: datetime) -> None:
    """Remember when the API last said yes or no, and pause delivery on a rejected key."""
    if exchange.outcome == Outcome.ACCEPTED:
        status, changes = _success(now)
        status.update(**changes)
    elif exchange.key_rejected:
        delivery_health_update(last_failure_at=now, paused_at=now, paused_reason=error)
    else:
        delivery_health_update(last_failure_at=now)


def _success(now: datetime) -> tuple[QuerySet[DeliveryStatus], dict[str, Any]]:
    """A success to note, unless one was noted lately and nothing has gone wrong since."""
    # A run of successes writes the row once every few seconds, not once a batch.
    stale = Q(last_success_at__isnull=True) | Q(last_success_at__lt=now - HEALTH_EVERY)
    changed = Q(paused_at__isnull=False) | Q(last_failure_at__gt=F("last_success_at"))
    status = DeliveryStatus.objects.filter(pk=1).filter(stale | changed)
    return status, {"last_success_at": now, "paused_at": None, "paused_reason": ""}


def delivery_health_update(**changes: Any) -> None:
    DeliveryStatus.current()
    DeliveryStatus.objects.filter(pk=1).update(**changes)


def _cut_to_bytes(text: str, limit: int) -> tuple[str, bool]:
    """Keep at most `limit` bytes of UTF-8, never half a character; say whether it was cut."""
    data = text.encode()
    return data[:limit].decode(errors="ignore"), len(data) > limit
