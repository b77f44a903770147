"""Queueing: which candidates a push takes, which it leaves alone, and why."""

from __future__ import annotations

import pytest
from django.utils import timezone
from pytest_httpserver import HTTPServer

from ingestion.delivery.queueing import candidates_queue
from recruiting.models import Candidate
from tests.delivery import fresh, push, queue, queued_ids
from tests.factories import CandidateFactory, InterviewerFactory
from tests.upstream import answer

pytestmark = pytest.mark.django_db
State = Candidate.State


def test_new_and_failed_candidates_are_queued_to_go_now():
    new = CandidateFactory()
    failed = CandidateFactory(state=State.FAILED, last_error="It failed before.")
    before = timezone.now()

    result = candidates_queue(candidate_ids=[new.pk, failed.pk])

    assert queued_ids(result) == sorted([new.pk, failed.pk])
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

    assert queued_ids(result) == [new.pk]
    assert (result.already_sent, result.unconfirmed, result.in_progress) == (1, 1, 1)
    assert fresh(sent).state == State.SENT
    assert fresh(unconfirmed).state == State.UNCONFIRMED
    assert fresh(sending).state == State.SENDING


def test_candidates_their_interviewer_refuses_are_reported_with_the_reason_and_not_queued():
    screening = InterviewerFactory(name="Data Engineer", resume_screening=True, visibility="public")
    closed = InterviewerFactory(name="Closed Role", active=False)
    shortlisted = CandidateFactory(interviewer=screening, status=Candidate.Status.SHORTLISTED)
    defaulted = CandidateFactory(interviewer=screening, status="")
    drafted = CandidateFactory(interviewer=screening, status=Candidate.Status.DRAFT)
    inactive = CandidateFactory.create_batch(5, interviewer=closed)

    result = candidates_queue(
        candidate_ids=[c.pk for c in (shortlisted, defaulted, drafted, *inactive)]
    )

    assert queued_ids(result) == [drafted.pk]
    reasons = {reason: left.count for reason, left in result.invalid.items()}
    (blocked,) = [reason for reason in reasons if reason.startswith("“Data Engineer”")]
    (blank,) = [reason for reason in reasons if reason.startswith("A blank status")]
    assert "Resume Screening" in blocked
    assert reasons == {blocked: 1, blank: 1, "The Interviewer “Closed Role” is inactive.": 5}
    for candidate, reason in ((shortlisted, blocked), (defaulted, blank), (inactive[0], None)):
        assert fresh(candidate).state == State.NEW
        assert fresh(candidate).last_error == (
            reason or "The Interviewer “Closed Role” is inactive."
        )


def test_a_candidate_with_a_value_the_api_rejects_fails_at_the_last_check_before_sending(
    api: HTTPServer,
):
    blank_name = CandidateFactory(name="  ")
    bad_email = CandidateFactory(email="not-an-email")
    late = CandidateFactory(send_email_after=120)

    queue(blank_name, bad_email, late)
    result = push()

    assert (result.failed, result.requests) == (3, 0)
    assert "name is blank" in fresh(blank_name).last_error
    assert "not-an-email" in fresh(bad_email).last_error
    assert "120" in fresh(late).last_error
    assert {fresh(c).state for c in (blank_name, bad_email, late)} == {State.FAILED}
    assert api.log == []


def test_a_selection_given_as_a_query_is_queued_without_reading_it_into_python(
    django_assert_max_num_queries,
):
    interviewer = InterviewerFactory()
    CandidateFactory.create_batch(30, interviewer=interviewer)
    CandidateFactory.create_batch(4, interviewer=interviewer, state=State.SENT)

    with django_assert_max_num_queries(12):
        result = candidates_queue(candidate_ids=Candidate.objects.filter(interviewer=interviewer))

    assert (result.queued, result.already_sent, result.held) == (30, 4, 0)
    assert result.batch.candidates.count() == 30
    assert Candidate.objects.filter(state=State.QUEUED).count() == 30
