"""The sandbox's test addresses: emails that make it fail on purpose, like test cards.

A candidate whose email's local part ends in one of the tags below (`ana+fail400@example.com`)
makes the sandbox answer that failure for the whole request carrying it, so that every
outcome the app handles can be seen, and Resend… tried, without the real service.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.http import JsonResponse


@dataclass(frozen=True)
class SandboxAddress:
    """One tag, what the sandbox answers for it, and what that makes happen in the app."""

    tag: str  # what follows the last "+" of the local part, e.g. "fail400"
    status: int | None  # the HTTP status answered; None: no answer within the client's timeout
    shows: str  # what staff see in the app, one sentence or two
    message: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    # Put against the email of each candidate of the request carrying this tag.
    field_error: str = ""

    @property
    def example(self) -> str:
        return f"ana+{self.tag}@example.com"

    def body(self, positions: Sequence[int]) -> dict[str, Any]:
        """The answer's body, for a request carrying the tag at these places of `data`."""
        body: dict[str, Any] = {"message": self.message}
        if self.field_error:
            body["errors"] = {f"data.{index}.email": [self.field_error] for index in positions}
        return body

    @property
    def example_body(self) -> str:
        return json.dumps(self.body([0])) if self.status is not None else ""


TEST_ADDRESSES: tuple[SandboxAddress, ...] = (
    SandboxAddress(
        "fail400",
        400,
        "The candidate fails, with the sandbox's reason naming them. A failed candidate can be "
        "edited: change the address and push again.",
        message="Validation failed.",
        field_error="The sandbox refuses every address tagged +fail400.",
    ),
    SandboxAddress(
        "fail401",
        401,
        "Delivery pauses as for a revoked key: a banner says why, and the candidates wait, "
        "queued. Resume delivery sends them again, and this address pauses it again until "
        "the candidate is deleted (the delete permission is the admin login's, not a "
        "recruiter's).",
        message="Invalid API key.",
    ),
    SandboxAddress(
        "fail429",
        429,
        "Queued again for a retry a minute later or more (Retry-After: 60). Every retry is "
        "limited the same way until the retries (INTERVIEWFLOW_RETRY_DELAYS) run out; then "
        "the candidate fails.",
        message="Too many requests.",
        headers={"Retry-After": "60"},
    ),
    SandboxAddress(
        "fail502",
        502,
        "Unconfirmed: InterviewFlowAI may have created the candidate, so it is never sent again "
        "by itself. Resend… asks first, then fails the same way.",
        message="Bad gateway.",
    ),
    SandboxAddress(
        "fail503",
        503,
        "Queued again with backoff (INTERVIEWFLOW_RETRY_DELAYS: 30 s, 2 min, …); the periodic "
        "sweep retries it, unavailable each time, until the retries run out; then it fails.",
        message="Service unavailable.",
    ),
    SandboxAddress(
        "timeout",
        None,
        "The push waits INTERVIEWFLOW_TIMEOUT seconds, then the candidate is unconfirmed. The "
        "sandbox answers later, creating the candidates: what a real timeout may hide.",
    ),
)
BY_TAG = {address.tag: address for address in TEST_ADDRESSES}


def tagged_address(email: Any) -> SandboxAddress | None:
    """The test address this email is, if its local part ends in a known `+` tag."""
    if not isinstance(email, str):
        return None
    local = email.strip().rpartition("@")[0].lower()
    _, plus, tag = local.rpartition("+")
    return BY_TAG.get(tag) if plus else None


def request_failure(items: Sequence[Any]) -> tuple[SandboxAddress, list[int]] | None:
    """The first test address among a request's candidates, and every place it stands at."""
    found = [
        (index, address)
        for index, item in enumerate(items)
        if isinstance(item, dict) and (address := tagged_address(item.get("email")))
    ]
    if not found:
        return None
    first = found[0][1]
    return first, [index for index, address in found if address == first]


def failure_response(address: SandboxAddress, positions: Sequence[int]) -> JsonResponse:
    response = JsonResponse(address.body(positions), status=address.status)
    for name, value in address.headers.items():
        response[name] = value
    return response


def timeout_seconds() -> float:
    """How long `+timeout` keeps the answer back: past the client's timeout, unless capped."""
    configured = settings.INTERVIEWFLOW_SANDBOX_TIMEOUT_SECONDS
    if configured is not None:
        return float(configured)
    return float(settings.INTERVIEWFLOW_TIMEOUT) + 1
