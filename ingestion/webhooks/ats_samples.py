"""A signed example event of each kind, as its ATS would send it, for the admin's test button.

The example carries the test flag, so applying it matches the rules and checks the row but
writes no candidate and pushes nothing.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.utils import timezone

from ingestion.inbound.ats.readers import EVENT_ID_HEADERS, TEST_FLAG
from ingestion.models import AtsConnection
from ingestion.webhooks.ats_signatures import signed_headers

Kind = AtsConnection.Kind
FIRST, LAST = "Test", "Candidate"
EMAIL = "test.candidate@example.com"
JOB, STAGE = "Example job", "AI Interview"


def sample_delivery(connection: AtsConnection) -> tuple[bytes, dict[str, str]]:
    """The body and headers of a test event for the connection's first rule's job and stage."""
    rule = connection.rules.first()
    job = (rule.job if rule else "") or JOB
    stage = (rule.stage if rule else "") or STAGE
    body = {**BUILDERS[connection.kind](job, stage), TEST_FLAG: True}
    raw = json.dumps(body).encode()
    headers = signed_headers(kind=connection.kind, secret=connection.secret, raw=raw)
    if header := EVENT_ID_HEADERS.get(connection.kind):
        headers[header] = str(uuid.uuid4())
    return raw, headers


def _greenhouse(job: str, stage: str) -> dict[str, Any]:
    candidate = {
        "id": 1,
        "first_name": FIRST,
        "last_name": LAST,
        "email_addresses": [{"value": EMAIL, "type": "personal"}],
    }
    application = {
        "id": 1,
        "current_stage": {"id": stage, "name": stage},
        "jobs": [{"id": job, "name": job}],
        "candidate": candidate,
    }
    return {"action": "candidate_stage_change", "payload": {"application": application}}


def _ashby(job: str, stage: str) -> dict[str, Any]:
    candidate = {"id": "test", "name": f"{FIRST} {LAST}", "primaryEmailAddress": {"value": EMAIL}}
    application = {
        "id": str(uuid.uuid4()),
        "currentInterviewStage": {"id": stage, "title": stage},
        "job": {"id": job, "title": job},
        "candidate": candidate,
    }
    return {"action": "candidateStageChange", "data": {"application": application}}


def _workable(job: str, stage: str) -> dict[str, Any]:
    candidate = {
        "id": "test",
        "name": f"{FIRST} {LAST}",
        "email": EMAIL,
        "job": {"shortcode": job, "title": job},
        "stage": stage,
    }
    return {
        "id": str(uuid.uuid4()),
        "event_type": "candidate_moved",
        "fired_at": timezone.now().isoformat(),
        "resource_type": "candidate",
        "data": candidate,
    }


def _generic(job: str, stage: str) -> dict[str, Any]:
    return {
        "event_id": str(uuid.uuid4()),
        "job": job,
        "stage": stage,
        "first_name": FIRST,
        "last_name": LAST,
        "email": EMAIL,
    }


BUILDERS = {
    Kind.GREENHOUSE: _greenhouse,
    Kind.ASHBY: _ashby,
    Kind.WORKABLE: _workable,
    Kind.GENERIC: _generic,
}
