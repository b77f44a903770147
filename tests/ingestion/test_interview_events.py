"""InterviewFlowAI's interview events: the receiver, the inbox, and statuses that only move on."""

import json
import random
from datetime import timedelta

import pytest
from django.utils import timezone

from ingestion.inbound.events import (
    webhook_event_apply,
    webhook_event_store,
    webhook_events_apply_again,
    webhook_events_apply_pending,
)
from ingestion.models import WebhookEvent
from recruiting.models import Candidate
from tests.factories import CandidateFactory, InterviewerFactory

pytestmark = pytest.mark.django_db
TOKEN = "hook-token-4b1e"
STEPS = ["started", "in_progress", "completed", "report_available"]


@pytest.fixture(autouse=True)
def token(settings):
    settings.INTERVIEWFLOW_WEBHOOK_TOKEN = TOKEN


@pytest.fixture
def deliver(client, django_capture_on_commit_callbacks):
    """POST one delivery to the receiver, and run what it does once its row is committed."""

    def post(body, *, token=TOKEN, **headers):
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                f"/webhooks/interviewflow/{token}/",
                data=raw,
                content_type="application/json",
                headers=headers,
            )

    return post


def event(candidate, step, **extra):
    return {
        "id": f"evt-{candidate.pk}-{step}",
        "event": f"interview.{step}",
        "data": {
            "email": candidate.email.upper(),
            "interviewerId": str(candidate.interviewer.external_id),
            **extra,
        },
    }


def test_four_events_shuffled_and_twice_each_leave_one_applied_per_id(deliver):
    candidate = CandidateFactory(state=Candidate.State.SENT)
    deliveries = [event(candidate, step) for step in STEPS] * 2
    random.Random(12).shuffle(deliveries)
    for body in deliveries:
        assert deliver(body).status_code == 200
    applied = WebhookEvent.objects.filter(state=WebhookEvent.State.APPLIED)
    assert sorted(applied.values_list("event_id", flat=True)) == sorted(
        f"evt-{candidate.pk}-{step}" for step in STEPS
    )
    assert WebhookEvent.objects.filter(state=WebhookEvent.State.DUPLICATE).count() == 4
    candidate.refresh_from_db()
    assert candidate.interview_status == Candidate.InterviewStatus.REPORT_AVAILABLE
    assert candidate.interview_status_at is not None


def test_an_earlier_step_arriving_late_never_moves_the_status_back(deliver):
    candidate = CandidateFactory()
    deliver(event(candidate, "completed", score=87))
    deliver(event(candidate, "started"))
    candidate.refresh_from_db()
    assert candidate.interview_status == "completed"
    assert candidate.interview_score == "87"
    late = WebhookEvent.objects.get(event_id=f"evt-{candidate.pk}-started")
    assert late.state == WebhookEvent.State.APPLIED
    assert "already at Completed" in late.reason


def test_a_report_keeps_its_link_and_a_non_web_link_is_not_kept(deliver):
    candidate = CandidateFactory()
    deliver(event(candidate, "report_available", report={"url": "https://x.test/r/1"}))
    other = CandidateFactory()
    deliver(event(other, "report_available", reportUrl="javascript:alert(1)"))
    candidate.refresh_from_db()
    other.refresh_from_db()
    assert candidate.report_url == "https://x.test/r/1"
    assert other.report_url == ""
    assert other.interview_status == "report_available"


def test_a_wrong_token_is_refused_and_stores_nothing(deliver):
    candidate = CandidateFactory()
    response = deliver(event(candidate, "started"), token="guessed")
    assert response.status_code == 403
    assert WebhookEvent.objects.count() == 0


def test_without_a_token_configured_the_receiver_does_not_exist(deliver, settings):
    settings.INTERVIEWFLOW_WEBHOOK_TOKEN = ""
    assert deliver({"event": "interview.started"}, token="").status_code == 404
    assert deliver({"event": "interview.started"}, token="x").status_code == 404


def test_only_a_post_is_received(client):
    assert client.get(f"/webhooks/interviewflow/{TOKEN}/").status_code == 405


@pytest.mark.parametrize(
    ("raw", "words"),
    [(b"not json", "not JSON"), (b"[1]", "not an object"), (b"{" + b" " * (1024 * 1024), "larger")],
)
def test_a_body_that_is_not_a_small_json_object_is_refused_and_not_kept(deliver, raw, words):
    response = deliver(raw)
    assert response.status_code == 400
    assert words in response.json()["error"]
    assert WebhookEvent.objects.count() == 0


def test_an_event_for_an_unknown_email_is_kept_unmatched_and_applies_once_fixed(deliver):
    interviewer = InterviewerFactory()
    body = {
        "type": "interview.started",
        "candidate": {"email": "nobody@example.com"},
        "interviewer": {"id": str(interviewer.external_id)},
    }
    deliver(body, **{"X-Webhook-Id": "wh-1"})
    kept = WebhookEvent.objects.get()
    assert (kept.state, kept.event_id) == (WebhookEvent.State.UNMATCHED, "wh-1")
    assert "No candidate has this email" in kept.reason
    candidate = CandidateFactory(interviewer=interviewer, email="nobody@example.com")
    assert webhook_events_apply_again(event_ids=[kept.pk]) == {"Applied": 1}
    candidate.refresh_from_db()
    assert candidate.interview_status == "started"


def test_an_unknown_event_type_is_ignored_but_kept(deliver):
    candidate = CandidateFactory()
    deliver({"eventType": "interview.paused", "email": candidate.email})
    kept = WebhookEvent.objects.get()
    assert kept.state == WebhookEvent.State.IGNORED
    assert "interview.paused" in kept.reason
    assert kept.event_id.startswith("sha256:")


def test_an_event_naming_no_candidate_is_invalid_but_kept(deliver):
    deliver({"event_type": "interview.completed", "data": {"score": 3}})
    kept = WebhookEvent.objects.get()
    assert kept.state == WebhookEvent.State.INVALID
    assert "no candidate email" in kept.reason


def test_a_body_without_an_id_is_deduplicated_by_its_hash(deliver):
    candidate = CandidateFactory()
    body = {"event": "interview.started", "email": candidate.email}
    deliver(body)
    deliver(body)
    states = sorted(WebhookEvent.objects.values_list("state", flat=True))
    assert states == [WebhookEvent.State.APPLIED, WebhookEvent.State.DUPLICATE]


def test_the_same_email_under_two_interviewers_needs_the_interviewer(deliver):
    first = CandidateFactory(email="twin@example.com")
    CandidateFactory(email="twin@example.com")
    deliver({"event": "interview.started", "id": "a", "email": "twin@example.com"})
    assert WebhookEvent.objects.get(event_id="a").state == WebhookEvent.State.UNMATCHED
    named = {"event": "interview.started", "id": "b", "email": "twin@example.com"}
    deliver({**named, "interviewerId": str(first.interviewer.external_id)})
    assert WebhookEvent.objects.get(event_id="b").candidate == first


def test_an_applied_event_applied_again_changes_nothing(deliver):
    candidate = CandidateFactory()
    deliver(event(candidate, "started"))
    kept = WebhookEvent.objects.get()
    before = kept.processed_at
    assert webhook_event_apply(event_id=kept.pk).processed_at == before


def test_an_event_for_an_unconfirmed_candidate_proves_it_arrived(deliver):
    candidate = CandidateFactory(state=Candidate.State.UNCONFIRMED, last_error="No answer.")
    deliver(event(candidate, "started"))
    candidate.refresh_from_db()
    assert (candidate.state, candidate.last_error) == (Candidate.State.SENT, "")
    assert candidate.confirmed_at is not None
    assert "proves it arrived" in WebhookEvent.objects.get().reason


def test_events_left_unapplied_are_applied_by_the_periodic_pass():
    candidate = CandidateFactory()
    body = {"id": "lost-task", "event": "interview.completed", "email": candidate.email}
    kept = webhook_event_store(
        raw=json.dumps(body).encode(), body=body, headers={}, fallback_id="unused"
    )
    assert kept.state == WebhookEvent.State.RECEIVED
    assert webhook_events_apply_pending() == 0, "a moment ago: its task may still come"
    WebhookEvent.objects.filter(pk=kept.pk).update(
        received_at=timezone.now() - timedelta(minutes=5)
    )
    assert webhook_events_apply_pending() == 1
    candidate.refresh_from_db()
    assert candidate.interview_status == "completed"
