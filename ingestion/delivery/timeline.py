"""Every request a candidate travelled in, newest first, for its change page."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.utils.text import Truncator

from ingestion.messages import request_problem
from ingestion.models import IngestionRequest, WebhookEvent

TIMELINE_ROWS = 50
EXCERPT_CHARS = 300


@dataclass
class TimelineEntry:
    request: IngestionRequest
    excerpt: str
    problem: str


@dataclass
class Timeline:
    entries: list[TimelineEntry]
    total: int


def candidate_timeline(candidate_id: int, *, limit: int = TIMELINE_ROWS) -> Timeline:
    # The whole row: request_problem() reads the body sent, and the page names the user.
    requests = IngestionRequest.objects.filter(candidates=candidate_id).select_related("user")
    shown = list(requests[:limit])
    total = len(shown) if len(shown) < limit else requests.count()
    return Timeline(
        entries=[
            TimelineEntry(
                request, response_excerpt(request.response_body), request_problem(request)
            )
            for request in shown
        ],
        total=total,
    )


def response_excerpt(body: str, *, chars: int = EXCERPT_CHARS) -> str:
    """The start of a response on one line: JSON compacted, other text with its spaces folded."""
    try:
        text = json.dumps(json.loads(body), ensure_ascii=False)
    except ValueError:
        text = " ".join(body.split())
    return Truncator(text).chars(chars)


def candidate_events(candidate_id: int, *, limit: int = TIMELINE_ROWS) -> list[WebhookEvent]:
    """The interview events InterviewFlowAI sent about the candidate, newest first."""
    return list(WebhookEvent.objects.filter(candidate=candidate_id)[:limit])
