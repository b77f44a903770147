"""Build request bodies for the Ingestion API: pure functions, no database, no HTTP."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from itertools import islice
from typing import Any

from django.utils import timezone

from recruiting import rules
from recruiting.models import Candidate, Interviewer

GroupKey = tuple[int, str, tuple[str, ...]]


def candidate_item(candidate: Candidate, *, now: datetime | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {"name": candidate.name, "email": candidate.email}
    if skills := candidate.effective_skills:
        item["skills"] = skills
    if candidate.additional_fields:
        item["additionalFields"] = dict(candidate.additional_fields)
    metadata = dict(candidate.metadata or {})
    delay = candidate.invitation_delay(now or timezone.now())
    if delay is not None:
        metadata["sendEmailAfter"] = delay
    if metadata:
        item["metadata"] = metadata
    return item


def ingestion_body(
    *,
    interviewer: Interviewer,
    status: str,
    skills: Sequence[str],
    candidates: Sequence[Candidate],
    now: datetime | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {"interviewerId": str(interviewer.external_id), "status": status}
    if skills:
        body["skills"] = list(skills)
    body["data"] = [candidate_item(candidate, now=now) for candidate in candidates]
    return body


def group_key(candidate: Candidate) -> GroupKey:
    """Candidates with the same key can travel in one request."""
    return (
        candidate.interviewer_id,
        candidate.effective_status,
        tuple(candidate.effective_skills),
    )


def batches(candidates: Iterable[Candidate], *, size: int) -> list[list[Candidate]]:
    """Group candidates by interviewer, status and skills, then cut groups to `size`."""
    if size < 1:
        # islice would quietly cut nothing, and nothing would ever be sent.
        raise ValueError(f"The batch size must be at least 1, not {size}.")
    groups: dict[GroupKey, list[Candidate]] = {}
    for candidate in candidates:
        groups.setdefault(group_key(candidate), []).append(candidate)
    result: list[list[Candidate]] = []
    for members in groups.values():
        iterator = iter(members)
        while chunk := list(islice(iterator, size)):
            result.append(chunk)
    return result


def batch_body(batch: Sequence[Candidate], *, now: datetime | None = None) -> dict[str, Any]:
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
    if not isinstance(metadata, dict) or "sendEmailAfter" not in metadata:
        return
    delay = metadata["sendEmailAfter"]
    if (
        isinstance(delay, bool)
        or not isinstance(delay, int | float)
        or not rules.SEND_EMAIL_AFTER_MIN <= delay <= rules.SEND_EMAIL_AFTER_MAX
    ):
        add(f"{field}.metadata.sendEmailAfter", "Must be a number of hours from 1 to 96.")
