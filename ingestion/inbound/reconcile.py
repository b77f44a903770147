"""Settling unconfirmed candidates by asking the Fetch API what InterviewFlowAI holds.

An unconfirmed candidate found there was created: it becomes sent, confirmed, and is never
sent again. One missing after a complete walk was not: it stays unconfirmed, marked safe to
resend. A walk that stops early (an error, a shape it cannot read, the page cap) proves
nothing, so it changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from ingestion.client import IngestionClient, Outcome, default_client
from ingestion.delivery.queueing import Intent, candidates_queue
from ingestion.delivery.recording import history_create
from ingestion.delivery.retries import lease_duration
from ingestion.inbound.events import confirmed_changes, interview_status_record
from ingestion.inbound.fields import EventFields, event_fields
from ingestion.messages import fetch_error
from ingestion.models import Trigger
from ingestion.payloads import fetch_body, fetched_items
from recruiting.models import Candidate, Interviewer
from recruiting.wording import local_time, plural

logger = logging.getLogger(__name__)
State = Candidate.State
# Sent candidates whose interview may still move are looked for this long after sending.
REFRESH_FOR = timedelta(days=30)


@dataclass
class Walk:
    """What a walk of one Interviewer's pages found, and whether it reached the end."""

    complete: bool
    found: list[EventFields] = field(default_factory=list)
    pages: int = 0
    error: str = ""


@dataclass
class ReconcileResult:
    dry_run: bool = False
    interviewers: int = 0
    pages: int = 0
    confirmed: int = 0
    not_found: int = 0
    refreshed: int = 0
    queued_again: int = 0
    problems: list[str] = field(default_factory=list)


def candidates_reconcile(
    *,
    interviewer_id: int | None = None,
    dry_run: bool = False,
    client: IngestionClient | None = None,
) -> ReconcileResult:
    """Walk the Fetch API for each Interviewer with candidates to settle or refresh."""
    client = client or default_client()
    result = ReconcileResult(dry_run=dry_run)
    for interviewer in interviewers_to_reconcile(interviewer_id=interviewer_id):
        result.interviewers += 1
        _interviewer_reconcile(interviewer, client=client, result=result)
    return result


def interviewers_to_reconcile(*, interviewer_id: int | None = None) -> QuerySet[Interviewer]:
    now = timezone.now()
    waiting = Q(candidates__state=State.UNCONFIRMED) | Q(
        candidates__state=State.SENT,
        candidates__sent_at__gte=now - REFRESH_FOR,
        candidates__interview_status__in=Candidate.interview_statuses_before(
            Candidate.InterviewStatus.REPORT_AVAILABLE
        ),
    )
    interviewers = Interviewer.objects.filter(waiting).distinct().order_by("pk")
    if interviewer_id is not None:
        interviewers = interviewers.filter(pk=interviewer_id)
    return interviewers


def _interviewer_reconcile(
    interviewer: Interviewer, *, client: IngestionClient, result: ReconcileResult
) -> None:
    # Only candidates unconfirmed for longer than a request can still be running upstream:
    # one that failed a moment ago may yet be created.
    settled_before = timezone.now() - lease_duration()
    unconfirmed = list(
        Candidate.objects.filter(
            interviewer=interviewer, state=State.UNCONFIRMED, updated_at__lte=settled_before
        )
    )
    walk = fetch_walk(interviewer=interviewer, candidates=unconfirmed, client=client)
    result.pages += walk.pages
    logger.info(
        "Fetch API walk for interviewer %s: %s, %s, %s",
        interviewer.external_id,
        plural(walk.pages, "page"),
        plural(len(walk.found), "candidate"),
        "complete" if walk.complete else "stopped",
    )
    if not walk.complete:
        result.problems.append(f"{interviewer}: {walk.error}")
        return
    by_email = {found.email: found for found in walk.found if found.email}
    found = [c.pk for c in unconfirmed if c.email in by_email]
    missing = [c.pk for c in unconfirmed if c.email not in by_email]
    if result.dry_run:
        result.confirmed += len(found)
        result.not_found += len(missing)
        return
    now = timezone.now()
    settle = Candidate.objects.filter(state=State.UNCONFIRMED, updated_at__lte=settled_before)
    result.confirmed += settle.filter(pk__in=found).update(**confirmed_changes(now))
    result.not_found += settle.filter(pk__in=missing).update(**_not_found(now))
    result.refreshed += _statuses_refresh(interviewer, by_email, now=now)
    if settings.INTERVIEWFLOW_RESEND_NOT_FOUND and missing:
        result.queued_again += not_found_resend(candidate_ids=missing).queued


def fetch_walk(
    *, interviewer: Interviewer, candidates: Sequence[Candidate], client: IngestionClient
) -> Walk:
    """Every candidate the Fetch API holds for the Interviewer, page by page, to the end."""
    limit = settings.INTERVIEWFLOW_FETCH_PAGE_SIZE
    walk = Walk(complete=False)
    previous: list[EventFields] | None = None
    for page in range(1, settings.INTERVIEWFLOW_FETCH_MAX_PAGES + 1):
        items, error = _page(interviewer, candidates, client, page=page, limit=limit)
        walk.pages = page
        if error:
            walk.error = error
            return walk
        if items and items == previous:
            walk.error = f"Page {page} of the Fetch API repeats page {page - 1}: it is not paging."
            return walk
        walk.found.extend(items)
        if len(items) < limit:
            walk.complete = True
            return walk
        previous = items
    walk.error = (
        f"The walk stopped at INTERVIEWFLOW_FETCH_MAX_PAGES ({walk.pages} pages) before the end."
    )
    return walk


def _page(
    interviewer: Interviewer,
    candidates: Sequence[Candidate],
    client: IngestionClient,
    *,
    page: int,
    limit: int,
) -> tuple[list[EventFields], str]:
    """One page asked for and kept as history: what it holds, or why it could not be read."""
    body = fetch_body(interviewer_id=str(interviewer.external_id), page=page, limit=limit)
    exchange = client.fetch(body)
    history_create(
        interviewer=interviewer,
        candidates=candidates,
        body=body,
        exchange=exchange,
        trigger=Trigger.FETCH,
        user=None,
        now=timezone.now(),
    )
    if exchange.outcome != Outcome.ACCEPTED:
        return [], fetch_error(exchange)
    items = fetched_items(exchange.data)
    if items is None:
        return [], "The Fetch API answered without a list of candidates. Nothing was changed."
    return [event_fields(item) for item in items if isinstance(item, dict)], ""


def _not_found(now: datetime) -> dict[str, object]:
    return {
        "not_found_at": now,
        "last_error": f"Not found at InterviewFlowAI on {local_time(now)}: safe to resend.",
    }


def _statuses_refresh(
    interviewer: Interviewer, by_email: dict[str, EventFields], *, now: datetime
) -> int:
    """Move sent candidates on to the interview status the answer gives, where it gives one."""
    steps = {email: found for email, found in by_email.items() if found.status_step}
    candidates = Candidate.objects.filter(
        interviewer=interviewer, state=State.SENT, email__in=list(steps)
    )
    moved = 0
    for candidate in candidates:
        found = steps[candidate.email]
        if candidate.interview_status in Candidate.interview_statuses_before(found.status_step):
            interview_status_record(candidate, step=found.status_step, event=found, now=now)
            moved += 1
    return moved


def not_found_resend(*, candidate_ids: Sequence[int], user: object = None):
    """Queue again the chosen candidates the Fetch API did not find: no one else."""
    safe = Candidate.objects.filter(
        pk__in=list(candidate_ids), state=State.UNCONFIRMED, not_found_at__isnull=False
    )
    return candidates_queue(
        candidate_ids=safe, intent=Intent.resend_of(), user=user, trigger=Trigger.RESEND
    )
