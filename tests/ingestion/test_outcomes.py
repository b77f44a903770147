"""Each answer of the API leads to its state: retried later, failed, or unconfirmed."""

from __future__ import annotations

from datetime import timedelta
from email.utils import format_datetime

import pytest
from django.utils import timezone
from pytest_httpserver import HTTPServer

from ingestion.client import Exchange, Outcome
from ingestion.delivery import retries
from ingestion.delivery.queueing import candidates_queue
from ingestion.delivery.recording import health_record
from ingestion.models import DeliveryStatus
from recruiting.models import Candidate
from tests.delivery import fresh, push, push_one, queue
from tests.factories import CandidateFactory, InterviewerFactory
from tests.upstream import answer

pytestmark = pytest.mark.django_db
State = Candidate.State


def test_a_definite_failure_is_queued_again_for_later(api: HTTPServer, settings):
    settings.INTERVIEWFLOW_RETRY_DELAYS = [300, 600]
    answer(api, 503, "Down for maintenance")
    before = timezone.now()

    result, candidate = push_one()

    assert result.retrying == 1
    assert candidate.state == State.QUEUED
    assert candidate.attempts == 1
    assert before + timedelta(seconds=240) <= candidate.next_attempt_at
    assert candidate.next_attempt_at <= timezone.now() + timedelta(seconds=360)
    assert "HTTP 503" in candidate.last_error
    # Not due yet: a push straight away sends nothing.
    assert push().requests == 0
    assert len(api.log) == 1


@pytest.mark.parametrize("as_date", [False, True], ids=["seconds", "http-date"])
def test_rate_limiting_waits_as_long_as_the_api_asks(api: HTTPServer, settings, as_date: bool):
    settings.INTERVIEWFLOW_RETRY_DELAYS = [30]
    wait = timedelta(seconds=1200)
    retry_after = format_datetime(timezone.now() + wait, usegmt=True) if as_date else "1200"
    answer(api, 429, {"message": "Too many requests."}, **{"Retry-After": retry_after})
    before = timezone.now()

    _, candidate = push_one()

    assert candidate.state == State.QUEUED
    assert before + wait - timedelta(seconds=2) <= candidate.next_attempt_at
    assert candidate.next_attempt_at <= timezone.now() + wait
    assert "Too many requests." in candidate.last_error


def test_a_definite_failure_fails_once_the_retries_are_spent(api: HTTPServer, settings):
    settings.INTERVIEWFLOW_RETRY_DELAYS = [30, 120]
    answer(api, 503)
    candidate = CandidateFactory()
    queue(candidate)
    Candidate.objects.filter(pk=candidate.pk).update(attempts=retries.max_attempts() - 1)

    result = push()

    candidate = fresh(candidate)
    assert result.failed == 1
    assert candidate.state == State.FAILED
    assert candidate.attempts == 3
    assert "Gave up after 3 attempts" in candidate.last_error


def test_a_rejected_batch_fails_with_the_reason_in_words(api: HTTPServer):
    errors = {"data[0].email": ["A valid email address is required."]}
    answer(api, 400, {"message": "Validation failed.", "errors": errors})

    result, candidate = push_one()

    assert result.failed == 1
    assert candidate.state == State.FAILED
    assert candidate.attempts == 1
    # The field error names the candidate it is about, not its place in the request.
    assert candidate.last_error == (
        "InterviewFlowAI refused the candidates (HTTP 400). It said: Validation failed. "
        f"{candidate.name} <{candidate.email}>, email: A valid email address is required."
    )
    assert result.errors == [candidate.last_error]


def test_field_errors_on_several_candidates_name_each_of_them(api: HTTPServer):
    errors = {"data.1.name": ["Required."], "data.0.email": ["Invalid.", "Too long."]}
    answer(api, 400, {"errors": errors})
    interviewer = InterviewerFactory()
    first, second = CandidateFactory.create_batch(2, interviewer=interviewer)
    candidates_queue(candidate_ids=[first.pk, second.pk])

    push()

    assert fresh(first).last_error.endswith(
        f"It said: {second.name} <{second.email}>, name: Required.; "
        f"{first.name} <{first.email}>, email: Invalid., Too long."
    )


def test_an_unknown_interviewer_fails_naming_the_interviewer_id(api: HTTPServer):
    answer(api, 404, {"message": "Interviewer not found."})

    _, candidate = push_one()

    assert candidate.state == State.FAILED
    assert "interviewer id" in candidate.last_error


def test_an_unknown_outcome_is_unconfirmed_and_not_sent_again(api: HTTPServer):
    answer(api, 502, "<html>Bad gateway</html>")

    result, candidate = push_one()
    push()

    candidate = fresh(candidate)
    assert result.unconfirmed == 1
    assert candidate.state == State.UNCONFIRMED
    assert candidate.attempts == 1
    assert "second invitation" in candidate.last_error
    assert len(api.log) == 1


def test_an_unknown_outcome_is_queued_again_when_the_setting_allows(api: HTTPServer, settings):
    settings.INTERVIEWFLOW_RETRY_UNKNOWN = True
    settings.INTERVIEWFLOW_RETRY_DELAYS = [300]
    answer(api, 504)
    before = timezone.now()

    result, candidate = push_one()

    assert result.retrying == 1
    assert candidate.state == State.QUEUED
    assert candidate.attempts == 1
    assert candidate.next_attempt_at >= before + timedelta(seconds=240)


def test_a_success_after_a_failure_is_remembered_at_once_and_a_run_of_them_seldom():
    DeliveryStatus.current()
    accepted = Exchange(outcome=Outcome.ACCEPTED, url="u", status_code=201)
    failed = Exchange(outcome=Outcome.RETRY, url="u", status_code=503)
    now = timezone.now()

    health_record(accepted, "", now=now)
    health_record(accepted, "", now=now + timedelta(seconds=1))
    assert DeliveryStatus.current().last_success_at == now
    health_record(failed, "unavailable", now=now + timedelta(seconds=2))
    health_record(accepted, "", now=now + timedelta(seconds=3))
    assert DeliveryStatus.current().last_success_at == now + timedelta(seconds=3)
