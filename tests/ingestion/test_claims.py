"""Claims and leases: a candidate is sent by one run only, and an abandoned claim is recovered."""

from __future__ import annotations

import json
import sys
import threading
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from ingestion.client import INGEST_PATH
from ingestion.delivery.claims import leases_recover
from ingestion.delivery.results import PushResult
from ingestion.delivery.sending import candidates_push
from ingestion.models import IngestionRequest, Trigger
from recruiting.models import Candidate
from tests.delivery import fresh, on_an_sqlite_file, push, queue
from tests.factories import CandidateFactory, InterviewerFactory
from tests.upstream import Upstream

pytestmark = pytest.mark.django_db
State = Candidate.State


def test_an_expired_claim_becomes_unconfirmed_and_a_live_one_is_left_alone():
    now = timezone.now()
    abandoned = CandidateFactory(
        state=State.SENDING, claim_token=uuid.uuid4(), lease_expires_at=now - timedelta(seconds=1)
    )
    working = CandidateFactory(
        state=State.SENDING, claim_token=uuid.uuid4(), lease_expires_at=now + timedelta(minutes=1)
    )

    assert leases_recover() == 1

    abandoned, working = fresh(abandoned), fresh(working)
    assert abandoned.state == State.UNCONFIRMED
    assert (abandoned.claim_token, abandoned.lease_expires_at) == (None, None)
    assert "check in InterviewFlowAI before resending" in abandoned.last_error
    assert working.state == State.SENDING


def test_a_push_told_to_stop_claiming_leaves_the_rest_queued_for_the_next_run(
    upstream: Upstream,
):
    candidate = CandidateFactory()
    queue(candidate)

    result = push(deadline=timezone.now() - timedelta(seconds=1))

    assert result.requests == 0
    assert fresh(candidate).state == State.QUEUED
    assert upstream.bodies == []


@pytest.mark.django_db(transaction=True)
def test_two_pushes_racing_over_the_same_candidates_send_each_once(
    api: HTTPServer, settings, tmp_path: Path
):
    # One candidate a request: the runs claim, send and claim again in step with each other.
    settings.INTERVIEWFLOW_BATCH_SIZE = 1
    upstream = Upstream()
    api.expect_request(INGEST_PATH, method="POST").respond_with_handler(upstream)
    candidates = CandidateFactory.create_batch(120, interviewer=InterviewerFactory())
    ids = queue(*candidates)
    results: list[PushResult] = []
    errors: list[BaseException] = []

    def run(chunk: list[int], start: threading.Barrier) -> None:
        try:
            start.wait()
            results.append(candidates_push(candidate_ids=chunk, trigger=Trigger.COMMAND))
        except BaseException as exc:  # reported below, in the test's own thread
            errors.append(exc)
        finally:
            connection.close()

    # Switch threads far more often than every 5 ms, so that the runs interleave inside a
    # claim, where a claim that was not atomic would let both take the same candidates.
    switch_interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        with on_an_sqlite_file(tmp_path):
            for round_start in range(0, len(ids), 4):  # thirty races, each started together
                chunk, start = ids[round_start : round_start + 4], threading.Barrier(2)
                threads = [threading.Thread(target=run, args=(chunk, start)) for _ in range(2)]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join(timeout=60)

            assert errors == []
            assert upstream.emails == Counter(c.email for c in candidates)
            assert sum(result.sent for result in results) == 120
            assert len(results) == 60
            assert set(Candidate.objects.values_list("state", flat=True)) == {State.SENT}
            assert IngestionRequest.objects.count() == 120
    finally:
        sys.setswitchinterval(switch_interval)


@pytest.mark.django_db(transaction=True)
def test_an_answer_that_comes_after_the_sweep_gave_up_still_marks_the_candidate_sent(
    api: HTTPServer,
):
    candidate = CandidateFactory()
    queue(candidate)

    def slow_then_created(request: Request) -> Response:
        # While this request is out, its claim expires and the sweep gives up on it.
        Candidate.objects.filter(pk=candidate.pk).update(
            lease_expires_at=timezone.now() - timedelta(seconds=1)
        )
        assert leases_recover() == 1
        return Response(json.dumps({"data": []}), status=201, content_type="application/json")

    api.expect_request(INGEST_PATH, method="POST").respond_with_handler(slow_then_created)

    result = push()

    assert result.sent == 1
    candidate = fresh(candidate)
    assert candidate.state == State.SENT
    assert candidate.last_error == ""
