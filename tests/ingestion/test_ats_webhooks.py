"""Stage changes from Greenhouse, Ashby, Workable and any other sender, through the real URL,
the real import and a push to a strict stand-in for InterviewFlowAI."""

from __future__ import annotations

import io
import json
import logging
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from ingestion.client import INGEST_PATH
from ingestion.inbound.ats.applying import ats_deliveries_apply_pending
from ingestion.models import AtsDelivery, IngestionRequest, PushBatch, Trigger
from recruiting.models import Candidate
from tests.ats import (
    SECRET,
    Kind,
    ashby_stage_change,
    connection_with_rule,
    deliver,
    greenhouse_stage_change,
    workable_candidate_moved,
)
from tests.delivery import pushing
from tests.factories import InterviewerFactory
from tests.upstream import Upstream

State = AtsDelivery.State
pytestmark = pushing


@pytest.fixture
def interviewer():
    return InterviewerFactory(name="Designer AI interview", skills=["figma"])


@pytest.fixture
def strict_upstream(api) -> Upstream:
    """InterviewFlowAI answering exactly one push; a second would be an error it records."""
    handler = Upstream()
    api.expect_oneshot_request(INGEST_PATH, method="POST").respond_with_handler(handler)
    return handler


def test_a_greenhouse_stage_change_delivered_three_times_is_created_and_pushed_once(
    client, interviewer, strict_upstream, api
):
    connection = connection_with_rule(interviewer, job="designer", stage="AI Interview")
    body = greenhouse_stage_change()

    answers = [
        deliver(client, connection, body, headers={"Greenhouse-Event-ID": "evt-1"})
        for _ in range(3)
    ]

    assert [a.status_code for a in answers] == [200, 200, 200]
    assert [a.json()["repeated"] for a in answers] == [False, True, True]
    candidate = Candidate.objects.get()
    assert (candidate.name, candidate.email) == ("Giuseppe Hurley", "giuseppe.hurley@example.com")
    assert candidate.metadata == {
        "Phone": "330-281-8004",
        "Greenhouse candidate ID": 265772,
        "Greenhouse application ID": 265277,
    }
    assert candidate.interviewer == interviewer
    assert candidate.state == Candidate.State.SENT
    api.check_assertions()
    assert strict_upstream.emails == {"giuseppe.hurley@example.com": 1}
    assert IngestionRequest.objects.get().trigger == Trigger.ATS
    assert PushBatch.objects.get().trigger == Trigger.ATS
    delivery = AtsDelivery.objects.get()
    assert (delivery.state, delivery.candidate) == (State.APPLIED, candidate)
    assert delivery.outcome == (
        "New candidate Giuseppe Hurley for “Designer AI interview” "
        "(rule “AI Interview of designer”). Queued for InterviewFlowAI."
    )


def test_without_an_event_id_header_the_same_body_is_still_applied_once(
    client, interviewer, strict_upstream
):
    connection = connection_with_rule(interviewer)
    for _ in range(2):
        assert deliver(client, connection, greenhouse_stage_change()).status_code == 200

    assert AtsDelivery.objects.get().event_id.startswith("sha256:")
    assert strict_upstream.emails == {"giuseppe.hurley@example.com": 1}


def test_a_wrong_signature_is_refused_with_401_and_only_counted(client, interviewer, api):
    connection = connection_with_rule(interviewer)
    marker = greenhouse_stage_change(job="Forged-job-31337")

    answer = deliver(client, connection, marker, secret="not-the-secret")

    assert answer.status_code == 401
    assert "signature" in answer.json()["error"]
    assert not Candidate.objects.exists()
    assert not AtsDelivery.objects.exists()
    connection.refresh_from_db()
    assert connection.rejected_count == 1
    assert connection.last_rejected_at is not None
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    assert "Forged-job-31337" not in dump.getvalue()
    assert api.log == []


def test_a_missing_signature_is_refused_too(client, interviewer):
    connection = connection_with_rule(interviewer)
    answer = client.post(
        f"/webhooks/ats/{connection.slug}/",
        data=b'{"action": "candidate_stage_change"}',
        content_type="application/json",
    )
    assert answer.status_code == 401
    assert not AtsDelivery.objects.exists()


def test_a_stage_without_a_rule_is_kept_as_ignored(client, interviewer, api):
    connection = connection_with_rule(interviewer, stage="AI Interview")

    answer = deliver(client, connection, greenhouse_stage_change(stage="Offer"))

    assert answer.status_code == 200
    delivery = AtsDelivery.objects.get()
    assert delivery.state == State.IGNORED
    assert delivery.outcome.startswith("Ignored: stage “Offer” of job “Designer” has no rule.")
    assert (delivery.job, delivery.stage) == ("Designer", "Offer")
    assert '"Offer"' in delivery.body
    assert not Candidate.objects.exists()
    assert api.log == []


@pytest.mark.parametrize(
    ("kind", "label"), [(Kind.ASHBY, "Ashby"), (Kind.GREENHOUSE, "Greenhouse")]
)
def test_a_ping_is_answered_200(client, interviewer, api, kind, label):
    connection = connection_with_rule(interviewer, kind=kind)
    ping = {"action": "ping", "data": {"webhookActionType": "candidateStageChange"}}

    answer = deliver(client, connection, ping)

    assert answer.status_code == 200
    delivery = AtsDelivery.objects.get()
    assert delivery.state == State.IGNORED
    assert delivery.outcome.startswith(f"A ping from {label}")
    assert not Candidate.objects.exists()


def test_an_ashby_stage_change_is_created_and_pushed(client, interviewer, strict_upstream):
    connection = connection_with_rule(interviewer, kind=Kind.ASHBY, stage="ai interview")

    assert deliver(client, connection, ashby_stage_change()).status_code == 200

    candidate = Candidate.objects.get()
    assert (candidate.name, candidate.email) == ("Ada Lovelace", "ada@example.com")
    assert candidate.metadata["Ashby candidate ID"] == "5b7c3c8e-0d2a-4a51-9d7e-2f6b0c1e9a10"
    assert candidate.metadata["Phone"] == "+44 20 7946 0000"
    assert strict_upstream.emails == {"ada@example.com": 1}


def test_an_ashby_signature_of_another_secret_is_refused(client, interviewer):
    connection = connection_with_rule(interviewer, kind=Kind.ASHBY)
    assert deliver(client, connection, ashby_stage_change(), secret="x").status_code == 401


def test_a_workable_candidate_moved_is_matched_by_job_shortcode(
    client, interviewer, strict_upstream
):
    connection = connection_with_rule(
        interviewer, kind=Kind.WORKABLE, job="GROOV005", stage="phone screen"
    )

    assert deliver(client, connection, workable_candidate_moved()).status_code == 200

    candidate = Candidate.objects.get()
    assert (candidate.name, candidate.email) == ("Grace Hopper", "grace@example.com")
    assert candidate.metadata == {"Phone": "+1 555 0100", "Workable candidate ID": "ce4da98"}
    assert AtsDelivery.objects.get().event_id == "8c1b0e3a"
    assert strict_upstream.emails == {"grace@example.com": 1}


def test_a_generic_event_with_the_bearer_token_works_the_same_way(
    client, interviewer, strict_upstream, api
):
    connection = connection_with_rule(
        interviewer, kind=Kind.GENERIC, job="Backend", stage="AI Interview", skills=["go"]
    )
    event = {
        "event_id": "zap-42",
        "job": "backend",
        "stage": "ai interview",
        "first_name": "Linus",
        "last_name": "Torvalds",
        "email": "linus@example.com",
        "phone": "000123",
        "external_id": "lever-9",
        "skills": "c, git",
        "additional_fields": {"Manual Score": 72},
        "metadata": {"Source": "Lever"},
    }

    answers = [deliver(client, connection, event) for _ in range(3)]

    assert [a.status_code for a in answers] == [200, 200, 200]
    candidate = Candidate.objects.get()
    assert candidate.name == "Linus Torvalds"
    assert candidate.skills == ["go", "c", "git"]
    assert candidate.additional_fields == {"Manual Score": 72}
    assert candidate.metadata == {"Source": "Lever", "Phone": "000123", "External ID": "lever-9"}
    assert AtsDelivery.objects.get().event_id == "zap-42"
    api.check_assertions()
    assert strict_upstream.emails == {"linus@example.com": 1}


def test_a_generic_event_with_another_token_or_none_is_refused(client, interviewer):
    connection = connection_with_rule(interviewer, kind=Kind.GENERIC)
    event = {"job": "x", "stage": "y", "name": "A", "email": "a@example.com"}

    wrong = deliver(client, connection, event, secret="guess")
    basic = deliver(client, connection, event, headers={"Authorization": f"Basic {SECRET}"})

    assert (wrong.status_code, basic.status_code) == (401, 401)
    assert not AtsDelivery.objects.exists()


def test_a_rule_that_does_not_push_leaves_the_draft_for_review(client, interviewer, api):
    connection = connection_with_rule(interviewer, push=False, status="draft")

    deliver(client, connection, greenhouse_stage_change())

    candidate = Candidate.objects.get()
    assert (candidate.state, candidate.status) == (Candidate.State.NEW, "draft")
    assert AtsDelivery.objects.get().outcome.endswith(
        "Left as a draft for review, as the rule asks."
    )
    assert api.log == []


def test_the_first_matching_rule_wins(client, interviewer, strict_upstream):
    other = InterviewerFactory(name="Other")
    connection = connection_with_rule(other, stage="Phone Screen", order=0)
    connection.rules.create(interviewer=interviewer, job="3485", order=1, send_email_after=24)
    connection.rules.create(interviewer=other, order=2)

    deliver(client, connection, greenhouse_stage_change(stage="AI Interview"))

    candidate = Candidate.objects.get()
    assert (candidate.interviewer, candidate.send_email_after) == (interviewer, 24)


def test_an_event_without_a_valid_email_is_kept_as_invalid_and_writes_nothing(
    client, interviewer, api
):
    connection = connection_with_rule(interviewer)
    body = greenhouse_stage_change()
    body["payload"]["application"]["candidate"]["email_addresses"] = [{"value": "not-an-email"}]

    deliver(client, connection, body)

    delivery = AtsDelivery.objects.get()
    assert delivery.state == State.INVALID
    assert delivery.outcome.startswith("Not imported: email:")
    assert not Candidate.objects.exists()
    assert api.log == []


def test_a_candidate_already_sent_is_not_changed_or_pushed_again(
    client, interviewer, strict_upstream
):
    connection = connection_with_rule(interviewer)
    deliver(client, connection, greenhouse_stage_change(), headers={"Greenhouse-Event-ID": "a"})
    renamed = greenhouse_stage_change()
    renamed["payload"]["application"]["candidate"]["first_name"] = "Joseph"

    deliver(client, connection, renamed, headers={"Greenhouse-Event-ID": "b"})

    assert Candidate.objects.get().name == "Giuseppe Hurley"
    later = AtsDelivery.objects.get(event_id="b")
    assert later.state == State.APPLIED
    assert "already sent" in later.outcome
    assert strict_upstream.emails == {"giuseppe.hurley@example.com": 1}


def test_another_event_of_greenhouse_is_ignored_in_words(client, interviewer):
    connection = connection_with_rule(interviewer)
    deliver(client, connection, {"action": "update_candidate", "payload": {}})
    assert AtsDelivery.objects.get().outcome == (
        "Ignored: “update_candidate” is not a stage change (candidate_stage_change)."
    )


@pytest.mark.parametrize(
    ("body", "content_type", "status", "words"),
    [
        (b"name=x", "application/x-www-form-urlencoded", 415, "JSON"),
        (b"{not json", "application/json", 400, "not JSON"),
        (b"[1, 2]", "application/json", 400, "not an object"),
        (b"{" + b" " * (1024 * 1024) + b"}", "application/json", 400, "larger than"),
    ],
)
def test_what_is_not_a_json_object_within_the_limit_is_refused_and_not_kept(
    client, interviewer, body, content_type, status, words
):
    connection = connection_with_rule(interviewer)
    answer = deliver(client, connection, body, content_type=content_type)
    assert answer.status_code == status
    assert words in answer.json()["error"]
    assert not AtsDelivery.objects.exists()


def test_an_unknown_or_inactive_connection_answers_404_and_get_405(client, interviewer):
    connection = connection_with_rule(interviewer)
    assert client.post("/webhooks/ats/nobody/", data=b"{}", content_type="application/json")
    assert client.get(f"/webhooks/ats/{connection.slug}/").status_code == 405
    connection.active = False
    connection.save()
    assert deliver(client, connection, greenhouse_stage_change()).status_code == 404
    assert not AtsDelivery.objects.exists()


def test_the_webhook_needs_no_csrf_token(interviewer):
    from django.test import Client

    connection = connection_with_rule(interviewer)
    answer = deliver(Client(enforce_csrf_checks=True), connection, {"action": "ping"})
    assert answer.status_code == 200


def test_no_candidate_email_or_secret_is_logged_at_info(
    client, interviewer, strict_upstream, caplog
):
    connection = connection_with_rule(interviewer)
    with caplog.at_level(logging.INFO):
        deliver(client, connection, greenhouse_stage_change())
        deliver(client, connection, greenhouse_stage_change(), secret="wrong")

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "ATS delivery" in logged
    assert "giuseppe" not in logged.lower()
    assert SECRET not in logged


def test_the_generic_shape_the_readme_documents_makes_the_candidate_it_says(
    client, interviewer, strict_upstream
):
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    example = json.loads(readme.split("Any other sender posts this JSON")[1].split("```")[1][4:])
    connection = connection_with_rule(interviewer, kind=Kind.GENERIC, stage="AI Interview")

    assert deliver(client, connection, example).status_code == 200

    candidate = Candidate.objects.get()
    assert (candidate.name, candidate.email) == ("Linus Torvalds", "linus@example.com")
    assert candidate.metadata == {
        "Source": "Lever",
        "Phone": "+1 555 0100",
        "External ID": "lever-9",
    }
    assert strict_upstream.emails == {"linus@example.com": 1}


def test_an_event_with_more_fields_than_a_row_may_have_is_invalid(client, interviewer, settings):
    settings.IMPORT_MAX_COLUMNS = 10
    connection = connection_with_rule(interviewer, kind=Kind.GENERIC)
    metadata = {f"Key {n}": n for n in range(10)}
    event = {
        "job": "j",
        "stage": "s",
        "name": "A B",
        "email": "ab@example.com",
        "metadata": metadata,
    }

    deliver(client, connection, event)

    delivery = AtsDelivery.objects.get()
    assert delivery.state == State.INVALID
    assert delivery.outcome == (
        "Not imported: the event makes 13 columns, more than the 10 a row of an import may "
        "have: send fewer additional fields and metadata."
    )
    assert not Candidate.objects.exists()


def test_a_delivery_whose_task_was_lost_is_applied_by_the_periodic_pass(interviewer, api):
    connection = connection_with_rule(interviewer, job="designer", stage="AI Interview")
    kept = {"connection": connection, "body": json.dumps(greenhouse_stage_change())}
    now = timezone.now()
    AtsDelivery.objects.create(event_id="lost", received_at=now - timedelta(minutes=2), **kept)
    AtsDelivery.objects.create(event_id="on-its-way", received_at=now, **kept)

    assert ats_deliveries_apply_pending(now=now) == 1

    states = dict(AtsDelivery.objects.values_list("event_id", "state"))
    assert states == {"lost": State.APPLIED, "on-its-way": State.RECEIVED}
    assert Candidate.objects.get().state == Candidate.State.QUEUED, "the sweep sends it"
    assert ats_deliveries_apply_pending(now=now) == 0
