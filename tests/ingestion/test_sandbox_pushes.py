"""Each sandbox test address pushed for real: the app's client against the live sandbox, and
where the candidate ends up."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ingestion.client import INGEST_PATH
from ingestion.messages import MAY_EXIST
from ingestion.models import DeliveryStatus, IngestionRequest
from recruiting.management.commands.setup_demo import DEMO_INTERVIEWER_ID
from recruiting.models import Candidate
from tests.delivery import push_one
from tests.factories import InterviewerFactory

pytestmark = pytest.mark.django_db(transaction=True)
State = Candidate.State
NAME = "Ana Lima"


def push_address(sandbox: str, tag: str) -> Candidate:
    """Push one candidate with this test address to the live sandbox; the candidate after."""
    _, candidate = push_one(name=NAME, email=f"ana+{tag}@example.com")
    assert IngestionRequest.objects.get().url == f"{sandbox}/sandbox{INGEST_PATH}"
    return candidate


def test_fail400_fails_the_candidate_with_the_sandboxs_reason_naming_them(sandbox):
    candidate = push_address(sandbox, "fail400")

    assert candidate.state == State.FAILED
    assert candidate.attempts == 1
    assert candidate.last_error == (
        "InterviewFlowAI refused the candidates (HTTP 400). It said: Validation failed. "
        f"{NAME} <ana+fail400@example.com>, email: The sandbox refuses every address tagged "
        "+fail400."
    )
    assert IngestionRequest.objects.get().http_status == 400


@pytest.mark.parametrize("tag", ["fail503", "fail429"])
def test_a_retryable_answer_queues_the_candidate_again_for_later(sandbox, tag):
    before = timezone.now()

    candidate = push_address(sandbox, tag)

    assert candidate.state == State.QUEUED
    assert candidate.attempts == 1
    assert candidate.next_attempt_at > before
    assert f"HTTP {tag[-3:]}" in candidate.last_error
    assert not DeliveryStatus.current().paused


def test_fail429_waits_at_least_as_long_as_its_retry_after(sandbox, settings):
    settings.INTERVIEWFLOW_RETRY_DELAYS = [1, 1]
    before = timezone.now()

    candidate = push_address(sandbox, "fail429")

    assert candidate.next_attempt_at >= before + timedelta(seconds=60)
    assert candidate.last_error == (
        "InterviewFlowAI is limiting the request rate (HTTP 429). It said: Too many requests."
    )


def test_fail502_leaves_the_candidate_unconfirmed(sandbox):
    candidate = push_address(sandbox, "fail502")

    assert candidate.state == State.UNCONFIRMED
    assert candidate.attempts == 1
    assert candidate.last_error == (
        f"InterviewFlowAI answered with a server error (HTTP 502). {MAY_EXIST} It said: Bad "
        "gateway."
    )


def test_timeout_leaves_the_candidate_unconfirmed(sandbox, settings):
    settings.INTERVIEWFLOW_TIMEOUT = 0.5

    candidate = push_address(sandbox, "timeout")

    assert candidate.state == State.UNCONFIRMED
    assert candidate.last_error.startswith("No answer from InterviewFlowAI after sending")
    assert MAY_EXIST in candidate.last_error
    request = IngestionRequest.objects.get()
    assert (request.http_status, request.error_class) == (None, "ReadTimeout")


def test_fail401_pauses_delivery_and_the_candidate_waits(sandbox):
    candidate = push_address(sandbox, "fail401")

    assert candidate.state == State.QUEUED
    status = DeliveryStatus.current()
    assert status.paused
    assert status.paused_reason.startswith("InterviewFlowAI rejected the API key (HTTP 401).")
    assert "rejected the API key" in candidate.last_error


def test_an_interviewer_the_sandbox_does_not_know_fails_its_candidates(sandbox, settings):
    settings.INTERVIEWFLOW_SANDBOX_INTERVIEWER_IDS = [DEMO_INTERVIEWER_ID]
    stranger = InterviewerFactory()
    _, candidate = push_one(interviewer=stranger)
    _, demo = push_one(interviewer=InterviewerFactory(external_id=DEMO_INTERVIEWER_ID))

    assert candidate.state == State.FAILED
    assert candidate.last_error == (
        "InterviewFlowAI does not know this Interviewer (HTTP 404): check its interviewer id. "
        "It said: Interviewer not found."
    )
    assert demo.state == State.SENT
