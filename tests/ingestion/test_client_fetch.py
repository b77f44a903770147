"""The client's Fetch API call and its webhook delivery, against a real local server."""

import json

from ingestion.client import FETCH_PATH, IngestionClient, Outcome
from ingestion.payloads import fetch_body, fetched_items
from tests.conftest import API_KEY


def test_a_fetch_posts_the_documented_body_with_the_key(api, client_for):
    api.expect_request(FETCH_PATH, method="POST").respond_with_json({"data": []})
    body = fetch_body(interviewer_id="i-1", page=2, limit=50)
    exchange = client_for().fetch(body)
    request, _ = api.log[0]
    assert request.headers["X-API-KEY"] == API_KEY
    assert json.loads(request.data) == {"interviewerId": "i-1", "page": 2, "limit": 50}
    assert (exchange.outcome, exchange.url) == (Outcome.ACCEPTED, api.url_for(FETCH_PATH))


def test_a_fetch_answer_echoing_the_key_is_redacted(api, client_for):
    api.expect_request(FETCH_PATH, method="POST").respond_with_json(
        {"message": f"bad key {API_KEY}"}, status=401
    )
    exchange = client_for().fetch(fetch_body(interviewer_id="i", page=1, limit=1))
    assert exchange.key_rejected
    assert API_KEY not in exchange.text


def test_an_event_is_delivered_without_the_key(api):
    api.expect_request("/hook/", method="POST").respond_with_json({"received": True})
    client = IngestionClient(base_url=api.url_for("/"), api_key=API_KEY, timeout=2)
    exchange = client.deliver_event(api.url_for("/hook/"), {"event": "interview.started"})
    request, _ = api.log[0]
    assert "X-API-KEY" not in request.headers
    assert exchange.status_code == 200


def test_the_candidates_of_a_page_are_found_in_every_documented_shape():
    rows = [{"email": "a@x.io"}]
    for answer in (
        {"data": rows},
        {"data": {"candidates": rows}},
        {"data": {"items": rows}},
        {"items": rows},
        {"candidates": rows},
    ):
        assert fetched_items(answer) == rows
    assert fetched_items({"data": {"total": 3}}) is None
    assert fetched_items(None) is None
