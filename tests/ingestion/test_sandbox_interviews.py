"""The sandbox playing the other side against the running app: its Fetch API, and its events
sent to the app's own receiver over HTTP."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.utils import timezone

from ingestion.inbound.reconcile import candidates_reconcile
from ingestion.models import SandboxCandidate, WebhookEvent
from recruiting.models import Candidate
from tests.delivery import eventually, fresh, push, push_one, queue
from tests.factories import CandidateFactory, InterviewerFactory

pytestmark = pytest.mark.django_db(transaction=True)
State = Candidate.State
FETCH_URL = "/sandbox/api/external/fetch/candidates"


@pytest.fixture
def app(sandbox, settings) -> str:
    settings.INTERVIEWFLOW_WEBHOOK_TOKEN = "sandbox-hook"
    return sandbox


def an_hour_later(candidate: Candidate) -> None:
    Candidate.objects.filter(pk=candidate.pk).update(updated_at=timezone.now() - timedelta(hours=1))


def test_the_sandbox_keeps_what_it_accepts_and_pages_it_on_its_fetch_api(app, settings):
    settings.INTERVIEWFLOW_FETCH_PAGE_SIZE = 2
    interviewer = InterviewerFactory()
    candidates = CandidateFactory.create_batch(5, interviewer=interviewer)
    queue(*candidates)
    push()
    assert SandboxCandidate.objects.count() == 5
    unconfirmed = CandidateFactory(interviewer=interviewer, state=State.UNCONFIRMED)
    an_hour_later(unconfirmed)
    result = candidates_reconcile()
    assert result.pages == 3
    assert result.problems == []
    assert fresh(unconfirmed).safe_to_resend


def test_a_timed_out_push_to_the_sandbox_is_settled_as_sent(app, settings):
    settings.INTERVIEWFLOW_TIMEOUT = 0.5
    settings.INTERVIEWFLOW_SANDBOX_TIMEOUT_SECONDS = 1.0
    _, candidate = push_one(email="ana+timeout@example.com")
    assert candidate.state == State.UNCONFIRMED
    eventually(lambda: SandboxCandidate.objects.filter(email=candidate.email).exists())
    an_hour_later(candidate)
    candidates_reconcile()
    assert fresh(candidate).state == State.SENT


def test_a_502_from_the_sandbox_ends_safe_to_resend(app):
    _, candidate = push_one(email="ana+fail502@example.com")
    an_hour_later(candidate)
    candidates_reconcile()
    candidate = fresh(candidate)
    assert (candidate.state, candidate.safe_to_resend) == (State.UNCONFIRMED, True)


def test_the_command_sends_the_four_events_to_the_running_receiver(app):
    _, candidate = push_one()
    out = StringIO()
    call_command("sandbox_send_events", stdout=out)
    assert "4 events sent" in out.getvalue()
    candidate = fresh(candidate)
    assert candidate.interview_status == "report_available"
    assert candidate.interview_score.isdigit()
    assert candidate.report_url.startswith(app)
    assert WebhookEvent.objects.filter(state=WebhookEvent.State.APPLIED).count() == 4


def test_the_report_link_of_a_sandbox_interview_opens_its_report(app, admin_client):
    _, candidate = push_one()
    call_command("sandbox_send_events", stdout=StringIO())
    candidate = fresh(candidate)

    page = admin_client.get(urlsplit(candidate.report_url).path)

    assert page.status_code == 200
    assert candidate.name in page.content.decode()
    assert f'id="sandbox-report-score">{candidate.interview_score}<' in page.content.decode()


def test_the_sandbox_plays_the_interview_by_itself_after_a_push(app, settings):
    settings.INTERVIEWFLOW_SANDBOX_EVENTS_SECONDS = 0.2
    _, candidate = push_one()
    eventually(lambda: fresh(candidate).interview_status == "report_available")
    statuses = SandboxCandidate.objects.values_list("interview_status", flat=True)
    assert list(statuses) == ["report_available"]


def test_the_fetch_api_filters_by_interview_and_additional_fields(app, client):
    interviewer_id = "3f6c2a9e-5b1d-4c8e-9f2a-7d4e1b0c8a11"
    for n, score in enumerate([50, 72, 90]):
        SandboxCandidate.objects.create(
            interviewer_id=interviewer_id,
            external_id=f"c{n}",
            name=f"C {n}",
            email=f"c{n}@x.io",
            additional_fields={"Manual Score": score, "Team": "core" if n else "edge"},
        )
    key = {"X-API-KEY": "sandbox-key"}

    def fetched(**body):
        response = client.post(
            FETCH_URL, {"interviewerId": interviewer_id, **body}, "application/json", headers=key
        )
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["data"]]

    assert fetched(additionalFields={"Manual Score": 72}) == ["c1", "c2"]
    assert fetched(additionalFields={"Team": "edge"}) == ["c0"]
    assert fetched(interviewId="c2") == ["c2"]
    assert fetched(page=2, limit=2) == ["c2"]


def test_the_fetch_api_checks_the_key_and_the_body(app, client):
    wrong = client.post(FETCH_URL, {"interviewerId": "x"}, "application/json")
    assert wrong.status_code == 401
    bad = client.post(
        FETCH_URL, {"page": 0}, "application/json", headers={"X-API-KEY": "sandbox-key"}
    )
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) == {"interviewerId", "page"}
