"""Each kind's signature, and where each kind keeps its job, stage and candidate."""

from __future__ import annotations

import pytest

from ingestion.inbound.ats.matching import rule_for
from ingestion.inbound.ats.readers import event_id_read, event_read
from ingestion.models import AtsConnection, AtsRule
from ingestion.webhooks.ats_signatures import signature_valid, signed_headers
from ingestion.webhooks.receiving import hmac_sha256_hex
from tests.ats import (
    SECRET,
    Kind,
    ashby_stage_change,
    greenhouse_stage_change,
    workable_candidate_moved,
)
from tests.factories import InterviewerFactory

RAW = b'{"action": "candidate_stage_change"}'
DIGEST = hmac_sha256_hex(SECRET, RAW)


@pytest.mark.parametrize(
    ("kind", "headers"),
    [
        (Kind.GREENHOUSE, {"Signature": f"sha256 {DIGEST}"}),
        (Kind.GREENHOUSE, {"Signature": f"sha256 {DIGEST.upper()}"}),
        (Kind.ASHBY, {"Ashby-Signature": f"sha256={DIGEST}"}),
        (Kind.WORKABLE, {"X-Workable-Signature": DIGEST}),
        (Kind.GENERIC, {"Authorization": f"Bearer {SECRET}"}),
        (Kind.GENERIC, {"Authorization": f"bearer {SECRET}"}),
    ],
)
def test_each_kind_is_recognised_by_its_own_header(kind, headers):
    assert signature_valid(kind=kind, secret=SECRET, headers=headers, raw=RAW)
    assert signed_headers(kind=kind, secret=SECRET, raw=RAW).keys() == headers.keys()


@pytest.mark.parametrize(
    ("kind", "headers"),
    [
        (Kind.GREENHOUSE, {"Signature": DIGEST}),  # without its algorithm
        (Kind.GREENHOUSE, {"Ashby-Signature": f"sha256={DIGEST}"}),  # another kind's header
        (Kind.ASHBY, {"Ashby-Signature": f"sha256={hmac_sha256_hex(SECRET, RAW + b' ')}"}),
        (Kind.WORKABLE, {}),
        (Kind.GENERIC, {"Authorization": f"Bearer {SECRET}x"}),
        (Kind.GENERIC, {"Authorization": DIGEST}),
    ],
)
def test_anything_else_is_refused(kind, headers):
    assert not signature_valid(kind=kind, secret=SECRET, headers=headers, raw=RAW)


def test_greenhouse_is_read_as_documented():
    event = event_read(kind=Kind.GREENHOUSE, body=greenhouse_stage_change())
    assert event.is_stage_change and not event.is_ping
    assert (event.job_id, event.job_name, event.stage_id, event.stage_name) == (
        "3485",
        "Designer",
        "71416",
        "AI Interview",
    )
    assert (event.name, event.email, event.phone) == (
        "Giuseppe Hurley",
        "Giuseppe.Hurley@example.com",
        "330-281-8004",
    )


def test_greenhouse_with_the_candidate_beside_the_application_is_read_too():
    body = greenhouse_stage_change()
    body["payload"]["candidate"] = body["payload"]["application"].pop("candidate")
    assert event_read(kind=Kind.GREENHOUSE, body=body).name == "Giuseppe Hurley"


def test_ashby_and_workable_are_read_as_documented():
    ashby = event_read(kind=Kind.ASHBY, body=ashby_stage_change())
    workable = event_read(kind=Kind.WORKABLE, body=workable_candidate_moved())
    assert (ashby.job, ashby.stage, ashby.email) == (
        "Data Engineer",
        "AI Interview",
        "ada@example.com",
    )
    assert (workable.job_id, workable.stage, workable.name) == (
        "GROOV005",
        "Phone Screen",
        "Grace Hopper",
    )


def test_a_generic_body_of_the_wrong_types_is_named():
    body = {"job": "x", "stage": "y", "metadata": ["a"], "skills": 3, "name": {"first": "A"}}
    event = event_read(kind=Kind.GENERIC, body=body)
    assert event.name == ""
    assert event.problems == [
        "“metadata” must be a JSON object of names and values.",
        "“skills” must be a list of words or one text separated by commas.",
    ]


def test_the_event_id_comes_from_the_header_or_the_body():
    assert event_id_read(kind=Kind.GREENHOUSE, body={}, headers={"Greenhouse-Event-ID": "e"}) == "e"
    assert event_id_read(kind=Kind.WORKABLE, body={"id": 7}, headers={}) == "7"
    assert event_id_read(kind=Kind.ASHBY, body={"id": 7}, headers={}) == ""


@pytest.mark.django_db
def test_rules_match_by_id_or_by_name_without_case_and_blank_matches_anything():
    connection = AtsConnection.objects.create(
        name="GH", slug="gh", kind=Kind.GREENHOUSE, secret="s"
    )
    interviewer = InterviewerFactory()
    by_id = AtsRule.objects.create(
        connection=connection, interviewer=interviewer, job="3485", stage="71416", order=2
    )
    event = event_read(kind=Kind.GREENHOUSE, body=greenhouse_stage_change())
    assert rule_for(connection=connection, event=event) == by_id
    by_name = AtsRule.objects.create(
        connection=connection, interviewer=interviewer, job="DESIGNER", order=1
    )
    assert rule_for(connection=connection, event=event) == by_name
    sales = greenhouse_stage_change(job="Sales")
    sales["payload"]["application"]["jobs"][0]["id"] = 99
    other = event_read(kind=Kind.GREENHOUSE, body=sales)
    assert rule_for(connection=connection, event=other) is None


def test_paths_step_into_lists_by_number():
    from ingestion.inbound.paths import dig

    body = {"jobs": [{"id": 1}, {"id": 2}], "0": "key"}
    assert (dig(body, "jobs.1.id"), dig(body, "jobs.2.id"), dig(body, "0")) == (2, None, "key")
    assert dig(body, "jobs.first") is None
