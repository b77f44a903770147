"""Schedule push… and the warnings about unconfirmed deliveries, through the admin."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ingestion.client import INGEST_PATH
from recruiting.models import Candidate
from tests.admin_pages import changelist_url, messages_of, run_action, submit_action_page
from tests.delivery import pushing
from tests.factories import CandidateFactory, InterviewerFactory
from tests.upstream import Upstream

State = Candidate.State
CANDIDATES = changelist_url(Candidate)


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pushing
def test_schedule_push_sends_near_invitations_now_with_a_delay(admin_client, api):
    upstream = Upstream()
    api.expect_request(INGEST_PATH, method="POST").respond_with_handler(upstream)
    candidates = CandidateFactory.create_batch(2, interviewer=InterviewerFactory())

    page = run_action(admin_client, Candidate, "schedule_action", candidates)
    assert page.status_code == 200
    assert b'type="datetime-local"' in page.content
    response = submit_action_page(
        admin_client, page, send_at=local(timezone.now() + timedelta(hours=48, minutes=30))
    )

    assert response.status_code == 302
    assert "2 candidates sent to InterviewFlowAI." in " ".join(messages_of(response))
    delays = {item["metadata"]["sendEmailAfter"] for item in upstream.bodies[0]["data"]}
    assert delays in ({49}, {48})  # the form keeps minutes, not seconds
    assert {c.send_at is not None for c in Candidate.objects.all()} == {True}


@pushing
def test_schedule_push_holds_far_invitations_and_says_until_when(admin_client, api):
    upstream = Upstream()
    api.expect_request(INGEST_PATH, method="POST").respond_with_handler(upstream)
    candidate = CandidateFactory()

    page = run_action(admin_client, Candidate, "schedule_action", [candidate])
    response = submit_action_page(
        admin_client, page, send_at=local(timezone.now() + timedelta(days=7))
    )

    text = " ".join(messages_of(response))
    assert "1 candidate held until 96 hours before their invitation time" in text
    assert "queued: they will be sent" not in text
    candidate.refresh_from_db()
    assert candidate.state == State.QUEUED
    assert candidate.next_attempt_at > timezone.now() + timedelta(days=2)
    assert upstream.bodies == []


@pushing
def test_schedule_push_refuses_a_time_in_the_past(admin_client, api):
    candidate = CandidateFactory()

    page = run_action(admin_client, Candidate, "schedule_action", [candidate])
    response = submit_action_page(
        admin_client, page, send_at=local(timezone.now() - timedelta(hours=1))
    )

    assert response.status_code == 200
    assert "Choose a time in the future" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.state == State.NEW and candidate.send_at is None


@pytest.mark.django_db
def test_the_unconfirmed_list_warns_that_a_resend_may_invite_twice(admin_client):
    CandidateFactory(state=State.UNCONFIRMED)

    response = admin_client.get(CANDIDATES + "?state__exact=unconfirmed")

    assert any("second invitation" in message for message in messages_of(response))


@pytest.mark.django_db
def test_an_unconfirmed_candidate_page_warns_before_a_resend(admin_client):
    unconfirmed = CandidateFactory(state=State.UNCONFIRMED)
    sent = CandidateFactory(state=State.SENT)

    def page(candidate: Candidate) -> str:
        url = reverse("admin:recruiting_candidate_change", args=[candidate.pk])
        return admin_client.get(url).content.decode()

    assert 'id="unconfirmed-warning"' in page(unconfirmed)
    assert 'id="unconfirmed-warning"' not in page(sent)
