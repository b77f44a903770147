"""Which Interviewers the sandbox knows: an unknown id is refused as upstream refuses one."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings

ANY = "*"
NOT_FOUND = {"message": "Interviewer not found."}


def accepted_interviewer_ids() -> list[str] | None:
    """The ids INTERVIEWFLOW_SANDBOX_INTERVIEWER_IDS names, normalised; None: any id."""
    configured = settings.INTERVIEWFLOW_SANDBOX_INTERVIEWER_IDS
    if isinstance(configured, str):
        configured = configured.split(",")
    ids = [_normalised(value) for value in configured if str(value).strip()]
    return None if not ids or ANY in ids else ids


def interviewer_known(interviewer_id: Any) -> bool:
    accepted = accepted_interviewer_ids()
    return accepted is None or _normalised(interviewer_id) in accepted


def _normalised(value: Any) -> str:
    """A UUID in its one usual spelling (lower case, hyphens); anything else as it is."""
    text = str(value).strip()
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return text.lower()
