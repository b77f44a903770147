"""The built-in sandbox through Django's test client: its answers and its validation."""

import copy
import json
from typing import Any

import pytest

from ingestion import payloads
from tests.documented import DOCUMENTED_EXAMPLE, INTERVIEWER_ID
from tests.factories import CandidateFactory, InterviewerFactory

URL = "/sandbox/api/external/ingest/candidates"


@pytest.fixture
def key(settings) -> str:
    settings.INTERVIEWFLOW_SANDBOX_ENABLED = True
    settings.INTERVIEWFLOW_SANDBOX_API_KEY = "sandbox-test-key"
    return "sandbox-test-key"


def post(client, body: Any, *, key: str | None, raw: bool = False):
    headers = {} if key is None else {"X-API-KEY": key}
    data = body if raw else json.dumps(body)
    return client.post(URL, data=data, content_type="application/json", headers=headers)


def a_body(**changes: Any) -> dict[str, Any]:
    # The documentation's example, and a second candidate with an invitation delay.
    body: dict[str, Any] = copy.deepcopy(DOCUMENTED_EXAMPLE)
    body["data"].append(
        {
            "name": "Ada Lovelace",
            "email": "Ada@Example.com",
            "metadata": {"sendEmailAfter": 24},
        }
    )
    body.update(changes)
    return body


def test_a_valid_body_is_accepted_with_an_id_per_candidate(client, key):
    response = post(client, a_body(), key=key)
    assert response.status_code == 201
    assert response["Content-Type"] == "application/json"
    data = response.json()["data"]
    assert [(c["name"], c["email"]) for c in data] == [
        ("John Doe", "john.doe@example.com"),
        ("Ada Lovelace", "ada@example.com"),
    ]
    ids = [c["id"] for c in data]
    assert all(isinstance(i, str) and i for i in ids)
    assert len(set(ids)) == 2


def test_the_minimal_documented_body_is_accepted(client, key):
    body = {"interviewerId": INTERVIEWER_ID, "data": [{"name": "Jo", "email": "jo@example.com"}]}
    response = post(client, body, key=key)
    assert response.status_code == 201
    assert len(response.json()["data"]) == 1


@pytest.mark.django_db
def test_a_body_the_app_builds_is_accepted(client, key):
    owner = InterviewerFactory(visibility="private", skills=["python"])
    batch = [
        CandidateFactory(interviewer=owner, send_email_after=96, metadata={"Phone": "+1-555"}),
        CandidateFactory(interviewer=owner, additional_fields={"Manual Score": 72}),
    ]
    response = post(client, payloads.batch_body(batch), key=key)
    assert response.status_code == 201, response.json()
    assert [c["email"] for c in response.json()["data"]] == [c.email for c in batch]


def test_the_same_candidate_gets_the_same_id_each_time(client, key):
    first = post(client, a_body(), key=key).json()["data"]
    second = post(client, a_body(), key=key).json()["data"]
    assert [c["id"] for c in first] == [c["id"] for c in second]


def item_with(**changes: Any) -> dict[str, Any]:
    return a_body(data=[{"name": "John Doe", "email": "john.doe@example.com", **changes}])


INVALID = {
    "not an object": (["x"], {"body": ["The body must be a JSON object."]}),
    "no interviewerId": (
        {"data": [{"name": "Jo", "email": "jo@example.com"}]},
        {"interviewerId": ["This field is required and must be a string."]},
    ),
    "unknown status": (a_body(status="hired"), {"status": ["Must be shortlisted or draft."]}),
    "skills not a list": (a_body(skills="aws"), {"skills": ["Must be a list of strings."]}),
    "no data": (
        a_body(data=[]),
        {"data": ["This field is required and must be a list of at least one candidate."]},
    ),
    "blank name": (item_with(name=""), {"data[0].name": ["A non-blank name is required."]}),
    "bad email": (
        item_with(email="john.doe@"),
        {"data[0].email": ["A valid email address is required."]},
    ),
    "item skills not strings": (
        item_with(skills=[1]),
        {"data[0].skills": ["Must be a list of strings."]},
    ),
    "additionalFields not an object": (
        item_with(additionalFields="72"),
        {"data[0].additionalFields": ["Must be a JSON object."]},
    ),
    "metadata not an object": (
        item_with(metadata=[]),
        {"data[0].metadata": ["Must be a JSON object."]},
    ),
    "sendEmailAfter too large": (
        item_with(metadata={"sendEmailAfter": 97}),
        {"data[0].metadata.sendEmailAfter": ["Must be a number of hours from 1 to 96."]},
    ),
    "sendEmailAfter too small": (
        item_with(metadata={"sendEmailAfter": 0}),
        {"data[0].metadata.sendEmailAfter": ["Must be a number of hours from 1 to 96."]},
    ),
}


@pytest.mark.parametrize(("body", "errors"), INVALID.values(), ids=INVALID)
def test_an_invalid_body_is_refused_with_field_errors(client, key, body, errors):
    response = post(client, body, key=key)
    assert response.status_code == 400
    assert response.json() == {"message": "Validation failed.", "errors": errors}


@pytest.mark.parametrize(
    "raw",
    [b"", b"{", b"not json", b"\xff\xfe", b'{"data": [}', b"[" * 100_000 + b"]" * 100_000],
    ids=["empty", "unfinished", "text", "not utf-8", "broken", "nested too deep"],
)
def test_a_body_that_is_not_json_is_refused(client, key, raw):
    response = post(client, raw, key=key, raw=True)
    assert response.status_code == 400
    assert response.json() == {
        "message": "The body is not valid JSON.",
        "errors": {"body": ["The body is not valid JSON."]},
    }


@pytest.mark.parametrize("sent", [None, "", "wrong-key", "sandbox-test-key "])
def test_a_missing_or_wrong_key_is_refused(client, key, sent):
    response = post(client, a_body(), key=sent)
    assert response.status_code == 401
    assert response.json() == {"message": "Invalid API key."}


def test_the_key_is_checked_before_the_body(client, key):
    assert post(client, b"{", key="wrong", raw=True).status_code == 401


def test_an_empty_sandbox_key_lets_nobody_in(client, settings):
    settings.INTERVIEWFLOW_SANDBOX_ENABLED = True
    settings.INTERVIEWFLOW_SANDBOX_API_KEY = ""
    assert post(client, a_body(), key=None).status_code == 401
    assert post(client, a_body(), key="").status_code == 401


@pytest.mark.parametrize("method", ["post", "get"])
def test_a_disabled_sandbox_is_not_found(client, key, settings, method):
    settings.INTERVIEWFLOW_SANDBOX_ENABLED = False
    response = getattr(client, method)(URL, headers={"X-API-KEY": key})
    assert response.status_code == 404


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_only_post_is_allowed(client, key, method):
    response = getattr(client, method)(URL, headers={"X-API-KEY": key})
    assert response.status_code == 405
    assert response["Allow"] == "POST"


def test_no_csrf_token_is_needed(key):
    from django.test import Client

    response = post(Client(enforce_csrf_checks=True), a_body(), key=key)
    assert response.status_code == 201
