"""What pushing a selection would send, request by request, and what it would leave out."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from ingestion import payloads
from ingestion.delivery.selectors import push_preview
from recruiting.locks import push_refusal
from recruiting.models import Candidate


@dataclass
class PreviewRequest:
    body: dict[str, Any]
    interviewer: str

    @property
    def candidate_count(self) -> int:
        return len(payloads.body_items(self.body))

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
    # Ordered by pk like the claim, so the bodies match what is sent.
    for body in push_preview(candidates.filter(state__in=Candidate.EDITABLE_STATES)):
        interviewer = names.get(payloads.body_interviewer_id(body), "")
        preview.requests.append(PreviewRequest(body=body, interviewer=interviewer))
    return preview


def _skip_reason(candidate: Candidate) -> str:
    return push_refusal(candidate.state) or " ".join(candidate.problems())
