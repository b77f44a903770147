"""InterviewFlowAI's interview events: kept as they arrive, then applied to their candidate.

Keeping comes first and does nothing else, so that the receiver answers at once; applying
may run later, more than once, and in any order, and still moves a candidate only forward.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone

from ingestion.inbound.fields import EVENT_PATHS, event_fields, interview_step
from ingestion.inbound.pending import pending_ids
from ingestion.models import WebhookEvent
from recruiting.models import Candidate
from recruiting.wording import listed, local_time

State = WebhookEvent.State
Step = Candidate.InterviewStatus
# Events staff may apply again once they have fixed what stopped them.
APPLICABLE = (State.RECEIVED, State.UNMATCHED, State.IGNORED, State.INVALID)
is_web_address = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class Applied:
    """What applying one event came to: its state, why, and the candidate it matched."""

    state: str
    reason: str
    candidate: Candidate | None = None


def webhook_event_store(
    *, raw: bytes, body: Any, headers: Mapping[str, str], fallback_id: str
) -> WebhookEvent:
    """Keep one delivery; a second delivery of an event already kept is kept as a duplicate."""
    fields = event_fields(body, headers)
    kept = {
        "event_id": fields.event_id or fallback_id,
        "event_type": fields.event_type,
        "body": raw.decode("utf-8"),
        "email": fields.email[:254],
        "interviewer_ref": fields.interviewer_id[:200],
        "interview_id": fields.interview_id[:200],
        "score": fields.score,
        "report_url": fields.report_url,
        "interview_link": fields.interview_link,
    }
    try:
        with transaction.atomic():
            return WebhookEvent.objects.create(**kept)
    except IntegrityError:  # the one row per id that is not a duplicate exists already
        first = WebhookEvent.objects.exclude(state=State.DUPLICATE).get(event_id=kept["event_id"])
        reason = f"Already received on {local_time(first.received_at)} (event #{first.pk})."
        return WebhookEvent.objects.create(
            **kept, state=State.DUPLICATE, reason=reason, processed_at=timezone.now()
        )


def webhook_event_apply(*, event_id: int) -> WebhookEvent:
    """Apply one kept event to its candidate; a duplicate or an applied event is left alone."""
    event = WebhookEvent.objects.get(pk=event_id)
    if event.state not in APPLICABLE:
        return event
    with transaction.atomic():
        applied = _apply(event, now=timezone.now())
        WebhookEvent.objects.filter(pk=event.pk, state__in=APPLICABLE).update(
            state=applied.state,
            reason=applied.reason,
            candidate=applied.candidate,
            processed_at=timezone.now(),
        )
    event.refresh_from_db()
    return event


def webhook_events_apply_again(*, event_ids: Iterable[int]) -> Counter[str]:
    """Apply the chosen events again; how many ended in each state, by its label."""
    labels = dict(State.choices)
    ends: Counter[str] = Counter()
    for pk in WebhookEvent.objects.filter(pk__in=list(event_ids)).values_list("pk", flat=True):
        ends[labels[webhook_event_apply(event_id=pk).state]] += 1
    return ends


def webhook_events_apply_pending(*, now: datetime | None = None) -> int:
    """Apply events kept a while ago and never applied (a broker that lost the task)."""
    ids = pending_ids(WebhookEvent.objects.filter(state=State.RECEIVED), now=now)
    for pk in ids:
        webhook_event_apply(event_id=pk)
    return len(ids)


def _apply(event: WebhookEvent, *, now: datetime) -> Applied:
    if not event.event_type:
        return Applied(State.INVALID, f"The event names no type ({_paths('event_type')}).")
    step = interview_step(event.event_type)
    if not step:
        return Applied(
            State.IGNORED, f"“{event.event_type}” is not an interview event this app knows."
        )
    if not event.email:
        return Applied(State.INVALID, f"The event names no candidate email ({_paths('email')}).")
    candidate, problem = _match(event)
    if candidate is None:
        return Applied(State.UNMATCHED, problem)
    reason = interview_status_record(candidate, step=step, event=event, now=now)
    # An interview under way proves InterviewFlowAI holds the candidate.
    unconfirmed = Candidate.objects.filter(pk=candidate.pk, state=Candidate.State.UNCONFIRMED)
    if unconfirmed.update(**confirmed_changes(now)):
        reason += " Its delivery was unconfirmed: the event proves it arrived, so it is sent."
    return Applied(State.APPLIED, reason, candidate)


def confirmed_changes(now: datetime) -> dict[str, Any]:
    """An unconfirmed candidate InterviewFlowAI is known to hold: sent, and never sent again."""
    return {
        "state": Candidate.State.SENT,
        "sent_at": now,
        "confirmed_at": now,
        "not_found_at": None,
        "last_error": "",
        "updated_at": now,
        "next_attempt_at": None,
        "claim_token": None,
    }


def _match(event: WebhookEvent) -> tuple[Candidate | None, str]:
    """The one candidate the event names, or why there is none."""
    candidates = Candidate.objects.filter(email=event.email)
    whose = ""
    if event.interviewer_ref:
        whose = f" for the Interviewer {event.interviewer_ref}"
        try:
            candidates = candidates.filter(
                interviewer__external_id=uuid.UUID(event.interviewer_ref)
            )
        except ValueError:
            return None, f"No Interviewer has the id “{event.interviewer_ref}”."
    found = list(candidates[:2])
    if not found:
        return None, f"No candidate has this email{whose}: add the candidate, then apply again."
    if len(found) > 1:
        return None, "Candidates of several Interviewers have this email and the event names none."
    return found[0], ""


def interview_status_record(
    candidate: Candidate, *, step: str, event: Any = None, now: datetime
) -> str:
    """Move the candidate forward to `step`, never back; keep a score and report given. In words."""
    details = _details(event)
    if details:
        Candidate.objects.filter(pk=candidate.pk).update(**details)
    moved = Candidate.objects.filter(
        pk=candidate.pk, interview_status__in=Candidate.interview_statuses_before(step)
    ).update(interview_status=step, interview_status_at=now, updated_at=now)
    kept = listed([name for name, field in DETAIL_NAMES.items() if field in details])
    also = f" The {kept} {'was' if len(details) == 1 else 'were'} kept." if details else ""
    if moved:
        return f"The interview status moved to {Step(step).label}.{also}"
    current = Candidate.objects.values_list("interview_status", flat=True).get(pk=candidate.pk)
    return f"The candidate was already at {Step(current).label}: the status stays.{also}"


DETAIL_NAMES = {"score": "interview_score", "report link": "report_url"}


def _details(event: Any) -> dict[str, str]:
    details = {}
    if getattr(event, "score", ""):
        details["interview_score"] = event.score
    url = getattr(event, "report_url", "")
    try:
        is_web_address(url)
        details["report_url"] = url
    except ValidationError:
        pass
    return details


def _paths(name: str) -> str:
    return "looked for " + ", ".join(EVENT_PATHS[name]) + ", at the top level and in data"
