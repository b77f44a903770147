"""Queueing: which candidates a push takes, which it leaves alone, and why."""

from __future__ import annotations

import pytest
from django.utils import timezone
from pytest_httpserver import HTTPServer

from ingestion.delivery.queueing import candidates_queue
from recruiting.models import Candidate
from tests.delivery import fresh, push, queue
from tests.factories import CandidateFactory, InterviewerFactory
from tests.upstream import answer

pytestmark = pytest.mark.django_db
State = Candidate.State


def test_new_and_failed_candidates_are_queued_to_go_now():
    new = CandidateFactory()
    failed = CandidateFactory(state=State.FAILED, last_error="It failed before.")
    before = timezone.now()

    result = candidates_queue(candidate_ids=[new.pk, failed.pk])

    assert sorted(result.queued) == sorted([new.pk, failed.pk])
    for candidate in (fresh(new), fresh(failed)):
        assert candidate.state == State.QUEUED
        assert before <= candidate.next_attempt_at <= timezone.now()
        assert candidate.last_error == ""


def test_a_failed_candidate_pushed_again_gets_the_whole_retry_schedule_again(
    api: HTTPServer, settings
):
    settings.INTERVIEWFLOW_RETRY_DELAYS = [30, 120]
    answer(api, 503)
    candidate = CandidateFactory(state=State.FAILED, attempts=3, last_error="Gave up.")
    queue(candidate)

    push()

    candidate = fresh(candidate)
    assert candidate.state == State.QUEUED, candidate.last_error
    assert candidate.attempts == 1


def test_sent_candidates_are_skipped_and_counted():
    sent = CandidateFactory(state=State.SENT, sent_at=timezone.now())
    unconfirmed = CandidateFactory(state=State.UNCONFIRMED)
    sending = CandidateFactory(state=State.SENDING)
    new = CandidateFactory()

    result = candidates_queue(candidate_ids=[sent.pk, unconfirmed.pk, sending.pk, new.pk])

    assert result.queued == [new.pk]
    assert (result.already_sent, result.unconfirmed, result.in_progress) == (1, 1, 1)
    assert fresh(sent).state == State.SENT
    assert fresh(unconfirmed).state == State.UNCONFIRMED
    assert fresh(sending).state == State.SENDING


def test_invalid_candidates_are_reported_with_their_reasons_and_not_queued():
    screening = InterviewerFactory(name="Data Engineer", resume_screening=True)
    blank_name = CandidateFactory(name="  ")
    bad_email = CandidateFactory(email="not-an-email")
    shortlisted = CandidateFactory(interviewer=screening, status=Candidate.Status.SHORTLISTED)
    late = CandidateFactory(send_email_after=120)
    good = CandidateFactory()

    result = candidates_queue(
        candidate_ids=[c.pk for c in (blank_name, bad_email, shortlisted, late, good)]
    )

    assert result.queued == [good.pk]
    reasons = {candidate.pk: " ".join(problems) for candidate, problems in result.invalid}
    assert "name is blank" in reasons[blank_name.pk]
    assert "not-an-email" in reasons[bad_email.pk]
    assert "Resume Screening" in reasons[shortlisted.pk]
    assert "120" in reasons[late.pk]
    for candidate in (blank_name, bad_email, shortlisted, late):
        assert fresh(candidate).state == State.NEW
        assert fresh(candidate).last_error == reasons[candidate.pk]
