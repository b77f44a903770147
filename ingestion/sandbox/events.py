"""The sandbox playing InterviewFlowAI's webhooks: interview events sent to this app's receiver.

Sent through the one HTTP client, to the receiver's public URL, exactly as the real service
would send them, so that a newcomer sees interview statuses move without an account.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
import uuid
from collections.abc import Iterable
from typing import Any

from django import db
from django.conf import settings
from django.urls import reverse

from ingestion.client import IngestionClient
from ingestion.models import SandboxCandidate

logger = logging.getLogger(__name__)
STEPS = ("started", "in_progress", "completed", "report_available")


def receiver_url(app_url: str) -> str:
    """This app's webhook receiver, with its token, under `app_url` (scheme and host)."""
    token = settings.INTERVIEWFLOW_WEBHOOK_TOKEN
    return app_url.rstrip("/") + reverse("interviewflow_webhook", args=[token])


def event_body(candidate: SandboxCandidate, step: str, *, app_url: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "email": candidate.email,
        "interviewerId": candidate.interviewer_id,
        "interviewId": candidate.external_id,
    }
    if step in ("completed", "report_available"):
        data["score"] = interview_score(candidate.email)
    if step == "report_available":
        report = reverse("sandbox_report", args=[candidate.pk])
        data["reportUrl"] = f"{app_url.rstrip('/')}{report}"
    return {"id": str(uuid.uuid4()), "event": f"interview.{step}", "data": data}


def sandbox_events_send(
    *,
    candidates: Iterable[SandboxCandidate],
    app_url: str,
    through: str = STEPS[-1],
    pause: float = 0.0,
    client: IngestionClient | None = None,
) -> list[tuple[SandboxCandidate, str, int | None]]:
    """Each candidate's events up to `through`, in order; (candidate, step, HTTP status)."""
    client = client or IngestionClient(base_url=app_url, api_key="", timeout=10)
    url = receiver_url(app_url)
    sent = []
    for step in STEPS[: STEPS.index(through) + 1]:
        if sent and pause:
            time.sleep(pause)
        for candidate in candidates:
            exchange = client.deliver_event(url, event_body(candidate, step, app_url=app_url))
            SandboxCandidate.objects.filter(pk=candidate.pk).update(interview_status=step)
            sent.append((candidate, step, exchange.status_code))
    return sent


def events_after_push(external_ids: list[str], *, app_url: str) -> None:
    """In `make run`: play a candidate's interview a short while after the push accepted it."""
    pause = settings.INTERVIEWFLOW_SANDBOX_EVENTS_SECONDS
    if pause <= 0 or not settings.INTERVIEWFLOW_WEBHOOK_TOKEN or not external_ids:
        return
    worker = threading.Thread(
        target=_play, args=(external_ids, app_url, pause), daemon=True, name="sandbox-events"
    )
    worker.start()


def _play(external_ids: list[str], app_url: str, pause: float) -> None:
    try:
        time.sleep(pause)
        candidates = list(SandboxCandidate.objects.filter(external_id__in=external_ids))
        sandbox_events_send(candidates=candidates, app_url=app_url, pause=pause)
    except Exception:
        logger.exception("The sandbox could not send its interview events")
    finally:
        db.connections.close_all()


def interview_score(email: str) -> int:
    """A score that stays the same for the same candidate: 55 to 99."""
    return 55 + int(hashlib.sha256(email.encode()).hexdigest(), 16) % 45
