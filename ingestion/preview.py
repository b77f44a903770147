"""What pushing a selection would send, request by request, and what it would leave out."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from ingestion.services import push_preview
from recruiting.models import Candidate

State = Candidate.State
# A push takes the drafts staff may still edit; the others are skipped (see
# services.candidates_queue): they are on their way, or may already be in InterviewFlowAI.
PUSHABLE_STATES = Candidate.EDITABLE_STATES
SKIP_REASONS = {
    State.SENT: "Already sent: use Resend to send it again.",
    State.UNCONFIRMED: "Its last delivery is unconfirmed: check InterviewFlowAI, then use "
    "Resend if it is missing.",
    State.QUEUED: "Already queued to be sent.",
    State.SENDING: "Being sent right now.",
}


@dataclass
class PreviewRequest:
    body: dict[str, Any]
    interviewer: str

    @property
    def candidate_count(self) -> int:
        return len(self.body["data"])

    @property
    def json(self) -> str:
        return json.dumps(self.body, indent=2, ensure_ascii=False)


@dataclass
class SelectionPreview:
    requests: list[PreviewRequest] = field(default_factory=list)
    skipped: list[tuple[Candidate, str]] = field(default_factory=list)
    # Scheduled further off than the API can delay: they wait here, and go out later.
    held: int = 0

    @property
    def candidate_count(self) -> int:
        return sum(request.candidate_count for request in self.requests)


def selection_preview(
    candidates: QuerySet[Candidate], *, now: datetime | None = None
) -> SelectionPreview:
    """Build the bodies a push of these candidates would POST; nothing is sent or saved."""
    now = now or timezone.now()
    candidates = candidates.select_related("interviewer").order_by("pk")
    preview = SelectionPreview()
    names: dict[str, str] = {}
    for candidate in candidates:
        if reason := _skip_reason(candidate):
            preview.skipped.append((candidate, reason))
            continue
        names[str(candidate.interviewer.external_id)] = candidate.interviewer.name
        if candidate.hold_until(now) > now:
            preview.held += 1
    # Ordered by pk like the claim in services._claim, so the bodies match what is sent.
    for body in push_preview(candidates.filter(state__in=PUSHABLE_STATES)):
        preview.requests.append(
            PreviewRequest(body=body, interviewer=names.get(body["interviewerId"], ""))
        )
    return preview


def _skip_reason(candidate: Candidate) -> str:
    if candidate.state not in PUSHABLE_STATES:
        return SKIP_REASONS[candidate.state]
    return " ".join(candidate.problems())
