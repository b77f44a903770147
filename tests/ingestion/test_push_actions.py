"""The push and resend actions and Resume delivery, driven through Django's test client."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from ingestion.client import INGEST_PATH
from ingestion.models import DeliveryStatus, IngestionRequest, Trigger
from recruiting.models import Candidate
from tests.admin_pages import hidden_inputs, link_named, messages_of, run_action, submit_action_page
from tests.delivery import fresh, pushing
from tests.factories import CandidateFactory, InterviewerFactory
from tests.upstream import accept_pushes

pytestmark = pytest.mark.django_db

State = Candidate.State


def sent_bodies(api) -> list[dict[str, Any]]:
    return [json.loads(request.data) for request, _ in api.log]


# --- Push to InterviewFlowAI --------------------------------------------------------------------


@pushing
def test_push_sends_the_candidates_and_links_to_their_history(admin_client, admin_user, api):
    accept_pushes(api)
    interviewer = InterviewerFactory()
    candidates = CandidateFactory.create_batch(3, interviewer=interviewer)

    response = run_action(admin_client, Candidate, "push_action", candidates)

    assert response.status_code == 302
    (message,) = messages_of(response)
    assert message.startswith("3 candidates sent to InterviewFlowAI.")
    assert set(Candidate.objects.values_list("state", flat=True)) == {State.SENT}
    (body,) = sent_bodies(api)
    assert len(body["data"]) == 3
    request = IngestionRequest.objects.get()
    assert (request.trigger, request.user, request.http_status) == (Trigger.ADMIN, admin_user, 201)

    history = admin_client.get(link_named(message, "See the history."))
    assert list(history.context["cl"].result_list) == [request]


@pushing
def test_push_says_how_many_failed_and_why(admin_client, api):
    api.expect_request(INGEST_PATH, method="POST").respond_with_json(
        {"message": "Validation failed.", "errors": {"interviewerId": ["unknown"]}}, status=400
    )
    candidates = CandidateFactory.create_batch(2, interviewer=InterviewerFactory())

    response = run_action(admin_client, Candidate, "push_action", candidates)

    failed, reason = messages_of(response)
    assert failed.startswith("2 candidates failed.")
    assert "See the history." in failed
    # One line for the one reason, naming the candidates it applies to.
    assert reason.startswith(f"2 candidates ({candidates[1]}, {candidates[0]}): ")
    assert "InterviewFlowAI refused the candidates (HTTP 400)." in reason
    assert "Validation failed. interviewerId: unknown" in reason
    assert set(Candidate.objects.values_list("state", flat=True)) == {State.FAILED}


@pushing
def test_push_skips_candidates_already_sent_and_says_so(admin_client, api):
    accept_pushes(api)
    interviewer = InterviewerFactory()
    sent = CandidateFactory(interviewer=interviewer, state=State.SENT, upstream_id="old")
    new = CandidateFactory(interviewer=interviewer)

    response = run_action(admin_client, Candidate, "push_action", [sent, new])

    first, skipped = messages_of(response)
    assert first.startswith("1 candidate sent to InterviewFlowAI.")
    assert skipped == (
        f"1 candidate skipped ({sent}): It was already sent to InterviewFlowAI: use Resend to "
        "send it again."
    )
    (body,) = sent_bodies(api)
    assert [item["email"] for item in body["data"]] == [new.email]
    sent.refresh_from_db()
    assert sent.upstream_id == "old"


@pushing
def test_plain_push_of_an_already_sent_candidate_is_refused(admin_client, api):
    sent = CandidateFactory(state=State.SENT)

    response = run_action(admin_client, Candidate, "push_action", [sent])

    assert messages_of(response) == [
        f"1 candidate skipped ({sent}): It was already sent to InterviewFlowAI: use Resend to "
        "send it again."
    ]
    assert api.log == []
    assert not IngestionRequest.objects.exists()


@pushing
def test_push_does_not_send_a_candidate_the_api_would_reject(admin_client, api):
    interviewer = InterviewerFactory(name="Screened", screening_questions=True)
    candidate = CandidateFactory(interviewer=interviewer, status=Candidate.Status.SHORTLISTED)

    response = run_action(admin_client, Candidate, "push_action", [candidate])

    (message,) = messages_of(response)
    assert message.startswith(f"1 candidate not sent ({candidate}): ")
    assert "Screening Questions" in message
    assert api.log == []


# --- Resend… ------------------------------------------------------------------------------------


@pushing
def test_resend_asks_for_confirmation_first(admin_client, api):
    sent = CandidateFactory(state=State.SENT)

    page = run_action(admin_client, Candidate, "resend_action", [sent])

    assert page.status_code == 200
    html = page.content.decode()
    assert "Send the selected candidates again" in html
    assert "second invitation email" in html
    assert hidden_inputs(page)["action"] == ["resend_action"]
    assert api.log == []

    unconfirmed = submit_action_page(admin_client, page)
    assert unconfirmed.status_code == 200
    assert "This field is required." in unconfirmed.content.decode()
    assert api.log == []
    sent.refresh_from_db()
    assert sent.resend_requested_by is None


@pushing
def test_resend_sends_again_and_records_who_asked(admin_client, admin_user, api):
    accept_pushes(api)
    sent = CandidateFactory(state=State.SENT, attempts=1)
    page = run_action(admin_client, Candidate, "resend_action", [sent])

    response = submit_action_page(admin_client, page, confirm="on")

    assert response.status_code == 302
    (message,) = messages_of(response)
    assert message.startswith("1 candidate sent to InterviewFlowAI.")
    assert len(api.log) == 1
    sent.refresh_from_db()
    assert sent.state == State.SENT
    assert sent.resend_requested_by == admin_user
    assert sent.resend_requested_at is not None
    request = IngestionRequest.objects.get()
    assert (request.trigger, request.user) == (Trigger.RESEND, admin_user)


@pushing
def test_the_same_resend_page_submitted_twice_sends_once(admin_client, api):
    accept_pushes(api)
    sent = CandidateFactory(state=State.SENT, attempts=1)
    page = run_action(admin_client, Candidate, "resend_action", [sent])

    submit_action_page(admin_client, page, confirm="on")
    again = submit_action_page(admin_client, page, confirm="on")

    assert len(api.log) == 1
    # The first submission's message has not been shown yet: the second's comes after it.
    assert messages_of(again)[-1] == (
        f"1 candidate skipped ({sent}): It was sent again since this page was shown: it is "
        "not sent a third time."
    )


@pushing
def test_resend_leaves_new_candidates_to_a_push_and_says_so(admin_client, api):
    accept_pushes(api)
    new = CandidateFactory()
    sent = CandidateFactory(state=State.SENT, interviewer=new.interviewer)
    page = run_action(admin_client, Candidate, "resend_action", [new, sent])

    response = submit_action_page(admin_client, page, confirm="on")

    assert [item["email"] for item in sent_bodies(api)[0]["data"]] == [sent.email]
    assert fresh(new).state == State.NEW
    assert (
        f"1 candidate skipped ({new}): It was never sent: use Push to InterviewFlowAI."
        in messages_of(response)
    )


@pushing
def test_the_resend_page_shows_no_row_for_its_hidden_field(admin_client):
    page = run_action(
        admin_client, Candidate, "resend_action", [CandidateFactory(state=State.SENT)]
    )

    html = page.content.decode()
    assert "Seen at" not in html
    assert html.count('class="form-row"') == 1
    assert 'type="hidden" name="seen_at"' in html


@pushing
def test_resend_leaves_candidates_being_sent_alone(admin_client, api):
    sending = CandidateFactory(state=State.SENDING)
    page = run_action(admin_client, Candidate, "resend_action", [sending])

    response = submit_action_page(admin_client, page, confirm="on")

    assert messages_of(response) == [
        f"1 candidate skipped ({sending}): It is being sent to InterviewFlowAI right now."
    ]
    assert api.log == []


# --- A rejected key, and Resume delivery ----------------------------------------------------------


@pushing
def test_push_with_a_rejected_key_says_delivery_is_paused_once(admin_client, api):
    api.expect_request(INGEST_PATH, method="POST").respond_with_json(
        {"message": "Invalid API key."}, status=401
    )
    candidates = CandidateFactory.create_batch(3, interviewer=InterviewerFactory())

    response = run_action(admin_client, Candidate, "push_action", candidates)

    waiting, reason = messages_of(response)
    assert waiting.startswith("3 candidates queued, but delivery is paused")
    assert "they will be sent in the background" not in waiting
    assert reason.startswith("3 candidates (")
    assert "rejected the API key (HTTP 401)" in reason
    assert set(Candidate.objects.values_list("state", flat=True)) == {State.QUEUED}


def test_resume_goes_back_to_the_page_it_came_from_on_this_site_only(admin_client):
    DeliveryStatus.objects.update_or_create(pk=1, defaults={"paused_at": timezone.now()})
    resume = reverse("admin:ingestion_delivery_resume")

    here = admin_client.post(resume, {"next": "/admin/recruiting/candidate/"})
    elsewhere = admin_client.post(resume, {"next": "https://evil.example/admin/"})

    assert here["Location"] == "/admin/recruiting/candidate/"
    assert elsewhere["Location"] == reverse("admin:index")
    assert not DeliveryStatus.current().paused
