"""Interview events on PostgreSQL: concurrent duplicate deliveries, and a real worker applying."""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connection, connections

from ingestion.inbound.events import webhook_event_apply, webhook_event_store
from ingestion.models import WebhookEvent
from recruiting.models import Candidate
from tests.factories import CandidateFactory
from tests.services.conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True)
TOKEN = "pg-hook-token"
STEPS = ["started", "in_progress", "completed", "report_available"]


def test_the_same_events_delivered_at_once_by_eight_threads_apply_once_each():
    assert connection.vendor == "postgresql"
    candidate = CandidateFactory(state=Candidate.State.SENT)
    bodies = [
        {"id": f"evt-{step}", "event": f"interview.{step}", "email": candidate.email}
        for step in STEPS
    ]
    start = threading.Barrier(8)
    errors: list[BaseException] = []

    def deliver(order: list[dict]) -> None:
        try:
            start.wait()
            for body in order:
                raw = json.dumps(body).encode()
                event = webhook_event_store(raw=raw, body=body, headers={}, fallback_id="x")
                webhook_event_apply(event_id=event.pk)
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)
        finally:
            connections.close_all()

    orders = [bodies if n % 2 else list(reversed(bodies)) for n in range(8)]
    threads = [threading.Thread(target=deliver, args=(order,)) for order in orders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    kept = WebhookEvent.objects.exclude(state=WebhookEvent.State.DUPLICATE)
    assert sorted(kept.values_list("event_id", "state")) == sorted(
        (f"evt-{step}", WebhookEvent.State.APPLIED) for step in STEPS
    )
    assert WebhookEvent.objects.filter(state=WebhookEvent.State.DUPLICATE).count() == 28
    candidate.refresh_from_db()
    assert candidate.interview_status == "report_available"


def test_a_worker_on_redis_applies_what_the_receiver_kept(client, broker_url, processes, settings):
    settings.INTERVIEWFLOW_WEBHOOK_TOKEN = TOKEN
    candidate = CandidateFactory(state=Candidate.State.SENT)
    processes(broker_url).worker("solo")
    body = {"eventId": "w-1", "type": "interview.completed", "data": {"email": candidate.email}}
    response = client.post(
        f"/webhooks/interviewflow/{TOKEN}/", data=body, content_type="application/json"
    )
    assert response.status_code == 200
    event = WebhookEvent.objects.get(event_id="w-1")
    wait_for(
        lambda: WebhookEvent.objects.get(pk=event.pk).state == WebhookEvent.State.APPLIED,
        timeout=60,
        what="the worker to apply the event",
    )
    candidate.refresh_from_db()
    assert candidate.interview_status == "completed"
