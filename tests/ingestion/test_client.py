"""The client against real sockets: every answer and every fault ends in its designed outcome."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from email.utils import format_datetime

import pytest
import requests
from django.utils import timezone
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from ingestion.client import INGEST_PATH, Exchange, IngestionClient, Outcome, default_client
from tests import faults
from tests.conftest import API_KEY

BODY = {
    "interviewerId": "0f8fad5b-d9cb-469f-a165-70867728950e",
    "status": "draft",
    "skills": ["python"],
    "data": [{"name": "Ada Lovelace", "email": "ada@example.com", "skills": ["python"]}],
}


def ingest(client: IngestionClient, body: dict | str | None = None) -> Exchange:
    """Send one batch, checking on every path that the key stays out of what comes back."""
    exchange = client.ingest(BODY if body is None else body)
    assert API_KEY not in repr(exchange)
    assert API_KEY not in repr(client)
    return exchange


def client_at(url: str, *, timeout: float = 2, api_key: str = API_KEY) -> IngestionClient:
    return IngestionClient(base_url=url, api_key=api_key, timeout=timeout)


# --- answers ------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [200, 201])
def test_a_success_is_accepted_with_its_parsed_body(api: HTTPServer, client_for, status: int):
    answer = {"data": [{"id": "c-1", "email": "ada@example.com"}]}
    api.expect_request(INGEST_PATH, method="POST", json=BODY).respond_with_json(
        answer, status=status
    )

    exchange = ingest(client_for())

    assert exchange.outcome == Outcome.ACCEPTED
    assert exchange.status_code == status
    assert exchange.data == answer
    assert json.loads(exchange.text) == answer
    assert exchange.url == api.url_for(INGEST_PATH)
    assert not exchange.key_rejected


def test_a_success_with_a_body_that_is_not_json_is_accepted_and_its_text_kept(
    api: HTTPServer, client_for
):
    api.expect_request(INGEST_PATH).respond_with_data(
        "<html>Created</html>", status=200, content_type="text/html"
    )

    exchange = ingest(client_for())

    assert exchange.outcome == Outcome.ACCEPTED
    assert exchange.data is None
    assert exchange.text == "<html>Created</html>"


def test_a_success_with_an_empty_body_is_accepted(api: HTTPServer, client_for):
    api.expect_request(INGEST_PATH).respond_with_data("", status=201)

    exchange = ingest(client_for())

    assert (exchange.outcome, exchange.data, exchange.text) == (Outcome.ACCEPTED, None, "")


@pytest.mark.parametrize("status", [400, 404, 422])
def test_a_refusal_of_the_candidates_is_rejected(api: HTTPServer, client_for, status: int):
    errors = {"message": "Validation failed.", "errors": {"data[0].email": ["Invalid."]}}
    api.expect_request(INGEST_PATH).respond_with_json(errors, status=status)

    exchange = ingest(client_for())

    assert exchange.outcome == Outcome.REJECTED
    assert exchange.status_code == status
    assert exchange.data == errors
    assert not exchange.key_rejected


@pytest.mark.parametrize("status", [401, 403])
def test_a_refused_key_is_rejected_and_says_so(api: HTTPServer, client_for, status: int):
    api.expect_request(INGEST_PATH).respond_with_json({"message": "Bad key."}, status=status)

    exchange = ingest(client_for())

    assert exchange.outcome == Outcome.REJECTED
    assert exchange.key_rejected


def test_rate_limiting_is_retried_after_the_seconds_it_asks_for(api: HTTPServer, client_for):
    api.expect_request(INGEST_PATH).respond_with_json(
        {"message": "Slow down."}, status=429, headers={"Retry-After": "120"}
    )

    exchange = ingest(client_for())

    assert exchange.outcome == Outcome.RETRY
    assert exchange.retry_after == 120


def test_rate_limiting_is_retried_after_the_http_date_it_asks_for(api: HTTPServer, client_for):
    later = timezone.now() + timedelta(seconds=300)
    api.expect_request(INGEST_PATH).respond_with_data(
        "", status=429, headers={"Retry-After": format_datetime(later, usegmt=True)}
    )

    exchange = ingest(client_for())

    assert exchange.outcome == Outcome.RETRY
    assert 290 <= exchange.retry_after <= 300


@pytest.mark.parametrize("status", [408, 503])
def test_an_answer_that_created_nothing_yet_is_retried(api: HTTPServer, client_for, status: int):
    api.expect_request(INGEST_PATH).respond_with_data("busy", status=status)

    exchange = ingest(client_for())

    assert exchange.outcome == Outcome.RETRY
    assert exchange.retry_after is None


@pytest.mark.parametrize("status", [500, 502, 504])
def test_a_server_error_leaves_the_outcome_unknown(api: HTTPServer, client_for, status: int):
    api.expect_request(INGEST_PATH).respond_with_data("Bad gateway", status=status)

    exchange = ingest(client_for())

    assert exchange.outcome == Outcome.UNKNOWN
    assert exchange.status_code == status
    assert exchange.text == "Bad gateway"


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_is_rejected_and_not_followed(api: HTTPServer, client_for, status: int):
    api.expect_request(INGEST_PATH).respond_with_data(
        "", status=status, headers={"Location": api.url_for("/elsewhere")}
    )
    api.expect_request("/elsewhere").respond_with_json({"data": []}, status=201)

    exchange = ingest(client_for())

    assert exchange.outcome == Outcome.REJECTED
    assert exchange.status_code == status
    assert [request.path for request, _ in api.log] == [INGEST_PATH]


def test_a_503_is_not_retried_inside_the_client(api: HTTPServer, client_for):
    api.expect_request(INGEST_PATH).respond_with_data("busy", status=503)

    ingest(client_for())

    assert len(api.log) == 1


# --- faults before anything was sent: retry -------------------------------------------------


def test_a_refused_connection_is_retried():
    exchange = ingest(client_at(faults.closed_port_url()))

    assert exchange.outcome == Outcome.RETRY
    assert exchange.status_code is None
    assert exchange.error_class == "ConnectionError"
    assert "refused" in exchange.error_message.lower()


def test_a_host_that_does_not_resolve_is_retried():
    exchange = ingest(client_at("http://interviewflow-api.invalid"))

    assert exchange.outcome == Outcome.RETRY
    assert exchange.status_code is None
    assert "resolve" in exchange.error_message.lower()


def test_a_connect_timeout_is_retried():
    with faults.full_backlog() as url:
        exchange = ingest(client_at(url, timeout=0.3))

    assert exchange.outcome == Outcome.RETRY
    assert exchange.error_class == "ConnectTimeout"
    assert exchange.duration_ms >= 250


@pytest.mark.parametrize("api_key", [f"{API_KEY}\n", f" {API_KEY}", f"{API_KEY}\r\nX-Injected: 1"])
def test_a_key_that_cannot_be_sent_as_a_header_is_not_leaked(api: HTTPServer, api_key: str):
    exchange = ingest(client_at(api.url_for("/"), api_key=api_key))

    assert exchange.outcome == Outcome.RETRY  # nothing left this machine
    assert exchange.error_class == "InvalidHeader"
    assert "[redacted]" in exchange.error_message
    assert api.log == []


# --- faults after the request was sent: unknown ----------------------------------------------


def test_a_read_timeout_leaves_the_outcome_unknown(api: HTTPServer, client_for):
    release = threading.Event()

    def slow(request: Request) -> Response:
        release.wait(5)
        return Response(json.dumps({"data": []}), status=201, content_type="application/json")

    api.expect_request(INGEST_PATH).respond_with_handler(slow)
    try:
        exchange = ingest(client_for(timeout=0.3))
    finally:
        release.set()

    assert exchange.outcome == Outcome.UNKNOWN
    assert exchange.status_code is None
    assert exchange.error_class == "ReadTimeout"


@pytest.mark.parametrize("hang_up", [faults.hang_up, faults.reset], ids=["closed", "reset"])
def test_a_connection_dropped_after_sending_leaves_the_outcome_unknown_and_is_not_resent(
    hang_up: faults.Reply,
):
    with faults.RawServer(hang_up) as server:
        exchange = ingest(client_at(server.url))

    assert exchange.outcome == Outcome.UNKNOWN
    assert exchange.status_code is None
    assert exchange.error_class == "ConnectionError"
    assert [json.loads(body) for body in server.bodies()] == [BODY]


# --- how requests are made -----------------------------------------------------------------


def test_the_key_and_json_content_type_are_sent_with_the_exact_body(api: HTTPServer, client_for):
    api.expect_request(INGEST_PATH, method="POST").respond_with_json({}, status=201)

    ingest(client_for())

    (request, _), *_ = api.log
    assert request.headers["X-API-KEY"] == API_KEY
    assert request.headers["Content-Type"] == "application/json"
    assert request.get_json() == BODY


def test_a_body_already_serialised_is_posted_as_it_is_and_kept_as_sent(api: HTTPServer, client_for):
    api.expect_request(INGEST_PATH, method="POST").respond_with_json({}, status=201)
    text = json.dumps(BODY, indent=1)

    exchange = ingest(client_for(), text)

    (request, _), *_ = api.log
    assert request.get_data(as_text=True) == text
    assert exchange.sent == text


def test_the_key_never_shows_in_the_client_or_an_exchange(api: HTTPServer, client_for):
    api.expect_request(INGEST_PATH).respond_with_json({"message": "Bad key."}, status=401)
    client = client_for()

    exchange = ingest(client)

    assert API_KEY not in repr(client)
    assert API_KEY not in str(client)
    assert all(API_KEY not in str(value) for value in vars(exchange).values())


def test_one_session_and_one_connection_serve_every_call():
    with faults.RawServer(faults.created) as server:
        client = client_at(server.url)
        session = client.session

        exchanges = [ingest(client) for _ in range(3)]

    assert isinstance(session, requests.Session)
    assert client.session is session
    assert [exchange.outcome for exchange in exchanges] == [Outcome.ACCEPTED] * 3
    assert (len(server.requests), server.connections) == (3, 1)


def test_the_default_client_is_configured_from_settings(api: HTTPServer, settings):
    settings.INTERVIEWFLOW_TIMEOUT = 7
    api.expect_request(INGEST_PATH, headers={"X-API-KEY": API_KEY}).respond_with_json(
        {}, status=201
    )

    client = default_client()

    assert client.timeout == 7
    assert ingest(client).outcome == Outcome.ACCEPTED


# --- what an answer may carry ---------------------------------------------------------------------


@pytest.mark.parametrize("status", [201, 400, 401, 500, 503])
def test_a_key_quoted_back_by_the_upstream_is_redacted_from_the_answer(
    api: HTTPServer, client_for, status: int
):
    echoed = {
        "message": f"invalid API key {API_KEY}",
        "errors": {"X-API-KEY": [f"{API_KEY!r} is not a key"]},
        "url": f"https://example.com/?key={API_KEY}",
    }
    api.expect_request(INGEST_PATH, method="POST").respond_with_json(echoed, status=status)

    exchange = ingest(client_for())

    assert exchange.status_code == status
    assert API_KEY not in exchange.text
    assert exchange.data["message"] == "invalid API key [redacted]"
    assert "[redacted]" in exchange.data["errors"]["X-API-KEY"][0]


def test_an_endless_answer_is_read_only_up_to_its_limit(api: HTTPServer, client_for):
    api.expect_request(INGEST_PATH, method="POST").respond_with_data(
        "x" * (3 * 1024 * 1024), status=502, content_type="text/plain"
    )

    exchange = ingest(client_for())

    assert exchange.outcome == Outcome.UNKNOWN
    assert len(exchange.text) == 1024 * 1024
    assert exchange.data is None
