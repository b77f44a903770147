"""The Ingestion API's wire format: build, check and read request bodies and answers.

Pure functions, no database, no HTTP: the only place that knows how a body is laid out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import Any, TypeVar

from django.utils import timezone

from ingestion.inbound.paths import dig
from recruiting import rules
from recruiting.models import Interviewer
from recruiting.sendable import Sendable

GroupKey = tuple[int, str, tuple[str, ...]]
C = TypeVar("C", bound=Sendable)


@dataclass(frozen=True)
class SentCandidate:
    """One candidate as a request body carried it, read back from the history."""

    interviewer_id: str
    name: str
    email: str
    status: str
    skills: list[str]
    send_email_after: Any
    additional_fields: dict[str, Any]
    metadata: dict[str, Any]


def candidate_item(candidate: Sendable, *, now: datetime | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {"name": candidate.name, "email": candidate.email}
    if skills := candidate.effective_skills:
        item["skills"] = skills
    if candidate.additional_fields:
        item["additionalFields"] = dict(candidate.additional_fields)
    metadata = dict(candidate.metadata or {})
    delay = candidate.invitation_delay(now or timezone.now())
    if delay is not None:
        metadata[rules.SEND_EMAIL_AFTER_KEY] = delay
    if metadata:
        item["metadata"] = metadata
    return item


def ingestion_body(
    *,
    interviewer: Interviewer,
    status: str,
    skills: Sequence[str],
    candidates: Sequence[Sendable],
    now: datetime | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {"interviewerId": str(interviewer.external_id), "status": status}
    if skills:
        body["skills"] = list(skills)
    now = now or timezone.now()  # one instant for the whole batch: each delay counts from it
    body["data"] = [candidate_item(candidate, now=now) for candidate in candidates]
    return body


def group_key(candidate: Sendable) -> GroupKey:
    """Candidates with the same key can travel in one request."""
    return (
        candidate.interviewer_id,
        candidate.effective_status,
        tuple(candidate.effective_skills),
    )


def batches(candidates: Iterable[C], *, size: int) -> list[list[C]]:
    """Group candidates by interviewer, status and skills, then cut groups to `size`."""
    if size < 1:
        # islice would quietly cut nothing, and nothing would ever be sent.
        raise ValueError(f"The batch size must be at least 1, not {size}.")
    groups: dict[GroupKey, list[C]] = {}
    for candidate in candidates:
        groups.setdefault(group_key(candidate), []).append(candidate)
    result: list[list[C]] = []
    for members in groups.values():
        iterator = iter(members)
        while chunk := list(islice(iterator, size)):
            result.append(chunk)
    return result


def batch_body(batch: Sequence[Sendable], *, now: datetime | None = None) -> dict[str, Any]:
    first = batch[0]
    return ingestion_body(
        interviewer=first.interviewer,
        status=first.effective_status,
        skills=first.effective_skills,
        candidates=batch,
        now=now,
    )


def body_errors(body: Any) -> dict[str, list[str]]:
    """Check a request body against the documented contract; field path -> messages."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not isinstance(body, dict):
        add("body", "The body must be a JSON object.")
        return errors
    interviewer_id = body.get("interviewerId")
    if not isinstance(interviewer_id, str) or not interviewer_id.strip():
        add("interviewerId", "This field is required and must be a string.")
    if "status" in body and body["status"] not in ("shortlisted", "draft"):
        add("status", "Must be shortlisted or draft.")
    if "skills" in body:
        _check_skills(body["skills"], "skills", add)
    data = body.get("data")
    if not isinstance(data, list) or not data:
        add("data", "This field is required and must be a list of at least one candidate.")
        return errors
    for index, item in enumerate(data):
        _check_item(item, f"data[{index}]", add)
    return errors


def _check_skills(skills: Any, field: str, add: Any) -> None:
    if not isinstance(skills, list) or not all(isinstance(s, str) for s in skills):
        add(field, "Must be a list of strings.")


def _check_item(item: Any, field: str, add: Any) -> None:
    if not isinstance(item, dict):
        add(field, "Each candidate must be a JSON object.")
        return
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        add(f"{field}.name", "A non-blank name is required.")
    email = item.get("email")
    if not isinstance(email, str) or rules.email_problem(email):
        add(f"{field}.email", "A valid email address is required.")
    if "skills" in item:
        _check_skills(item["skills"], f"{field}.skills", add)
    for key in ("additionalFields", "metadata"):
        if key in item and not isinstance(item[key], dict):
            add(f"{field}.{key}", "Must be a JSON object.")
    metadata = item.get("metadata")
    if not isinstance(metadata, dict) or rules.SEND_EMAIL_AFTER_KEY not in metadata:
        return
    if not rules.invitation_delay_allowed(metadata[rules.SEND_EMAIL_AFTER_KEY]):
        add(f"{field}.metadata.sendEmailAfter", "Must be a number of hours from 1 to 96.")


def body_items(body: Any) -> list[Any]:
    """The `data` list of a body as it was sent, positions kept (field errors name them)."""
    items = body.get("data") if isinstance(body, dict) else None
    return items if isinstance(items, list) else []


def body_interviewer_id(body: Any) -> str:
    return str(body.get("interviewerId", "")) if isinstance(body, dict) else ""


def sent_candidates(body: Any) -> Iterator[SentCandidate]:
    """Every candidate a body carried, with the batch's values where the item has none."""
    for item in body_items(body):
        if not isinstance(item, dict):
            continue
        metadata = dict(item.get("metadata") or {})
        yield SentCandidate(
            interviewer_id=body_interviewer_id(body),
            name=item.get("name", ""),
            email=item.get("email", ""),
            status=body.get("status", ""),
            skills=item.get("skills") or body.get("skills") or [],
            send_email_after=metadata.pop(rules.SEND_EMAIL_AFTER_KEY, None),
            additional_fields=item.get("additionalFields") or {},
            metadata=metadata,
        )


def upstream_ids(data: Any, batch: Sequence[Sendable]) -> dict[str, str]:
    """Map emails to the ids InterviewFlowAI answered with, when it answered with any."""
    items = body_items(data)
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


def fetch_body(*, interviewer_id: str, page: int, limit: int) -> dict[str, Any]:
    """One page request to the Fetch API: every candidate of an Interviewer, page by page."""
    return {"interviewerId": interviewer_id, "page": page, "limit": limit}


# Where a Fetch API answer may hold its list of candidates, tried in order.
FETCHED_LISTS = ("data", "data.candidates", "data.items", "items", "candidates")


def fetched_items(data: Any) -> list[Any] | None:
    """The candidates of one Fetch API page, or None when the answer holds no list of them."""
    for path in FETCHED_LISTS:
        if isinstance(value := dig(data, path), list):
            return value
    return None
