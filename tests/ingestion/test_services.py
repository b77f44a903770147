"""The delivery service: queue, claim, batch, send, record, and the state each outcome leads to."""

from __future__ import annotations

import contextlib
import io
import json
import sqlite3
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from ingestion.client import INGEST_PATH, Outcome
from ingestion.delivery import retries
from ingestion.delivery.claims import leases_recover
from ingestion.delivery.housekeeping import delivery_resume, delivery_sweep
from ingestion.delivery.queueing import candidates_queue, push_batch_create
from ingestion.delivery.results import PushResult
from ingestion.delivery.sending import candidates_push
from ingestion.dispatch import candidates_push_request
from ingestion.models import (
    RESPONSE_BODY_LIMIT,
    DeliveryStatus,
    IngestionRequest,
    PushBatch,
    Trigger,
)
from recruiting.models import Candidate, Interviewer
from tests import faults
from tests.conftest import API_KEY
from tests.factories import (
    CandidateFactory,
    IngestionRequestFactory,
    InterviewerFactory,
    UserFactory,
)
from tests.upstream import Upstream

pytestmark = pytest.mark.django_db
State = Candidate.State


@pytest.fixture
def upstream(api: HTTPServer) -> Upstream:
    handler = Upstream()
    api.expect_request(INGEST_PATH, method="POST").respond_with_handler(handler)
    return handler


def queue(*candidates: Candidate) -> list[int]:
    result = candidates_queue(candidate_ids=[c.pk for c in candidates])
    assert sorted(result.queued) == sorted(c.pk for c in candidates), result.invalid
    return result.queued


def push(**kwargs) -> PushResult:
    kwargs.setdefault("trigger", Trigger.COMMAND)
    result = candidates_push(**kwargs)
    assert not Candidate.objects.filter(state=State.SENDING).exists(), "a claim was left behind"
    return result


def fresh(candidate: Candidate) -> Candidate:
    candidate.refresh_from_db()
    return candidate


def push_one(**fields: Any) -> tuple[PushResult, Candidate]:
    """Queue one candidate and push: what the run did, and where the candidate stands now."""
    candidate = CandidateFactory(**fields)
    queue(candidate)
    result = push()
    return result, fresh(candidate)


def assert_key_stored_nowhere() -> None:
    """Every column of every table, as dumpdata writes them, is free of the API key."""
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    assert dump.getvalue().count('"model"') > 0
    assert API_KEY not in dump.getvalue()


# --- queueing -----------------------------------------------------------------------------------


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


# --- batching and history -----------------------------------------------------------------------


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


# --- each outcome leads to its state -----------------------------------------------------------


def answer(api: HTTPServer, status: int, body: object = "", **headers: str) -> None:
    text = body if isinstance(body, str) else json.dumps(body)
    api.expect_request(INGEST_PATH, method="POST").respond_with_data(
        text, status=status, headers=headers, content_type="application/json"
    )


def test_an_accepted_candidate_is_sent_with_its_upstream_id(upstream: Upstream):
    result, candidate = push_one()

    assert result.sent == 1
    assert candidate.state == State.SENT
    assert candidate.upstream_id == f"id-{candidate.email}"
    assert candidate.sent_at is not None
    assert (candidate.attempts, candidate.last_error, candidate.claim_token) == (1, "", None)


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


def test_a_key_that_cannot_be_sent_is_kept_out_of_every_record(api: HTTPServer, settings):
    settings.INTERVIEWFLOW_API_KEY = f"{API_KEY}\n"

    result, candidate = push_one()

    assert result.retrying == 1
    assert candidate.state == State.QUEUED
    assert "Check INTERVIEWFLOW_API_URL and INTERVIEWFLOW_API_KEY" in candidate.last_error
    assert IngestionRequest.objects.get().error_class == "InvalidHeader"
    assert api.log == []
    assert_key_stored_nowhere()


# --- the fault matrix: every fault ends in its designed state, one history row each ------------


@dataclass(frozen=True)
class Fault:
    name: str
    arrange: Callable[[HTTPServer, contextlib.ExitStack], str]  # returns the API base URL
    state: str
    http_status: int | None
    outcome: str


def _answering(status: int, body: object = "", **headers: str):
    def arrange(api: HTTPServer, stack: contextlib.ExitStack) -> str:
        answer(api, status, body, **headers)
        return api.url_for("/")

    return arrange


def _raw(reply: faults.Reply):
    def arrange(api: HTTPServer, stack: contextlib.ExitStack) -> str:
        return stack.enter_context(faults.RawServer(reply)).url

    return arrange


def _read_timeout(api: HTTPServer, stack: contextlib.ExitStack) -> str:
    release = threading.Event()
    stack.callback(release.set)

    def too_slow(request: Request) -> Response:
        release.wait(5)
        return Response("{}", status=201)

    api.expect_request(INGEST_PATH).respond_with_handler(too_slow)
    return api.url_for("/")


def _rate_limited_for_an_hour(api: HTTPServer, stack: contextlib.ExitStack) -> str:
    an_hour_on = format_datetime(timezone.now() + timedelta(hours=1), usegmt=True)
    return _answering(429, **{"Retry-After": an_hour_on})(api, stack)


FAULTS = [
    Fault("refused", lambda api, stack: faults.closed_port_url(), State.QUEUED, None, "retry"),
    Fault(
        "dns", lambda api, stack: "http://interviewflow-api.invalid", State.QUEUED, None, "retry"
    ),
    Fault(
        "connect-timeout",
        lambda api, stack: stack.enter_context(faults.full_backlog()),
        State.QUEUED,
        None,
        "retry",
    ),
    Fault("read-timeout", _read_timeout, State.UNCONFIRMED, None, "unknown"),
    Fault("reset-after-send", _raw(faults.reset), State.UNCONFIRMED, None, "unknown"),
    Fault("hang-up-after-send", _raw(faults.hang_up), State.UNCONFIRMED, None, "unknown"),
    Fault("429-seconds", _answering(429, **{"Retry-After": "90"}), State.QUEUED, 429, "retry"),
    Fault("429-date", _rate_limited_for_an_hour, State.QUEUED, 429, "retry"),
    Fault("500", _answering(500), State.UNCONFIRMED, 500, "unknown"),
    Fault("502", _answering(502), State.UNCONFIRMED, 502, "unknown"),
    Fault("503", _answering(503), State.QUEUED, 503, "retry"),
    Fault("504", _answering(504), State.UNCONFIRMED, 504, "unknown"),
    Fault("302", _answering(302, Location="https://example.com/"), State.FAILED, 302, "rejected"),
    Fault("200-not-json", _answering(200, "<p>OK</p>"), State.SENT, 200, "accepted"),
    Fault("401", _answering(401, {"message": "Bad key."}), State.QUEUED, 401, "rejected"),
    Fault("403", _answering(403, {"message": "Forbidden."}), State.QUEUED, 403, "rejected"),
    Fault(
        "400-field-errors",
        _answering(400, {"errors": {"data[0].email": ["Invalid."]}}),
        State.FAILED,
        400,
        "rejected",
    ),
]


@pytest.mark.parametrize("fault", FAULTS, ids=[fault.name for fault in FAULTS])
def test_each_fault_ends_in_its_designed_state_with_one_history_row(
    api: HTTPServer, settings, fault: Fault
):
    settings.INTERVIEWFLOW_TIMEOUT = 0.5
    candidate = CandidateFactory()
    queue(candidate)
    with contextlib.ExitStack() as stack:
        settings.INTERVIEWFLOW_API_URL = fault.arrange(api, stack)
        push()

    candidate = fresh(candidate)
    request = IngestionRequest.objects.get()
    assert candidate.state == fault.state, candidate.last_error
    assert (request.http_status, request.outcome) == (fault.http_status, fault.outcome)
    assert list(request.candidates.all()) == [candidate]
    assert (candidate.last_error == "") == (fault.state == State.SENT)
    assert_key_stored_nowhere()


# --- concurrency ----------------------------------------------------------------------------------


@contextlib.contextmanager
def on_an_sqlite_file(directory: Path) -> Iterator[None]:
    """Move the test database, as it stands, to an SQLite file for the block.

    The in-memory test database reaches other threads through SQLite's shared cache, whose
    table locks fail at once ("database table is locked") where the app's file database
    waits for the lock (timeout, BEGIN IMMEDIATE). Threads that race need the file.
    """
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield  # PostgreSQL, or a file already: threads work as they are
        return
    connection.ensure_connection()
    memory, name = connection.connection, connection.settings_dict["NAME"]
    with contextlib.closing(sqlite3.connect(directory / "race.sqlite3")) as file:
        memory.backup(file)
    # The settings dict is shared with every thread's connection: all of them open the file.
    connection.settings_dict["NAME"] = str(directory / "race.sqlite3")
    connection.connection = None
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = name
        connection.connection = memory  # closing it would destroy the in-memory database


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
def test_without_a_broker_a_large_push_goes_on_in_the_background(api, settings, tmp_path: Path):
    settings.INTERVIEWFLOW_INLINE_PUSH_LIMIT = 2
    upstream = Upstream(delay=0.5)
    api.expect_request(INGEST_PATH, method="POST").respond_with_handler(upstream)
    candidates = CandidateFactory.create_batch(3, interviewer=InterviewerFactory())

    # The push thread and this one use the database at once, as a web process does.
    with on_an_sqlite_file(tmp_path):
        result = candidates_push_request(candidate_ids=[c.pk for c in candidates], trigger="admin")

        # The request answered before the upstream did; the batch follows the push.
        assert upstream.bodies == []
        assert result.batch is not None and result.batch.candidates.count() == 3
        deadline = time.monotonic() + 20
        while Candidate.objects.exclude(state=State.SENT).exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert set(Candidate.objects.values_list("state", flat=True)) == {State.SENT}
        assert len(upstream.bodies) == 1


def test_the_sweep_forgets_pushes_older_than_thirty_days_but_keeps_their_history():
    candidate = CandidateFactory()
    old, recent = (push_batch_create(candidate_ids=[candidate.pk]) for _ in range(2))
    PushBatch.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    IngestionRequestFactory(interviewer=candidate.interviewer, candidates=[candidate])

    delivery_sweep()

    assert list(PushBatch.objects.values_list("pk", flat=True)) == [recent.pk]
    assert Candidate.objects.filter(pk=candidate.pk).exists()
    assert IngestionRequest.objects.count() == 1


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
