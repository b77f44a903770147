"""The words staff read about what the Ingestion API answered, from exchanges built by hand."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ingestion.client import Exchange, Outcome, classify_status
from ingestion.messages import exchange_error, request_problem, upstream_detail
from tests.factories import IngestionRequestFactory

URL = "http://127.0.0.1/api/external/ingest/candidates"
MAY_EXIST = (
    "The candidates may have been created: check in InterviewFlowAI before resending, or "
    "they may get a second invitation."
)
ADA = {"name": "Ada Lovelace", "email": "ada@example.com"}
ALAN = {"name": "Alan Turing", "email": "alan@example.com"}
BODY = {"interviewerId": "3f8e2b1c-6d4a-4e9f-8b7c-2a1d5e6f7a8b", "data": [ADA, ALAN]}


def answered(status: int, data: Any = None, *, text: str | None = None) -> Exchange:
    """An HTTP answer as the client describes it: its outcome, its JSON and its text."""
    return Exchange(
        outcome=classify_status(status),
        url=URL,
        status_code=status,
        data=data,
        text=json.dumps(data) if text is None else text,
    )


def unanswered(outcome: Outcome, error_class: str, error_message: str) -> Exchange:
    """A request that got no HTTP answer at all."""
    return Exchange(outcome=outcome, url=URL, error_class=error_class, error_message=error_message)


# --- No HTTP answer -----------------------------------------------------------------------------


def test_a_connection_that_never_opened_says_nothing_was_sent():
    exchange = unanswered(Outcome.RETRY, "ConnectionError", "Connection refused")

    assert exchange_error(exchange) == (
        "InterviewFlowAI could not be reached (ConnectionError: Connection refused). "
        "Nothing was sent."
    )


@pytest.mark.parametrize(
    ("error_class", "error_message"),
    [
        ("InvalidHeader", "Invalid leading whitespace in header value: '[redacted]\\n'"),
        ("InvalidURL", "Failed to parse: http://exa mple.com:99999/"),
        ("InvalidSchema", "No connection adapters were found for 'ftp://x/'"),
        ("MissingSchema", "Invalid URL 'example.com': No scheme supplied."),
    ],
)
def test_a_request_that_could_not_be_made_points_at_the_url_and_the_key(
    error_class: str, error_message: str
):
    exchange = unanswered(Outcome.RETRY, error_class, error_message)

    assert exchange_error(exchange) == (
        f"The request could not be made ({error_class}: {error_message}). Check "
        "INTERVIEWFLOW_API_URL and INTERVIEWFLOW_API_KEY. Nothing was sent."
    )


def test_no_answer_after_sending_warns_that_the_candidates_may_exist():
    exchange = unanswered(Outcome.UNKNOWN, "ReadTimeout", "Read timed out. (read timeout=2)")

    assert exchange_error(exchange) == (
        "No answer from InterviewFlowAI after sending (ReadTimeout: Read timed out. "
        f"(read timeout=2)). {MAY_EXIST}"
    )


# --- An HTTP answer -----------------------------------------------------------------------------


@pytest.mark.parametrize("status", [401, 403])
def test_a_rejected_key_says_delivery_is_paused_and_how_to_resume_it(status: int):
    exchange = answered(status, {"message": "Invalid API key."})

    assert exchange_error(exchange, body=BODY) == (
        f"InterviewFlowAI rejected the API key (HTTP {status}). Delivery is paused: fix "
        "INTERVIEWFLOW_API_KEY, then press Resume delivery in the admin."
    )


def test_an_unknown_interviewer_points_at_its_interviewer_id():
    exchange = answered(404, {"message": "Interviewer not found."})

    assert exchange_error(exchange, body=BODY) == (
        "InterviewFlowAI does not know this Interviewer (HTTP 404): check its interviewer id. "
        "It said: Interviewer not found."
    )


def test_rate_limiting_is_named_with_what_the_api_said():
    exchange = answered(429, {"error": "Too many requests."})

    assert exchange_error(exchange) == (
        "InterviewFlowAI is limiting the request rate (HTTP 429). It said: Too many requests."
    )


@pytest.mark.parametrize(
    ("status", "text", "said"),
    [
        (302, "", ""),
        (301, "<html>Moved Permanently</html>", " It said: <html>Moved Permanently</html>"),
    ],
    ids=["302-empty", "301-with-a-page"],
)
def test_a_redirect_points_at_the_api_url(status: int, text: str, said: str):
    exchange = answered(status, text=text)

    assert exchange_error(exchange) == (
        f"The API answered with a redirect (HTTP {status}); check INTERVIEWFLOW_API_URL.{said}"
    )


@pytest.mark.parametrize("status", [503, 408])
def test_a_passing_unavailability_says_so_with_the_answer_quoted(status: int):
    exchange = answered(status, text="Down for maintenance")

    assert exchange_error(exchange) == (
        f"InterviewFlowAI is unavailable for now (HTTP {status}). It said: Down for maintenance"
    )


@pytest.mark.parametrize("status", [500, 502, 504])
def test_a_server_error_warns_that_the_candidates_may_exist(status: int):
    exchange = answered(status, text="<html>Bad gateway</html>")

    assert exchange_error(exchange) == (
        f"InterviewFlowAI answered with a server error (HTTP {status}). {MAY_EXIST} "
        "It said: <html>Bad gateway</html>"
    )


def test_a_server_error_with_an_empty_answer_quotes_nothing():
    assert exchange_error(answered(500, text="")) == (
        f"InterviewFlowAI answered with a server error (HTTP 500). {MAY_EXIST}"
    )


@pytest.mark.parametrize("field", ["data.1.email", "data[1].email"])
def test_a_field_error_names_the_candidate_sent_at_that_place(field: str):
    exchange = answered(422, {"message": "Validation failed.", "errors": {field: ["Invalid."]}})

    assert exchange_error(exchange, body=BODY) == (
        "InterviewFlowAI refused the candidates (HTTP 422). It said: Validation failed. "
        "Alan Turing <alan@example.com>, email: Invalid."
    )


def test_a_field_error_on_a_whole_item_names_just_the_candidate():
    exchange = answered(400, {"errors": {"data[0]": ["Must be an object."]}})

    assert exchange_error(exchange, body=BODY) == (
        "InterviewFlowAI refused the candidates (HTTP 400). It said: "
        "Ada Lovelace <ada@example.com>: Must be an object."
    )


@pytest.mark.parametrize(
    "body",
    [None, {"data": [ADA]}, {"data": [ADA, "alan@example.com"]}],
    ids=["no body", "no item at that place", "an item that is not an object"],
)
def test_a_field_error_keeps_its_field_when_no_candidate_stands_at_that_place(body):
    exchange = answered(400, {"errors": {"data.1.email": ["Invalid."]}})

    assert exchange_error(exchange, body=body) == (
        "InterviewFlowAI refused the candidates (HTTP 400). It said: data.1.email: Invalid."
    )


def test_an_answer_with_nothing_readable_in_its_json_is_quoted_as_it_came():
    exchange = answered(400, {"code": 17})

    assert exchange_error(exchange) == (
        'InterviewFlowAI refused the candidates (HTTP 400). It said: {"code": 17}'
    )


def test_a_refusal_with_an_empty_answer_says_only_the_status():
    assert exchange_error(answered(400, text="")) == (
        "InterviewFlowAI refused the candidates (HTTP 400)."
    )


# --- upstream_detail: what the answer said, whatever its shape ---------------------------------

SHAPES = {
    "message": ({"message": "Validation failed."}, "Validation failed."),
    "error": ({"error": "Bad request."}, "Bad request."),
    "detail": ({"detail": "Not found."}, "Not found."),
    "all three, in that order": (
        {"detail": "C.", "error": "B.", "message": "A."},
        "A. B. C.",
    ),
    "a message that is not text is left out": ({"message": {"text": "Hidden."}}, ""),
    "errors as a dict of lists": (
        {"errors": {"email": ["Invalid.", "Too long."], "name": ["Required."]}},
        "email: Invalid., Too long.; name: Required.",
    ),
    "errors as a dict of texts": ({"errors": {"email": "Invalid."}}, "email: Invalid."),
    "errors as a list": ({"errors": ["Bad email.", "Bad name."]}, "Bad email.; Bad name."),
    "a message and errors": (
        {"message": "Validation failed.", "errors": {"status": ["Unknown."]}},
        "Validation failed. status: Unknown.",
    ),
    "white space folded": ({"message": "Line one.\n\n   Line two."}, "Line one. Line two."),
    "a dict that says nothing": ({"code": 17}, ""),
    "a list": (["Validation failed."], ""),
    "a text": ("Validation failed.", ""),
    "nothing": (None, ""),
}


@pytest.mark.parametrize(("data", "said"), SHAPES.values(), ids=SHAPES)
def test_upstream_detail_reads_the_shapes_it_tolerates(data: Any, said: str):
    assert upstream_detail(data) == said


def test_upstream_detail_names_candidates_from_the_items_given():
    data = {"errors": {"data.0.email": ["Invalid."], "data[1].name": ["Required."]}}

    assert upstream_detail(data, items=BODY["data"]) == (
        "Ada Lovelace <ada@example.com>, email: Invalid.; "
        "Alan Turing <alan@example.com>, name: Required."
    )


def test_a_detail_of_500_characters_is_kept_whole():
    assert upstream_detail({"message": "x" * 500}) == "x" * 500


def test_a_longer_detail_is_cut_to_500_characters_ending_in_an_ellipsis():
    said = upstream_detail({"message": "x" * 501})

    assert said == "x" * 499 + "…"
    assert len(said) == 500


def test_a_long_answer_that_is_not_json_is_quoted_cut_to_500_characters():
    message = exchange_error(answered(502, text="<p>" + "y" * 2000))

    assert message.endswith(" It said: <p>" + "y" * 496 + "…")


# --- request_problem: the same words, rebuilt from a history row -------------------------------


def history_row(**fields: Any):
    """A history row as the dashboard and the timeline read it back from the database."""
    row = IngestionRequestFactory(**fields)
    row.refresh_from_db()
    return row


@pytest.mark.django_db
def test_an_accepted_request_had_no_problem():
    assert request_problem(history_row(response_body='{"data": []}')) == ""


@pytest.mark.django_db
def test_a_refused_request_is_explained_as_it_was_when_it_failed():
    answer = {"message": "Validation failed.", "errors": {"data.1.email": ["Invalid."]}}
    row = history_row(
        request_body=BODY,
        http_status=422,
        outcome=Outcome.REJECTED,
        response_body=json.dumps(answer),
    )

    problem = request_problem(row)

    assert problem == (
        "InterviewFlowAI refused the candidates (HTTP 422). It said: Validation failed. "
        "Alan Turing <alan@example.com>, email: Invalid."
    )
    assert problem == exchange_error(answered(422, answer), body=BODY)


@pytest.mark.django_db
def test_a_request_that_got_no_answer_is_explained_from_its_error():
    row = history_row(
        http_status=None,
        outcome=Outcome.UNKNOWN,
        error_class="ReadTimeout",
        error_message="Read timed out.",
    )

    assert request_problem(row) == (
        f"No answer from InterviewFlowAI after sending (ReadTimeout: Read timed out.). {MAY_EXIST}"
    )


@pytest.mark.django_db
def test_a_response_kept_cut_short_is_quoted_as_text():
    row = history_row(
        http_status=503,
        outcome=Outcome.RETRY,
        response_body='{"message": "Down for mainten',
        response_truncated=True,
    )

    assert request_problem(row) == (
        'InterviewFlowAI is unavailable for now (HTTP 503). It said: {"message": "Down for mainten'
    )
