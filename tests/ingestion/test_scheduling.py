"""Invitations scheduled for later: delayed by the API up to 96 h, held here beyond that."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ingestion import payloads
from ingestion.delivery.sending import candidates_push
from ingestion.dispatch import candidates_schedule_push
from ingestion.models import Trigger
from recruiting.models import Candidate
from tests.factories import CandidateFactory, InterviewerFactory

pytestmark = pytest.mark.django_db
State = Candidate.State


def test_an_invitation_within_96_hours_is_sent_now_with_the_remaining_delay(
    api, ingest_path, django_capture_on_commit_callbacks
):
    api.expect_request(ingest_path, method="POST").respond_with_json({"data": []}, status=201)
    candidate = CandidateFactory()
    send_at = timezone.now() + timedelta(hours=30, minutes=10)

    with django_capture_on_commit_callbacks(execute=True):
        result = candidates_schedule_push(
            candidate_ids=[candidate.pk], send_at=send_at, trigger=Trigger.SCHEDULE
        )

    candidate.refresh_from_db()
    assert (result.queued, result.due) == (1, 1)
    assert candidate.state == State.SENT
    (request, _), *_ = api.log
    assert request.json["data"][0]["metadata"] == {"sendEmailAfter": 31}


def test_an_invitation_further_off_is_held_until_96_hours_before_it(api, ingest_path):
    candidate = CandidateFactory()
    send_at = timezone.now() + timedelta(days=10)

    result = candidates_schedule_push(
        candidate_ids=[candidate.pk], send_at=send_at, trigger=Trigger.SCHEDULE
    )

    candidate.refresh_from_db()
    assert result.held == 1
    assert result.due == 0
    assert candidate.state == State.QUEUED
    assert candidate.next_attempt_at == send_at - timedelta(hours=96)
    assert candidates_push(trigger=Trigger.SCHEDULE).requests == 0
    assert api.log == []


def test_a_held_candidate_goes_out_when_due_passing_the_remaining_delay(api, ingest_path):
    api.expect_request(ingest_path, method="POST").respond_with_json({"data": []}, status=201)
    candidate = CandidateFactory()
    candidates_schedule_push(
        candidate_ids=[candidate.pk],
        send_at=timezone.now() + timedelta(days=10),
        trigger=Trigger.SCHEDULE,
    )
    # Six days later the send time is 96 hours away.
    Candidate.objects.filter(pk=candidate.pk).update(
        send_at=timezone.now() + timedelta(hours=95, minutes=30),
        next_attempt_at=timezone.now() - timedelta(minutes=30),
    )

    result = candidates_push(trigger=Trigger.SCHEDULE)

    assert result.sent == 1
    (request, _), *_ = api.log
    assert request.json["data"][0]["metadata"]["sendEmailAfter"] == 96


def test_a_send_time_already_past_invites_at_once():
    candidate = CandidateFactory.build(send_at=timezone.now() - timedelta(hours=1))
    assert "metadata" not in payloads.candidate_item(candidate, now=timezone.now())


def test_a_send_time_takes_precedence_over_a_fixed_delay():
    now = timezone.now()
    candidate = CandidateFactory.build(send_email_after=5, send_at=now + timedelta(hours=2))
    assert payloads.candidate_item(candidate, now=now)["metadata"] == {"sendEmailAfter": 2}


def test_sent_candidates_keep_their_send_time_when_scheduled_again(api):
    candidate = CandidateFactory(state=State.SENT)
    result = candidates_schedule_push(
        candidate_ids=[candidate.pk],
        send_at=timezone.now() + timedelta(hours=5),
        trigger=Trigger.SCHEDULE,
    )
    candidate.refresh_from_db()
    assert result.already_sent == 1
    assert candidate.send_at is None


def test_a_candidate_that_cannot_be_sent_is_not_left_with_a_schedule(api):
    interviewer = InterviewerFactory(resume_screening=True)
    refused = CandidateFactory(interviewer=interviewer, status=Candidate.Status.SHORTLISTED)

    result = candidates_schedule_push(
        candidate_ids=[refused.pk],
        send_at=timezone.now() + timedelta(days=7),
        trigger=Trigger.ADMIN,
    )

    refused.refresh_from_db()
    assert [left.examples for left in result.invalid.values()] == [[refused]]
    assert (refused.state, refused.send_at) == (State.NEW, None)


def test_a_held_candidate_rescheduled_without_a_time_is_sent_at_once(
    api, ingest_path, django_capture_on_commit_callbacks
):
    api.expect_request(ingest_path, method="POST").respond_with_json({"data": []}, status=201)
    candidate = CandidateFactory()
    candidates_schedule_push(
        candidate_ids=[candidate.pk],
        send_at=timezone.now() + timedelta(days=10),
        trigger=Trigger.ADMIN,
    )

    with django_capture_on_commit_callbacks(execute=True):
        result = candidates_schedule_push(
            candidate_ids=[candidate.pk], send_at=None, trigger=Trigger.ADMIN
        )

    candidate.refresh_from_db()
    assert result.due == 1
    assert (candidate.state, candidate.send_at) == (State.SENT, None)
    (request, _), *_ = api.log
    assert "metadata" not in request.json["data"][0]


def test_a_candidate_being_sent_is_not_rescheduled(api):
    candidate = CandidateFactory(state=State.SENDING)

    result = candidates_schedule_push(
        candidate_ids=[candidate.pk],
        send_at=timezone.now() + timedelta(days=10),
        trigger=Trigger.ADMIN,
    )

    candidate.refresh_from_db()
    assert result.in_progress == 1
    assert (candidate.state, candidate.send_at) == (State.SENDING, None)
