"""body_errors, the sandbox's validator: each documented rule of a request body, and what
the documentation allows."""

import json
from typing import Any

import pytest

from ingestion import payloads
from tests.documented import DOCUMENTED_EXAMPLE


def valid_body(**changes: Any) -> dict[str, Any]:
    body = json.loads(json.dumps(DOCUMENTED_EXAMPLE))
    body.update(changes)
    return body


def with_item(**changes: Any) -> dict[str, Any]:
    body = valid_body()
    body["data"][0].update(changes)
    return body


def without(key: str) -> dict[str, Any]:
    body = valid_body()
    del body[key]
    return body


def without_in_item(key: str) -> dict[str, Any]:
    body = valid_body()
    del body["data"][0][key]
    return body


INTERVIEWER_REQUIRED = {"interviewerId": ["This field is required and must be a string."]}
DATA_REQUIRED = {"data": ["This field is required and must be a list of at least one candidate."]}
DELAY = {"data[0].metadata.sendEmailAfter": ["Must be a number of hours from 1 to 96."]}

RULES = {
    "not an object": ([DOCUMENTED_EXAMPLE], {"body": ["The body must be a JSON object."]}),
    "interviewerId missing": (without("interviewerId"), INTERVIEWER_REQUIRED),
    "interviewerId blank": (valid_body(interviewerId="  "), INTERVIEWER_REQUIRED),
    "interviewerId not a string": (valid_body(interviewerId=42), INTERVIEWER_REQUIRED),
    "status unknown": (valid_body(status="hired"), {"status": ["Must be shortlisted or draft."]}),
    "status null": (valid_body(status=None), {"status": ["Must be shortlisted or draft."]}),
    "skills not a list": (valid_body(skills="nodejs"), {"skills": ["Must be a list of strings."]}),
    "skills not strings": (
        valid_body(skills=["aws", 3]),
        {"skills": ["Must be a list of strings."]},
    ),
    "data missing": (without("data"), DATA_REQUIRED),
    "data empty": (valid_body(data=[]), DATA_REQUIRED),
    "data not a list": (valid_body(data={"name": "John Doe"}), DATA_REQUIRED),
    "item not an object": (
        valid_body(data=["john.doe@example.com"]),
        {"data[0]": ["Each candidate must be a JSON object."]},
    ),
    "name missing": (
        without_in_item("name"),
        {"data[0].name": ["A non-blank name is required."]},
    ),
    "name blank": (with_item(name=" "), {"data[0].name": ["A non-blank name is required."]}),
    "email missing": (
        without_in_item("email"),
        {"data[0].email": ["A valid email address is required."]},
    ),
    "email invalid": (
        with_item(email="john.doe"),
        {"data[0].email": ["A valid email address is required."]},
    ),
    "item skills not strings": (
        with_item(skills=[None]),
        {"data[0].skills": ["Must be a list of strings."]},
    ),
    "additionalFields not an object": (
        with_item(additionalFields=[72]),
        {"data[0].additionalFields": ["Must be a JSON object."]},
    ),
    "metadata not an object": (
        with_item(metadata="candidate_12345"),
        {"data[0].metadata": ["Must be a JSON object."]},
    ),
    "sendEmailAfter 0": (with_item(metadata={"sendEmailAfter": 0}), DELAY),
    "sendEmailAfter 97": (with_item(metadata={"sendEmailAfter": 97}), DELAY),
    "sendEmailAfter text": (with_item(metadata={"sendEmailAfter": "24"}), DELAY),
    "sendEmailAfter true": (with_item(metadata={"sendEmailAfter": True}), DELAY),
    "sendEmailAfter null": (with_item(metadata={"sendEmailAfter": None}), DELAY),
    "several problems at once": (
        {"status": "later", "data": [{"name": "", "email": "x"}, {"name": "Ada"}]},
        {
            **INTERVIEWER_REQUIRED,
            "status": ["Must be shortlisted or draft."],
            "data[0].name": ["A non-blank name is required."],
            "data[0].email": ["A valid email address is required."],
            "data[1].email": ["A valid email address is required."],
        },
    ),
}


@pytest.mark.parametrize(("body", "errors"), RULES.values(), ids=RULES)
def test_body_errors_reports_each_documented_rule(body, errors):
    assert payloads.body_errors(body) == errors


@pytest.mark.parametrize(
    "body",
    [
        without("status"),
        without("skills"),
        valid_body(status="draft"),
        valid_body(skills=[]),
        with_item(metadata={"sendEmailAfter": 1}),
        with_item(metadata={"sendEmailAfter": 96}),
        with_item(metadata={"sendEmailAfter": 12.5}),
        with_item(email="  John.Doe@Example.COM "),
        without_in_item("skills"),
        without_in_item("additionalFields"),
        without_in_item("metadata"),
    ],
    ids=[
        "no status",
        "no skills",
        "draft",
        "empty skills",
        "delay 1",
        "delay 96",
        "fractional delay",
        "email the platform lower-cases",
        "no item skills",
        "no additional fields",
        "no metadata",
    ],
)
def test_body_errors_accepts_what_the_documentation_allows(body):
    assert payloads.body_errors(body) == {}
