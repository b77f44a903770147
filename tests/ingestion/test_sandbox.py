"""The built-in sandbox through Django's test client: its answers and its validation."""

import copy
import json
import logging
import time
from pathlib import Path
from typing import Any

import pytest

from ingestion import payloads
from ingestion.sandbox import failures
from recruiting.management.commands.setup_demo import DEMO_INTERVIEWER_ID as DEMO_ID
from tests.documented import DOCUMENTED_EXAMPLE, INTERVIEWER_ID
from tests.factories import CandidateFactory, InterviewerFactory

# The sandbox keeps what it accepts, for its Fetch API.
pytestmark = pytest.mark.django_db
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


# --- Test addresses: failures on purpose ------------------------------------------------------


def with_emails(*emails: str) -> dict[str, Any]:
    return a_body(data=[{"name": f"Candidate {n}", "email": e} for n, e in enumerate(emails)])


ANSWERS = {
    "fail400": (
        400,
        {
            "message": "Validation failed.",
            "errors": {"data.0.email": ["The sandbox refuses every address tagged +fail400."]},
        },
        {},
    ),
    "fail401": (401, {"message": "Invalid API key."}, {}),
    "fail429": (429, {"message": "Too many requests."}, {"Retry-After": "60"}),
    "fail502": (502, {"message": "Bad gateway."}, {}),
    "fail503": (503, {"message": "Service unavailable."}, {}),
}


@pytest.mark.parametrize(("tag", "answer"), ANSWERS.items(), ids=ANSWERS)
def test_a_test_address_makes_the_sandbox_answer_its_failure(client, key, tag, answer):
    status, body, headers = answer
    response = post(client, with_emails(f"ana+{tag}@example.com"), key=key)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json() == body
    for name, value in headers.items():
        assert response[name] == value
    if not headers:
        assert not response.has_header("Retry-After")


def test_every_test_address_is_answered_by_these_tests():
    assert set(ANSWERS) | {"timeout"} == set(failures.BY_TAG)


@pytest.mark.parametrize(
    "email", ["Ana+FAIL503@example.com", "ANA+Fail503@EXAMPLE.COM", " ana+x+fail503@example.com "]
)
def test_the_tag_is_matched_whatever_its_case(client, key, email):
    assert post(client, with_emails(email), key=key).status_code == 503


@pytest.mark.parametrize(
    "email",
    [
        "fail503@example.com",  # no "+" tag
        "ana.fail503@example.com",
        "ana+fail5031@example.com",
        "ana+fail503x@example.com",
        "ana+fail503+more@example.com",  # the tag must end the local part
        "ana@fail503.example.com",
        "ana@example.com+fail503",
    ],
)
def test_only_a_plus_tag_ending_the_local_part_counts(client, key, email):
    body = with_emails("ana@example.com")
    body["data"][0]["email"] = email
    response = post(client, body, key=key)
    # Either accepted or refused as an invalid address: never the tag's 503.
    assert response.status_code in (201, 400)
    assert response.status_code != 503


def test_a_test_address_anywhere_in_the_request_fails_all_of_it(client, key):
    emails = ["jo@example.com", "max@example.com", "ana+fail502@example.com"]
    response = post(client, with_emails(*emails), key=key)
    assert response.status_code == 502


def test_a_refused_address_is_named_by_its_place_in_the_request(client, key):
    emails = ["jo@example.com", "ana+fail400@example.com", "bo+FAIL400@example.com"]
    response = post(client, with_emails(*emails), key=key)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"data.1.email", "data.2.email"}


def test_the_first_test_address_of_a_request_decides_its_answer(client, key):
    emails = ["jo@example.com", "ana+fail429@example.com", "bo+fail400@example.com"]
    response = post(client, with_emails(*emails), key=key)
    assert response.status_code == 429
    assert response["Retry-After"] == "60"


def test_a_wrong_key_is_refused_before_any_test_address(client, key):
    assert post(client, with_emails("ana+fail503@example.com"), key="wrong").status_code == 401


def test_an_invalid_body_is_refused_before_any_test_address(client, key):
    body = with_emails("ana+fail503@example.com")
    body["status"] = "hired"
    assert post(client, body, key=key).status_code == 400


def test_timeout_keeps_the_answer_back_then_creates_the_candidates(client, key, settings):
    settings.INTERVIEWFLOW_SANDBOX_TIMEOUT_SECONDS = 0.3
    started = time.monotonic()
    response = post(client, with_emails("ana+timeout@example.com"), key=key)
    assert time.monotonic() - started >= 0.3
    assert response.status_code == 201
    assert [c["email"] for c in response.json()["data"]] == ["ana+timeout@example.com"]


def test_timeout_waits_past_the_clients_timeout_unless_set(settings):
    settings.INTERVIEWFLOW_TIMEOUT = 2.5
    settings.INTERVIEWFLOW_SANDBOX_TIMEOUT_SECONDS = None
    assert failures.timeout_seconds() == 3.5
    settings.INTERVIEWFLOW_SANDBOX_TIMEOUT_SECONDS = 0.2
    assert failures.timeout_seconds() == 0.2


def test_the_readme_lists_every_test_address():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for address in failures.TEST_ADDRESSES:
        assert f"| `{address.example}` |" in readme


# --- Known Interviewers -----------------------------------------------------------------------


def for_interviewer(interviewer_id: str) -> dict[str, Any]:
    return a_body(interviewerId=interviewer_id)


@pytest.mark.parametrize(
    "known", [[DEMO_ID], [INTERVIEWER_ID, DEMO_ID], f" {DEMO_ID.upper()} ,{INTERVIEWER_ID}"]
)
def test_an_interviewer_id_the_sandbox_knows_is_accepted(client, key, settings, known):
    settings.INTERVIEWFLOW_SANDBOX_INTERVIEWER_IDS = known
    assert post(client, for_interviewer(DEMO_ID), key=key).status_code == 201
    assert post(client, for_interviewer(DEMO_ID.upper()), key=key).status_code == 201


def test_an_unknown_interviewer_id_is_not_found(client, key, settings):
    settings.INTERVIEWFLOW_SANDBOX_INTERVIEWER_IDS = [DEMO_ID]
    response = post(client, for_interviewer(INTERVIEWER_ID), key=key)
    assert response.status_code == 404
    assert response.json() == {"message": "Interviewer not found."}


@pytest.mark.parametrize("known", [[], "", ["*"], "*", [DEMO_ID, "*"]])
def test_an_empty_list_or_a_star_accepts_any_interviewer_id(client, key, settings, known):
    settings.INTERVIEWFLOW_SANDBOX_INTERVIEWER_IDS = known
    assert post(client, for_interviewer(INTERVIEWER_ID), key=key).status_code == 201


def test_a_test_address_decides_before_the_interviewer_is_looked_up(client, key, settings):
    settings.INTERVIEWFLOW_SANDBOX_INTERVIEWER_IDS = [DEMO_ID]
    body = with_emails("ana+fail503@example.com") | {"interviewerId": INTERVIEWER_ID}
    assert post(client, body, key=key).status_code == 503


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (with_emails("ana+fail502@example.com"), 502),
        (with_emails("ana+fail400@example.com"), 400),
        (a_body(interviewerId="00000000-0000-4000-8000-000000000000"), 404),
    ],
    ids=["test address 5xx", "test address 4xx", "unknown interviewer"],
)
def test_a_failure_on_purpose_is_logged_as_such_not_as_an_error(
    client, key, settings, caplog, body, status
):
    settings.INTERVIEWFLOW_SANDBOX_INTERVIEWER_IDS = [DEMO_ID]
    with caplog.at_level(logging.INFO):
        assert post(client, body, key=key).status_code == status
    assert [r for r in caplog.records if r.name == "django.request"] == []
    (said,) = [r for r in caplog.records if r.name == "ingestion.sandbox.views"]
    assert said.levelno == logging.INFO
    assert said.getMessage().startswith(f"The sandbox answered HTTP {status} for the ")
