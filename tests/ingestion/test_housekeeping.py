"""Housekeeping: the sweep forgets old pushes, and a rejected key pauses delivery until resumed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from pytest_httpserver import HTTPServer

from ingestion.client import INGEST_PATH
from ingestion.delivery.housekeeping import delivery_resume, delivery_sweep
from ingestion.delivery.queueing import push_batch_create
from ingestion.models import DeliveryStatus, IngestionRequest, PushBatch
from recruiting.models import Candidate
from tests.delivery import fresh, push, queue
from tests.factories import CandidateFactory, IngestionRequestFactory, InterviewerFactory
from tests.upstream import Upstream, answer

pytestmark = pytest.mark.django_db
State = Candidate.State


def test_the_sweep_forgets_pushes_older_than_thirty_days_but_keeps_their_history():
    candidate = CandidateFactory()
    old, recent = (push_batch_create(candidate_ids=[candidate.pk]) for _ in range(2))
    PushBatch.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    IngestionRequestFactory(interviewer=candidate.interviewer, candidates=[candidate])

    delivery_sweep()

    assert list(PushBatch.objects.values_list("pk", flat=True)) == [recent.pk]
    assert Candidate.objects.filter(pk=candidate.pk).exists()
    assert IngestionRequest.objects.count() == 1


@pytest.mark.parametrize("status", [401, 403])
def test_a_rejected_key_stops_the_run_and_pauses_delivery_until_resumed(
    api: HTTPServer, settings, status: int
):
    settings.INTERVIEWFLOW_BATCH_SIZE = 1
    answer(api, status, {"message": "Invalid API key."})
    candidates = CandidateFactory.create_batch(3, interviewer=InterviewerFactory())
    queue(*candidates)

    result = push()

    assert result.key_rejected and result.paused
    assert (result.requests, result.sent, result.failed) == (1, 0, 0)
    assert [fresh(c).state for c in candidates] == [State.QUEUED] * 3
    assert [fresh(c).attempts for c in candidates] == [0] * 3
    status = DeliveryStatus.current()
    assert status.paused
    assert "INTERVIEWFLOW_API_KEY" in status.paused_reason

    # Paused: a later push sends nothing, even once the key is right again.
    api.clear()
    upstream = Upstream()
    api.expect_request(INGEST_PATH, method="POST").respond_with_handler(upstream)
    later = push()
    assert later.paused and later.requests == 0
    assert "paused" in later.summary()
    assert upstream.bodies == []

    delivery_resume()
    resumed = push()

    assert resumed.sent == 3
    assert [fresh(c).state for c in candidates] == [State.SENT] * 3
    assert not DeliveryStatus.current().paused
