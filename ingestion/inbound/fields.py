"""Where InterviewFlowAI's events and Fetch API answers hold each value: one table of paths.

Neither shape is documented, so each value is looked for at several paths, in order, at
the top level and then inside `data`; the README lists the same table.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ingestion.inbound.paths import first_value

WITHIN = ("", "data")
# Inside `data`, an `id` is more likely the candidate's than the event's.
TOP_LEVEL_ONLY = {"event_id"}
EVENT_PATHS: dict[str, tuple[str, ...]] = {
    "event_type": ("event", "type", "eventType", "event_type"),
    "event_id": ("id", "eventId", "event_id", "webhookId"),
    "email": ("email", "candidateEmail", "candidate.email"),
    "interviewer_id": ("interviewerId", "interviewer.id"),
    "interview_id": ("interviewId", "interview.id"),
    "score": ("score", "interview.score", "report.score"),
    "report_url": ("reportUrl", "report.url"),
    "interview_link": ("interviewLink", "link"),
    # Fetch API answers only: a status given per candidate.
    "status": ("interviewStatus", "interview.status", "status"),
}
EVENT_ID_HEADERS = ("X-Webhook-Id", "X-Event-Id")
# What InterviewFlowAI names each step; read without case, prefix or separators mattering.
STEPS = {
    "started": "started",
    "inprogress": "in_progress",
    "completed": "completed",
    "reportavailable": "report_available",
}
TEXT_LIMITS = {"event_id": 200, "event_type": 100, "score": 50}
TEXT_LIMIT = 1000


@dataclass(frozen=True)
class EventFields:
    """What an event (or a candidate of a Fetch API answer) says, as text; blank: absent."""

    event_type: str = ""
    event_id: str = ""
    email: str = ""
    interviewer_id: str = ""
    interview_id: str = ""
    score: str = ""
    report_url: str = ""
    interview_link: str = ""
    status: str = ""

    @property
    def step(self) -> str:
        """The interview status the event type names (`started`, …), or blank."""
        return interview_step(self.event_type)

    @property
    def status_step(self) -> str:
        """The interview status a Fetch API answer gives the candidate, or blank."""
        return interview_step(self.status)


def event_fields(body: Any, headers: Mapping[str, str] | None = None) -> EventFields:
    """Every value of the table found in `body`; the id from the headers when the body has none."""
    found = {
        name: _text(name, first_value(body, paths, within=_within(name)))
        for name, paths in EVENT_PATHS.items()
    }
    if not found["event_id"] and headers:
        given = (headers.get(name, "") for name in EVENT_ID_HEADERS)
        found["event_id"] = _text("event_id", next((value for value in given if value), ""))
    found["email"] = found["email"].strip().lower()
    return EventFields(**found)


def interview_step(name: str) -> str:
    """`interview.report_available`, `REPORT-AVAILABLE` or `reportAvailable`: report_available."""
    return STEPS.get(re.sub(r"[^a-z]", "", name.lower()).removeprefix("interview"), "")


def _within(name: str) -> tuple[str, ...]:
    return ("",) if name in TOP_LEVEL_ONLY else WITHIN


def _text(name: str, value: Any) -> str:
    """A value as text within its column's size; objects and lists are not a value here."""
    if value is None or isinstance(value, dict | list):
        return ""
    if isinstance(value, bool):
        value = str(value).lower()
    return str(value).strip()[: TEXT_LIMITS.get(name, TEXT_LIMIT)]
