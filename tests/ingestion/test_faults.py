"""The fault matrix: every network fault and answer ends in its designed state, with exactly
one history row, and the API key stored nowhere."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from email.utils import format_datetime

import pytest
from django.utils import timezone
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from ingestion.client import INGEST_PATH
from ingestion.models import IngestionRequest
from recruiting.models import Candidate
from tests import faults
from tests.delivery import assert_key_stored_nowhere, fresh, push, queue
from tests.factories import CandidateFactory
from tests.upstream import answer

pytestmark = pytest.mark.django_db
State = Candidate.State


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
