"""push_messages: the lines a push ends with, their levels and where they link, from the
candidates' states as the database has them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ingestion.delivery.queueing import push_batch_create
from ingestion.delivery.report import Link, PushLine, push_messages
from ingestion.delivery.results import LeftOut, QueueResult
from ingestion.models import DeliveryStatus
from recruiting.models import Candidate
from recruiting.wording import local_time
from tests.factories import CandidateFactory, InterviewerFactory

pytestmark = pytest.mark.django_db
State = Candidate.State
UNAVAILABLE = "InterviewFlowAI is unavailable for now (HTTP 503)."


def in_state(state: str, count: int = 1, **fields) -> list[Candidate]:
    """Candidates of one Interviewer in this state, newest last (the summary lists newest first)."""
    interviewer = InterviewerFactory()
    return CandidateFactory.create_batch(count, interviewer=interviewer, state=state, **fields)


def queued_result(*candidates: Candidate, **fields) -> QueueResult:
    batch = push_batch_create(candidate_ids=[c.pk for c in candidates])
    return QueueResult(queued=len(candidates), batch=batch, **fields)


def left(*candidates: Candidate) -> LeftOut:
    return LeftOut(count=len(candidates), examples=list(candidates))


def test_nothing_queued_and_nothing_left_out_says_nothing():
    assert push_messages(QueueResult()) == []


@pytest.mark.parametrize(("count", "words"), [(1, "1 candidate"), (3, "3 candidates")])
def test_sent_candidates_are_counted_with_a_link_to_their_history(count: int, words: str):
    result = queued_result(*in_state(State.SENT, count))

    assert push_messages(result) == [
        PushLine("info", f"{words} sent to InterviewFlowAI.", Link.HISTORY)
    ]


def test_held_candidates_are_said_to_wait_until_96_hours_before_their_invitation():
    later = timezone.now() + timedelta(days=10)
    held = in_state(State.QUEUED, 2, next_attempt_at=later, send_at=later)

    assert push_messages(queued_result(*held, held=2)) == [
        PushLine(
            "info",
            "2 candidates held until 96 hours before their invitation time: they will be sent "
            "then.",
            Link.PROGRESS,
        )
    ]


def test_held_candidates_are_not_counted_again_among_those_waiting():
    later = timezone.now() + timedelta(days=10)
    held = in_state(State.QUEUED, next_attempt_at=later, send_at=later)
    waiting = in_state(State.QUEUED, 2)

    lines = push_messages(queued_result(*held, *waiting, held=1))

    assert [line.text for line in lines] == [
        "1 candidate held until 96 hours before their invitation time: they will be sent then.",
        "2 candidates queued: they will be sent in the background.",
    ]


def test_candidates_queued_and_being_sent_will_be_sent_in_the_background():
    result = queued_result(*in_state(State.QUEUED), *in_state(State.SENDING))

    assert push_messages(result) == [
        PushLine("info", "2 candidates queued: they will be sent in the background.", Link.PROGRESS)
    ]


def test_without_a_reachable_task_queue_they_wait_for_the_next_scheduled_run():
    result = queued_result(*in_state(State.QUEUED), dispatched=False)

    assert push_messages(result) == [
        PushLine(
            "info",
            "1 candidate queued: they will be sent by the next scheduled run (the task queue "
            "could not be reached).",
            Link.PROGRESS,
        )
    ]


def test_queued_while_delivery_is_paused_warns_they_go_once_it_is_resumed():
    DeliveryStatus.objects.create(pk=1, paused_at=timezone.now(), paused_reason="Key rejected.")
    result = queued_result(*in_state(State.QUEUED, 3), dispatched=False)

    assert push_messages(result) == [
        PushLine(
            "warning",
            "3 candidates queued, but delivery is paused because InterviewFlowAI rejected the API "
            "key: they will be sent once delivery is resumed.",
            Link.PROGRESS,
        )
    ]


def test_failed_candidates_are_an_error_and_their_reason_a_warning_naming_them():
    failed = in_state(State.FAILED, 2, last_error="InterviewFlowAI refused the candidates.")

    assert push_messages(queued_result(*failed)) == [
        PushLine("error", "2 candidates failed.", Link.HISTORY),
        PushLine(
            "warning",
            f"2 candidates ({failed[1]}, {failed[0]}): InterviewFlowAI refused the candidates.",
        ),
    ]


def test_unconfirmed_candidates_are_a_warning_with_a_link_to_their_history():
    (unconfirmed,) = in_state(State.UNCONFIRMED, last_error="No answer after sending.")

    assert push_messages(queued_result(unconfirmed)) == [
        PushLine("warning", "1 candidate unconfirmed.", Link.HISTORY),
        PushLine("warning", f"1 candidate ({unconfirmed}): No answer after sending."),
    ]


def test_problems_are_told_once_per_reason_naming_three_candidates_at_most():
    retrying = in_state(State.QUEUED, 5, last_error=UNAVAILABLE)
    rejected = in_state(State.FAILED, last_error="The email is not valid.")

    lines = push_messages(queued_result(*retrying, *rejected))

    newest_first = ", ".join(str(c) for c in reversed(retrying[2:]))
    assert lines == [
        PushLine(
            "info", "5 candidates queued: they will be sent in the background.", Link.PROGRESS
        ),
        PushLine("error", "1 candidate failed.", Link.HISTORY),
        PushLine("warning", f"1 candidate ({rejected[0]}): The email is not valid."),
        PushLine("warning", f"5 candidates ({newest_first} and 2 more): {UNAVAILABLE}"),
    ]


def test_skipped_candidates_are_told_by_state_naming_them():
    (sent,) = in_state(State.SENT)
    (unconfirmed,) = in_state(State.UNCONFIRMED)
    queued, queued_too = in_state(State.QUEUED, 2)
    (sending,) = in_state(State.SENDING)
    skipped = {
        State.SENT: left(sent),
        State.UNCONFIRMED: left(unconfirmed),
        State.QUEUED: left(queued, queued_too),
        State.SENDING: left(sending),
    }

    assert push_messages(QueueResult(skipped=skipped)) == [
        PushLine(
            "warning",
            f"1 candidate skipped ({sent}): It was already sent to InterviewFlowAI: use Resend to "
            "send it again.",
        ),
        PushLine(
            "warning",
            f"1 candidate skipped ({unconfirmed}): It may already be in InterviewFlowAI (its "
            "delivery is unconfirmed): check InterviewFlowAI, then use Resend if it is missing.",
        ),
        PushLine(
            "info",
            f"2 candidates skipped ({queued}, {queued_too}): It is queued to be sent to "
            "InterviewFlowAI.",
        ),
        PushLine(
            "info",
            f"1 candidate skipped ({sending}): It is being sent to InterviewFlowAI right now.",
        ),
    ]


def test_invalid_candidates_are_errors_naming_them_with_their_problems():
    blank, also_blank, both = in_state(State.NEW, 3)
    invalid = {
        "The name is blank.": left(blank, also_blank),
        "The name is blank. The email is not valid.": left(both),
    }

    assert push_messages(QueueResult(invalid=invalid)) == [
        PushLine("error", f"2 candidates not sent ({blank}, {also_blank}): The name is blank."),
        PushLine(
            "error", f"1 candidate not sent ({both}): The name is blank. The email is not valid."
        ),
    ]


def test_where_the_pushed_candidates_stand_comes_before_those_left_out():
    (sent,) = in_state(State.SENT)
    (already,) = in_state(State.SENT)
    (invalid,) = in_state(State.NEW)
    result = queued_result(
        sent, skipped={State.SENT: left(already)}, invalid={"Bad.": left(invalid)}
    )

    assert [(line.level, line.link) for line in push_messages(result)] == [
        ("info", Link.HISTORY),
        ("warning", Link.NONE),
        ("error", Link.NONE),
    ]


def test_candidates_waiting_for_a_retry_are_told_when_not_said_to_go_at_once():
    retry_at = timezone.now() + timedelta(minutes=2)
    retrying = in_state(State.QUEUED, 2, next_attempt_at=retry_at, attempts=1)
    due = in_state(State.QUEUED, 1, next_attempt_at=timezone.now())

    lines = push_messages(queued_result(*retrying, *due))

    assert (
        PushLine("info", "1 candidate queued: they will be sent in the background.", Link.PROGRESS)
        in lines
    )
    assert (
        PushLine(
            "warning",
            f"2 candidates will be tried again from {local_time(retry_at)}, for the reason below.",
            Link.PROGRESS,
        )
        in lines
    )
