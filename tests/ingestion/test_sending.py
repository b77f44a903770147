"""Sending: candidates travel in batches, each request is recorded with its body and answer,
and an accepted candidate keeps the id InterviewFlowAI gave it."""

from __future__ import annotations

import json
import threading
from collections import Counter
from unittest.mock import patch

import pytest
from django.utils import timezone
from pytest_httpserver import HTTPServer

from ingestion.client import INGEST_PATH, Outcome
from ingestion.delivery import chunks
from ingestion.models import RESPONSE_BODY_LIMIT, IngestionRequest, Trigger
from recruiting.models import Candidate, Interviewer
from tests.conftest import API_KEY
from tests.delivery import (
    assert_key_stored_nowhere,
    fresh,
    on_an_sqlite_file,
    push,
    push_one,
    queue,
)
from tests.factories import CandidateFactory, InterviewerFactory, UserFactory
from tests.upstream import Upstream

pytestmark = pytest.mark.django_db
State = Candidate.State


def test_candidates_travel_together_by_interviewer_status_and_skills(upstream: Upstream):
    backend = InterviewerFactory(skills=["python"])
    data = InterviewerFactory(skills=["sql"], visibility=Interviewer.Visibility.PRIVATE)
    default_a, default_b = CandidateFactory.create_batch(2, interviewer=backend)
    as_draft = CandidateFactory(interviewer=backend, status=Candidate.Status.DRAFT)
    own_skills = CandidateFactory(interviewer=backend, skills=["go"])
    other = CandidateFactory(interviewer=data)
    queue(default_a, default_b, as_draft, own_skills, other)

    result = push()

    groups = {
        (body["interviewerId"], body["status"], tuple(body["skills"])): sorted(
            item["email"] for item in body["data"]
        )
        for body in upstream.bodies
    }
    assert groups == {
        (str(backend.external_id), "shortlisted", ("python",)): sorted(
            [default_a.email, default_b.email]
        ),
        (str(backend.external_id), "draft", ("python",)): [as_draft.email],
        (str(backend.external_id), "shortlisted", ("go",)): [own_skills.email],
        (str(data.external_id), "draft", ("sql",)): [other.email],
    }
    assert (result.sent, result.requests) == (5, 4)
    assert IngestionRequest.objects.count() == 4


def test_a_group_is_cut_at_the_batch_size(upstream: Upstream, settings):
    settings.INTERVIEWFLOW_BATCH_SIZE = 2
    candidates = CandidateFactory.create_batch(5, interviewer=InterviewerFactory())
    queue(*candidates)

    result = push()

    assert sorted(len(body["data"]) for body in upstream.bodies) == [1, 2, 2]
    assert upstream.emails == Counter(c.email for c in candidates)
    assert (result.sent, result.requests) == (5, 3)


def test_each_attempt_is_recorded_with_the_body_sent_and_what_came_back(api: HTTPServer):
    upstream = Upstream(delay=0.05)
    api.expect_request(INGEST_PATH, method="POST").respond_with_handler(upstream)
    user = UserFactory()
    candidates = CandidateFactory.create_batch(2, interviewer=InterviewerFactory())
    queue(*candidates)
    before = timezone.now()

    push(trigger=Trigger.ADMIN, user=user)

    request = IngestionRequest.objects.get()
    assert request.request_body == upstream.bodies[0]
    assert sorted(request.candidates.values_list("pk", flat=True)) == [c.pk for c in candidates]
    assert request.candidate_count == 2
    assert request.interviewer == candidates[0].interviewer
    assert (request.trigger, request.user) == (Trigger.ADMIN, user)
    assert request.url == api.url_for(INGEST_PATH)
    assert (request.http_status, request.outcome) == (201, Outcome.ACCEPTED)
    assert json.loads(request.response_body)["data"][0]["id"] == f"id-{candidates[0].email}"
    assert request.duration_ms >= 50
    assert before <= request.started_at <= timezone.now()
    assert (request.error_class, request.error_message) == ("", "")


@pytest.mark.parametrize("character", ["x", "é", "😀"], ids=["ascii", "two-byte", "four-byte"])
def test_a_long_answer_is_kept_cut_to_20_kb(api: HTTPServer, character: str):
    text = character * (RESPONSE_BODY_LIMIT * 2)
    api.expect_request(INGEST_PATH).respond_with_data(
        text, status=201, content_type="text/plain; charset=utf-8"
    )
    queue(CandidateFactory())

    push()

    request = IngestionRequest.objects.get()
    assert request.response_truncated
    assert len(request.response_body.encode()) <= RESPONSE_BODY_LIMIT
    assert len(request.response_body.encode()) > RESPONSE_BODY_LIMIT - 4
    assert set(request.response_body) == {character}


def test_a_short_answer_is_kept_whole(api: HTTPServer):
    api.expect_request(INGEST_PATH).respond_with_data("é" * 100, status=201)
    queue(CandidateFactory())

    push()

    request = IngestionRequest.objects.get()
    assert (request.response_body, request.response_truncated) == ("é" * 100, False)


def test_an_accepted_candidate_is_sent_with_its_upstream_id(upstream: Upstream):
    result, candidate = push_one()

    assert result.sent == 1
    assert candidate.state == State.SENT
    assert candidate.upstream_id == f"id-{candidate.email}"
    assert candidate.sent_at is not None
    assert (candidate.attempts, candidate.last_error, candidate.claim_token) == (1, "", None)


def test_a_candidate_invalid_since_it_was_queued_fails_without_a_request(upstream: Upstream):
    interviewer = InterviewerFactory(name="Platform Engineer")
    candidate = CandidateFactory(interviewer=interviewer, status=Candidate.Status.SHORTLISTED)
    queue(candidate)
    interviewer.screening_questions = True
    interviewer.save()

    result = push()

    candidate = fresh(candidate)
    assert (result.failed, result.requests) == (1, 0)
    assert candidate.state == State.FAILED
    assert "Screening Questions" in candidate.last_error
    assert upstream.bodies == []
    assert not IngestionRequest.objects.exists()


def test_a_key_that_cannot_be_sent_is_kept_out_of_every_record(api: HTTPServer, settings):
    settings.INTERVIEWFLOW_API_KEY = f"{API_KEY}\n"

    result, candidate = push_one()

    assert result.retrying == 1
    assert candidate.state == State.QUEUED
    assert "Check INTERVIEWFLOW_API_URL and INTERVIEWFLOW_API_KEY" in candidate.last_error
    assert IngestionRequest.objects.get().error_class == "InvalidHeader"
    assert api.log == []
    assert_key_stored_nowhere()


@pytest.mark.django_db(transaction=True)
def test_on_an_sqlite_file_the_run_claims_and_a_thread_only_reads_the_next_chunk(
    upstream: Upstream, settings, tmp_path
):
    settings.INTERVIEWFLOW_BATCH_SIZE = 2  # a chunk is 20 candidates
    candidates = CandidateFactory.create_batch(45, interviewer=InterviewerFactory())
    queue(*candidates)
    # Invalid since it was queued: refused by the checks, in the last chunk.
    Candidate.objects.filter(pk=candidates[-1].pk).update(email="not an address")
    threads: dict[str, set[str]] = {"claim_ids": set(), "chunk_prepare": set(), "refused": set()}

    def on_thread(name: str, function):
        def call(*args, **kwargs):
            threads[name].add(threading.current_thread().name)
            return function(*args, **kwargs)

        return call

    with (
        on_an_sqlite_file(tmp_path),
        patch.object(chunks, "claim_ids", on_thread("claim_ids", chunks.claim_ids)),
        patch.object(chunks, "chunk_prepare", on_thread("chunk_prepare", chunks.chunk_prepare)),
        patch.object(chunks, "claim_finish", on_thread("refused", chunks.claim_finish)),
    ):
        result = push()
        states = Counter(Candidate.objects.values_list("state", flat=True))
        refused = fresh(candidates[-1])

    main = threading.main_thread().name
    assert (result.sent, result.failed, result.requests) == (44, 1, 22)
    assert states == Counter({State.SENT: 44, State.FAILED: 1})
    assert "not a valid email address" in refused.last_error
    # Every write by the run; the chunks after the first read on a thread of their own.
    assert threads["claim_ids"] == threads["refused"] == {main}
    assert threads["chunk_prepare"] - {main}
    assert sorted(upstream.emails.values()) == [1] * 44
