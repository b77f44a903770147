"""Keep each accepted ATS delivery, then apply it: a rule, an imported row, a queued push.

A delivery is kept once per event (the sender's id, or a hash of the body), so an ATS that
delivers an event again is answered as before and nothing is applied twice.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from ingestion.delivery.queueing import candidates_queue
from ingestion.delivery.results import QueueResult
from ingestion.inbound.ats import messages
from ingestion.inbound.ats.import_row import event_row
from ingestion.inbound.ats.matching import rule_for
from ingestion.inbound.ats.readers import TEXT_LIMIT, AtsEvent, event_id_read, event_read
from ingestion.inbound.pending import pending_ids
from ingestion.models import AtsConnection, AtsDelivery, AtsRule, Trigger
from recruiting import rules
from recruiting.imports.results import ImportOptions, ImportResult
from recruiting.imports.service import candidates_import_rows
from recruiting.models import Candidate
from recruiting.reading import SpreadsheetError

State = AtsDelivery.State


@dataclass
class Decision:
    state: str
    outcome: str
    candidate: Candidate | None = None
    push_batch_id: int | None = None  # the push it queued now, for a worker to send


def ats_delivery_keep(
    *,
    connection: AtsConnection,
    raw: bytes,
    body: dict[str, Any],
    headers: Mapping[str, str],
    digest: str,
) -> tuple[AtsDelivery, bool]:
    """Store the delivery as it came; False when this event was already kept.

    The event is known by the sender's id for it or, when it gives none, by `digest`.
    """
    event_id = event_id_read(kind=connection.kind, body=body, headers=headers) or digest
    try:
        with transaction.atomic():
            delivery = AtsDelivery.objects.create(
                connection=connection, event_id=event_id, body=raw.decode("utf-8")
            )
        return delivery, True
    except IntegrityError:  # delivered before, or by a redelivery racing this one
        return AtsDelivery.objects.get(connection=connection, event_id=event_id), False


def ats_rejection_count(*, connection: AtsConnection) -> None:
    """Count a delivery refused for its signature: nothing of it is kept."""
    AtsConnection.objects.filter(pk=connection.pk).update(
        rejected_count=F("rejected_count") + 1, last_rejected_at=timezone.now()
    )


def ats_delivery_apply(*, delivery_id: int) -> Decision | None:
    """Apply a received delivery once; None when another run applied it already."""
    with transaction.atomic():
        delivery = (
            AtsDelivery.objects.select_for_update()
            .select_related("connection")
            .filter(pk=delivery_id, state=State.RECEIVED)
            .first()
        )
        if delivery is None:
            return None
        event = event_read(kind=delivery.connection.kind, body=json.loads(delivery.body))
        decision = _decide(delivery.connection, event)
        if event.test:  # what it would have done, and nothing written
            decision = Decision(State.TEST, messages.tested(decision.outcome))
        _record(delivery, event, decision)
    return decision


def ats_deliveries_apply_pending(*, now: datetime | None = None) -> int:
    """Apply deliveries kept a while ago and never applied (a broker that lost the task).

    The candidates they queue go out with the next sweep, as any queued candidate does.
    """
    ids = pending_ids(AtsDelivery.objects.filter(state=State.RECEIVED), now=now)
    return sum(ats_delivery_apply(delivery_id=pk) is not None for pk in ids)


def ats_deliveries_reset(*, delivery_ids: list[int]) -> list[int]:
    """Mark deliveries that made no candidate to be applied again: after a rule was added,
    or one still waiting because no worker could be reached. A test event never is."""
    again = AtsDelivery.objects.filter(pk__in=delivery_ids, candidate__isnull=True).exclude(
        state=State.TEST
    )
    ids = list(again.values_list("pk", flat=True))
    again.exclude(state=State.RECEIVED).update(state=State.RECEIVED, outcome="")
    return ids


def _decide(connection: AtsConnection, event: AtsEvent) -> Decision:
    if event.is_ping:
        return Decision(State.IGNORED, messages.ping(event))
    if not event.is_stage_change:
        return Decision(State.IGNORED, messages.not_a_stage_change(event))
    if event.problems:
        return Decision(State.INVALID, "Not imported: " + " ".join(event.problems))
    rule = rule_for(connection=connection, event=event)
    if rule is None:
        return Decision(State.IGNORED, messages.no_rule(event))
    try:
        result = _import(event, rule)
    except SpreadsheetError as refusal:
        return Decision(State.INVALID, f"Not imported: {refusal}")
    if event.test:
        return Decision(State.TEST, messages.test_outcome(event, rule, result))
    if result.invalid:
        return Decision(State.INVALID, messages.invalid_row(result))
    return _applied(event, rule, result)


def _import(event: AtsEvent, rule: AtsRule) -> ImportResult:
    header, cells = event_row(event=event, rule=rule)
    if len(header) > settings.IMPORT_MAX_COLUMNS:
        # The limit a spreadsheet's row has, so that an event is no larger a candidate.
        raise SpreadsheetError(messages.too_many_fields(len(header)))
    return candidates_import_rows(
        header=header, rows=[cells], options=ImportOptions(), dry_run=event.test
    )


def _applied(event: AtsEvent, rule: AtsRule, result: ImportResult) -> Decision:
    """The row was written: queue its candidate when the rule pushes, and say what it did."""
    queue: QueueResult | None = None
    if rule.push and result.candidate_ids:
        queue = candidates_queue(candidate_ids=result.candidate_ids, trigger=Trigger.ATS)
    candidate = Candidate.objects.filter(
        interviewer=rule.interviewer, email=rules.normalise_email(event.email)
    ).first()
    outcome = messages.applied(event, rule, result, queue)
    due = queue.batch.pk if queue and queue.batch and queue.due else None
    return Decision(State.APPLIED, outcome, candidate, due)


def _record(delivery: AtsDelivery, event: AtsEvent, decision: Decision) -> None:
    delivery.state = decision.state
    delivery.outcome = decision.outcome
    delivery.candidate = decision.candidate
    delivery.event = event.event[:TEXT_LIMIT]
    delivery.job = event.job[:TEXT_LIMIT]
    delivery.stage = event.stage[:TEXT_LIMIT]
    delivery.applied_at = timezone.now()
    delivery.save()
