"""ATS deliveries for the tests: connections, rules, each kind's documented body, signed."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client
from django.urls import reverse

from ingestion.models import AtsConnection, AtsRule
from ingestion.webhooks.ats_signatures import signed_headers
from recruiting.models import Interviewer

Kind = AtsConnection.Kind
SECRET = "whsec-7c1f0b2e9a"


def connection_with_rule(interviewer: Interviewer, kind: str = Kind.GREENHOUSE, **rule: Any):
    connection = AtsConnection.objects.create(
        name=f"Our {kind}", slug=f"our-{kind}", kind=kind, secret=SECRET
    )
    AtsRule.objects.create(connection=connection, interviewer=interviewer, **rule)
    return connection


def greenhouse_stage_change(*, stage: str = "AI Interview", job: str = "Designer") -> dict:
    """Greenhouse's documented candidate_stage_change, trimmed to what matters here."""
    candidate = {
        "id": 265772,
        "first_name": "Giuseppe",
        "last_name": "Hurley",
        "phone_numbers": [{"value": "330-281-8004", "type": "home"}],
        "email_addresses": [{"value": "Giuseppe.Hurley@example.com", "type": "personal"}],
    }
    application = {
        "id": 265277,
        "status": "active",
        "current_stage": {"id": 71416, "name": stage},
        "candidate": candidate,
        "jobs": [{"id": 3485, "name": job}],
    }
    return {"action": "candidate_stage_change", "payload": {"application": application}}


def ashby_stage_change(*, stage: str = "AI Interview") -> dict:
    candidate = {
        "id": "5b7c3c8e-0d2a-4a51-9d7e-2f6b0c1e9a10",
        "name": "Ada Lovelace",
        "primaryEmailAddress": {"value": "ada@example.com", "type": "Personal", "isPrimary": True},
        "primaryPhoneNumber": {"value": "+44 20 7946 0000", "type": "Mobile", "isPrimary": True},
    }
    application = {
        "id": "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
        "status": "Active",
        "candidate": candidate,
        "currentInterviewStage": {"id": "c2d3e4f5-0000-4000-8000-000000000001", "title": stage},
        "job": {"id": "a1b2c3d4-0000-4000-8000-000000000002", "title": "Data Engineer"},
    }
    return {"action": "candidateStageChange", "data": {"application": application}}


def workable_candidate_moved(*, stage: str = "Phone Screen") -> dict:
    candidate = {
        "id": "ce4da98",
        "name": "Grace Hopper",
        "firstname": "Grace",
        "lastname": "Hopper",
        "job": {"shortcode": "GROOV005", "title": "Compiler Engineer"},
        "stage": stage,
        "email": "grace@example.com",
        "phone": "+1 555 0100",
    }
    return {
        "id": "8c1b0e3a",
        "event_type": "candidate_moved",
        "fired_at": "2026-12-01T10:00:00Z",
        "resource_type": "candidate",
        "data": candidate,
    }


def deliver(
    client: Client,
    connection: AtsConnection,
    body: dict | bytes,
    *,
    secret: str = SECRET,
    headers: dict[str, str] | None = None,
    content_type: str = "application/json",
):
    """POST a body to the connection's URL, signed (or with a token) as its ATS does."""
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    signed = signed_headers(kind=connection.kind, secret=secret, raw=raw)
    return client.post(
        reverse("ats_webhook", args=[connection.slug]),
        data=raw,
        content_type=content_type,
        headers={**signed, **(headers or {})},
    )
