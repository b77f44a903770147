"""The "Preview request bodies" action: what a push would send, sending nothing."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest
from werkzeug import Request, Response

from ingestion.client import INGEST_PATH
from ingestion.models import IngestionRequest
from recruiting.models import Candidate
from tests.admin_pages import hidden_inputs, messages_of, run_action
from tests.factories import CandidateFactory, InterviewerFactory

pytestmark = pytest.mark.django_db

State = Candidate.State


def created(request: Request) -> Response:
    data = [{"id": f"c-{i}", **item} for i, item in enumerate(request.get_json()["data"])]
    return Response(json.dumps({"data": data}), status=201, content_type="application/json")


def previewed_bodies(page) -> list[dict[str, Any]]:
    blocks = re.findall(r'<pre class="json preview-json">(.*?)</pre>', page.content.decode(), re.S)
    return [json.loads(html.unescape(block)) for block in blocks]


def skipped_reasons(page) -> dict[int, str]:
    return {candidate.pk: reason for candidate, reason in page.context["preview"].skipped}


@pytest.mark.django_db(transaction=True)
def test_preview_shows_exactly_the_bodies_a_push_then_sends(admin_client, api, settings):
    settings.INTERVIEWFLOW_BATCH_SIZE = 2
    api.expect_request(INGEST_PATH, method="POST").respond_with_handler(created)
    public = InterviewerFactory(skills=["python"])
    private = InterviewerFactory(visibility="private", skills=[])
    candidates = [
        *CandidateFactory.create_batch(3, interviewer=public, additional_fields={"Score": 72}),
        CandidateFactory(interviewer=public, status="draft", metadata={"External ID": "000123"}),
        CandidateFactory(interviewer=private, skills=["go"], send_email_after=12),
    ]

    page = run_action(admin_client, Candidate, "preview_action", candidates)

    assert page.status_code == 200
    bodies = previewed_bodies(page)
    assert [len(body["data"]) for body in bodies] == [2, 1, 1, 1]
    assert bodies[0]["interviewerId"] == str(public.external_id)
    assert bodies[0]["data"][0]["additionalFields"] == {"Score": 72}
    assert bodies[2]["status"] == "draft"
    assert bodies[3]["data"][0]["metadata"] == {"sendEmailAfter": 12}
    assert (api.log, IngestionRequest.objects.count()) == ([], 0)
    assert {c.state for c in Candidate.objects.all()} == {State.NEW}

    run_action(admin_client, Candidate, "push_action", candidates)

    sent = [json.loads(request.data) for request, _ in api.log]
    assert sent == bodies


def test_preview_names_each_request_by_interviewer_and_status(admin_client):
    interviewer = InterviewerFactory(name="Data Engineer")
    candidates = CandidateFactory.create_batch(2, interviewer=interviewer)

    page = run_action(admin_client, Candidate, "preview_action", candidates)

    text = page.content.decode()
    assert "Request 1: 2 candidates to Data Engineer (shortlisted)" in text
    assert "Nothing has been sent." in text


def test_preview_lists_the_candidates_a_push_would_leave_out_and_why(admin_client):
    screened = InterviewerFactory(resume_screening=True)
    interviewer = InterviewerFactory()
    fine = CandidateFactory(interviewer=interviewer)
    sent = CandidateFactory(interviewer=interviewer, state=State.SENT)
    unconfirmed = CandidateFactory(interviewer=interviewer, state=State.UNCONFIRMED)
    queued = CandidateFactory(interviewer=interviewer, state=State.QUEUED)
    shortlisted = CandidateFactory(interviewer=screened, status="shortlisted")
    selection = [fine, sent, unconfirmed, queued, shortlisted]

    page = run_action(admin_client, Candidate, "preview_action", selection)

    (body,) = previewed_bodies(page)
    assert [item["email"] for item in body["data"]] == [fine.email]
    reasons = skipped_reasons(page)
    assert reasons[sent.pk] == (
        "It was already sent to InterviewFlowAI: use Resend to send it again."
    )
    assert reasons[unconfirmed.pk].startswith("It may already be in InterviewFlowAI")
    assert reasons[queued.pk] == "It is queued to be sent to InterviewFlowAI."
    assert "cannot be shortlisted" in reasons[shortlisted.pk]
    assert fine.pk not in reasons
    assert page.content.decode().count('class="skipped-candidate"') == 4


def test_preview_of_nothing_sendable_says_so(admin_client):
    sent = CandidateFactory(state=State.SENT)

    page = run_action(admin_client, Candidate, "preview_action", [sent])

    text = page.content.decode()
    assert 'id="preview-nothing"' in text
    assert 'id="preview-push-button"' not in text


def test_preview_escapes_names_and_values(admin_client):
    candidate = CandidateFactory(
        name="<script>alert('n')</script>", additional_fields={"Note": "</pre><b>x</b>"}
    )

    page = run_action(admin_client, Candidate, "preview_action", [candidate])

    text = page.content.decode()
    assert "<script>alert" not in text
    assert "</pre><b>x</b>" not in text
    (body,) = previewed_bodies(page)
    assert body["data"][0]["name"] == "<script>alert('n')</script>"
    assert body["data"][0]["additionalFields"] == {"Note": "</pre><b>x</b>"}


@pytest.mark.django_db(transaction=True)
def test_push_these_from_the_preview_pushes_the_same_selection(admin_client, api):
    api.expect_request(INGEST_PATH, method="POST").respond_with_handler(created)
    interviewer = InterviewerFactory()
    chosen = CandidateFactory.create_batch(2, interviewer=interviewer)
    other = CandidateFactory(interviewer=interviewer)
    page = run_action(admin_client, Candidate, "preview_action", chosen)

    response = admin_client.post(page.wsgi_request.get_full_path(), hidden_inputs(page))

    assert response.status_code == 302
    assert messages_of(response)[0].startswith("2 candidates sent to InterviewFlowAI.")
    other.refresh_from_db()
    assert other.state == State.NEW
    assert {c.state for c in Candidate.objects.filter(pk__in=[c.pk for c in chosen])} == {
        State.SENT
    }


def test_preview_of_every_row_across_pages_keeps_the_list_filter(admin_client):
    wanted = InterviewerFactory()
    CandidateFactory.create_batch(3, interviewer=wanted)
    CandidateFactory.create_batch(2)
    query = f"?interviewer__id__exact={wanted.pk}"
    first = Candidate.objects.filter(interviewer=wanted).first()

    page = admin_client.post(
        f"/admin/recruiting/candidate/{query}",
        {"action": "preview_action", "_selected_action": [first.pk], "select_across": "1"},
    )

    (body,) = previewed_bodies(page)
    assert len(body["data"]) == 3
    assert hidden_inputs(page)["select_across"] == ["1"]
