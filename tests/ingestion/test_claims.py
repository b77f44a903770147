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

from ingestion import payloads
from ingestion.client import INGEST_PATH
from ingestion.delivery import retries
from ingestion.delivery.claims import (
    Recovered,
    candidates_claim,
    claim_for_request,
    leases_recover,
)
from ingestion.delivery.results import PushResult
from ingestion.delivery.selectors import due_candidates
from ingestion.delivery.sending import candidates_push
from ingestion.models import Claim, IngestionRequest, Trigger
from recruiting.models import Candidate
from tests.delivery import claims_expire, fresh, held, on_an_sqlite_file, push, queue
from tests.factories import CandidateFactory, InterviewerFactory
from tests.upstream import Upstream

pytestmark = pytest.mark.django_db
State = Candidate.State


def test_an_expired_claim_in_a_request_becomes_unconfirmed_and_a_live_one_is_left_alone():
    abandoned, working = CandidateFactory(), CandidateFactory()
    held(abandoned, expired=True, in_flight=(abandoned,))
    held(working)

    assert leases_recover() == Recovered(unconfirmed=1, requeued=0)

    abandoned, working = fresh(abandoned), fresh(working)
    assert abandoned.state == State.UNCONFIRMED
    assert abandoned.claim_token is None
    assert "check in InterviewFlowAI before resending" in abandoned.last_error
    assert working.state == State.SENDING
    assert Claim.objects.count() == 1


def test_a_candidate_left_sending_with_no_claim_is_unconfirmed_not_lost():
    lost = CandidateFactory(state=State.SENDING, claim_token=uuid.uuid4())

    assert leases_recover() == Recovered(unconfirmed=1, requeued=0)
    assert fresh(lost).state == State.UNCONFIRMED


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
        claims_expire()
        assert leases_recover() == Recovered(unconfirmed=1, requeued=0)
        return Response(json.dumps({"data": []}), status=201, content_type="application/json")

    api.expect_request(INGEST_PATH, method="POST").respond_with_handler(slow_then_created)

    result = push()

    assert result.sent == 1
    candidate = fresh(candidate)
    assert candidate.state == State.SENT
    assert candidate.last_error == ""


def test_only_the_request_in_flight_is_unconfirmed_when_a_run_dies_and_the_rest_is_queued(
    settings,
):
    # A run claimed three batches and died while the first one's request was out.
    settings.INTERVIEWFLOW_BATCH_SIZE = 2
    candidates = CandidateFactory.create_batch(6, interviewer=InterviewerFactory())
    queue(*candidates)
    token, claimed = candidates_claim(due_candidates())
    assert claim_for_request(claimed[:2], token=token)
    claims_expire()

    recovered = leases_recover()

    assert recovered == Recovered(unconfirmed=2, requeued=4)
    in_flight = {c.pk for c in claimed[:2]}
    for candidate in map(fresh, candidates):
        expected = State.UNCONFIRMED if candidate.pk in in_flight else State.QUEUED
        assert (candidate.state, candidate.claim_token) == (expected, None)
        if expected == State.QUEUED:
            assert candidate.last_error == ""
    assert not Claim.objects.exists()


def test_a_stamp_renews_the_lease_and_notes_the_batch_with_those_still_out(settings):
    settings.INTERVIEWFLOW_BATCH_SIZE = 2
    queue(*CandidateFactory.create_batch(4, interviewer=InterviewerFactory()))
    token, claimed = candidates_claim(due_candidates())
    Claim.objects.update(lease_expires_at=timezone.now() - timedelta(days=1))
    before = timezone.now()

    assert claim_for_request(claimed[2:], token=token, out=[c.pk for c in claimed[:2]])

    claim = Claim.objects.get()
    assert claim.in_flight == [c.pk for c in claimed]
    assert before + retries.lease_duration() <= claim.lease_expires_at
    assert claim.lease_expires_at <= timezone.now() + retries.lease_duration()


def test_a_candidate_the_sweep_took_back_is_not_stamped_nor_sent():
    candidate = CandidateFactory()
    queue(candidate)
    token, (claimed,) = candidates_claim(due_candidates())
    claims_expire()
    leases_recover()

    assert claim_for_request([claimed], token=token) is False
    assert fresh(candidate).state == State.QUEUED


def test_a_claimed_candidate_sends_and_is_checked_exactly_as_its_model():
    interviewer = InterviewerFactory(skills=["sql"])
    candidates = [
        CandidateFactory(interviewer=interviewer, status="", skills=[]),
        CandidateFactory(
            interviewer=interviewer,
            skills=["python"],
            additional_fields={"Manual Score": 72},
            metadata={"External ID": "c_123"},
            send_at=timezone.now() + timedelta(hours=30),
        ),
        CandidateFactory(interviewer=interviewer, send_email_after=5),
    ]
    queue(*candidates)
    Candidate.objects.filter(pk=candidates[2].pk).update(name="")  # a change no lock stopped
    now = timezone.now()

    token, claimed = candidates_claim(due_candidates())

    assert [c.pk for c in claimed] == [c.pk for c in candidates]
    for row, model in zip(claimed, map(fresh, candidates), strict=True):
        assert payloads.candidate_item(row, now=now) == payloads.candidate_item(model, now=now)
        assert payloads.group_key(row) == payloads.group_key(model)
        assert row.problems() == model.problems()
        assert (row.attempts, model.claim_token) == (model.attempts, token)
    assert claimed[2].problems()
