"""The push and resend actions and the history admin, driven through Django's test client."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from werkzeug import Request, Response

from ingestion.client import INGEST_PATH, Outcome
from ingestion.models import DeliveryStatus, IngestionRequest, Trigger
from recruiting.models import Candidate
from tests.admin_pages import (
    action_choices,
    changelist_url,
    hidden_inputs,
    link_named,
    messages_of,
    run_action,
    submit_action_page,
)
from tests.factories import CandidateFactory, InterviewerFactory, UserFactory

pytestmark = pytest.mark.django_db
# Pushes hand over to the worker when the transaction commits: these tests commit for real.
pushing = pytest.mark.django_db(transaction=True)

State = Candidate.State
HISTORY = changelist_url(IngestionRequest)


def created(request: Request) -> Response:
    """Answer like InterviewFlowAI: 201 with an id per candidate."""
    body = request.get_json()
    data = [{"id": f"c-{i}", **item} for i, item in enumerate(body["data"])]
    return Response(json.dumps({"data": data}), status=201, content_type="application/json")


def accept_pushes(api) -> None:
    api.expect_request(INGEST_PATH, method="POST").respond_with_handler(created)


def sent_bodies(api) -> list[dict[str, Any]]:
    return [json.loads(request.data) for request, _ in api.log]


def staff_with(*codenames: str):
    user = UserFactory()
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


def history_row(candidates: list[Candidate], **fields: Any) -> IngestionRequest:
    row = IngestionRequest.objects.create(
        interviewer=candidates[0].interviewer,
        candidate_count=len(candidates),
        trigger=Trigger.ADMIN,
        url="http://127.0.0.1/api/external/ingest/candidates",
        request_body={"data": [{"name": c.name, "email": c.email} for c in candidates]},
        **{"http_status": 201, "outcome": Outcome.ACCEPTED, **fields},
    )
    row.candidates.set(candidates)
    return row


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
        f"1 candidate skipped ({sent}): It was already sent to InterviewFlowAI: use Resend to "
        "send it again."
    )


@pushing
def test_resend_leaves_candidates_being_sent_alone(admin_client, api):
    sending = CandidateFactory(state=State.SENDING)
    page = run_action(admin_client, Candidate, "resend_action", [sending])

    response = submit_action_page(admin_client, page, confirm="on")

    assert messages_of(response) == [
        f"1 candidate skipped ({sending}): It is being sent to InterviewFlowAI right now."
    ]
    assert api.log == []


# --- Who may push -------------------------------------------------------------------------------


@pushing
def test_staff_without_the_push_permission_neither_see_nor_run_push_or_resend(client, api):
    editor = staff_with("view_candidate", "change_candidate")
    client.force_login(editor)
    candidate = CandidateFactory(state=State.FAILED)

    listing = client.get(changelist_url(Candidate))
    choices = action_choices(listing)
    assert {"set_status_action", "set_skills_action"} <= set(choices)
    assert not {"push_action", "resend_action"} & set(choices)

    for action in ("push_action", "resend_action"):
        response = run_action(client, Candidate, action, [candidate])
        assert response.status_code == 403
    resend = client.post(
        changelist_url(Candidate),
        {
            "action": "resend_action",
            "_selected_action": [candidate.pk],
            "apply": "Resend",
            "confirm": "on",
        },
    )
    assert resend.status_code == 403
    assert api.log == []
    candidate.refresh_from_db()
    assert (candidate.state, candidate.resend_requested_by) == (State.FAILED, None)


def test_staff_with_the_push_permission_see_push_and_resend(client):
    client.force_login(staff_with("view_candidate", "change_candidate", "push_candidate"))

    listing = client.get(changelist_url(Candidate))

    assert {"push_action", "resend_action"} <= set(action_choices(listing))


# --- The history --------------------------------------------------------------------------------


def test_history_is_read_only_even_for_a_superuser(admin_client):
    row = history_row([CandidateFactory()])
    change = reverse("admin:ingestion_ingestionrequest_change", args=[row.pk])

    assert admin_client.get(reverse("admin:ingestion_ingestionrequest_add")).status_code == 403
    assert (
        admin_client.get(
            reverse("admin:ingestion_ingestionrequest_delete", args=[row.pk])
        ).status_code
        == 403
    )
    assert admin_client.post(change, {"http_status": 500, "outcome": "unknown"}).status_code == 403
    page = admin_client.get(change)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert action_choices(admin_client.get(HISTORY)) == []
    row.refresh_from_db()
    assert (row.http_status, row.outcome) == (201, Outcome.ACCEPTED)


@pushing
def test_history_shows_bodies_as_indented_json_with_names_escaped(admin_client, api):
    accept_pushes(api)
    candidate = CandidateFactory(name="<script>alert(1)</script>", additional_fields={"Score": 72})
    run_action(admin_client, Candidate, "push_action", [candidate])
    row = IngestionRequest.objects.get()

    html = admin_client.get(
        reverse("admin:ingestion_ingestionrequest_change", args=[row.pk])
    ).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&quot;name&quot;: &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;" in html
    assert "\n      &quot;additionalFields&quot;: {\n        &quot;Score&quot;: 72\n" in html
    assert "&quot;id&quot;: &quot;c-0&quot;" in html  # the response body too
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;" in html  # the link to the candidate


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("outcome__exact=rejected", {"rejected"}),
        ("http_status=503", {"retry"}),
        ("http_status__isnull=True", {"unknown"}),
        # As the date filter's own links write it: midnight in the site's time zone.
        (
            "started_at__gte=2026-03-01+00:00:00%2B00:00&started_at__lt=2026-03-02+00:00:00%2B00:00",
            {"accepted"},
        ),
        ("started_at__year=2026&started_at__month=2", {"rejected", "retry", "unknown"}),
    ],
)
def test_history_filters_by_outcome_http_status_and_date(admin_client, query, expected):
    candidate = CandidateFactory()
    history_row([candidate], started_at=datetime(2026, 3, 1, 9, tzinfo=UTC))
    february = datetime(2026, 2, 10, 9, tzinfo=UTC)
    history_row([candidate], started_at=february, http_status=400, outcome=Outcome.REJECTED)
    history_row([candidate], started_at=february, http_status=503, outcome=Outcome.RETRY)
    history_row(
        [candidate],
        started_at=february,
        http_status=None,
        outcome=Outcome.UNKNOWN,
        error_class="ReadTimeout",
    )

    response = admin_client.get(f"{HISTORY}?{query}")

    assert {row.outcome for row in response.context["cl"].result_list} == expected


def test_history_links_to_its_candidates(admin_client):
    candidates = CandidateFactory.create_batch(2)
    row = history_row(candidates)

    html = admin_client.get(
        reverse("admin:ingestion_ingestionrequest_change", args=[row.pk])
    ).content.decode()

    for candidate in candidates:
        assert reverse("admin:recruiting_candidate_change", args=[candidate.pk]) in html


def test_history_of_a_large_request_links_to_all_its_candidates(admin_client):
    interviewer = InterviewerFactory()
    candidates = CandidateFactory.create_batch(101, interviewer=interviewer)
    CandidateFactory(interviewer=interviewer)  # another candidate, not in this request
    row = history_row(candidates)

    html = admin_client.get(
        reverse("admin:ingestion_ingestionrequest_change", args=[row.pk])
    ).content.decode()

    link = f"{changelist_url(Candidate)}?ingestion_requests__id__exact={row.pk}"
    assert f'<a href="{link}">all 101</a>' in html
    assert admin_client.get(link).context["cl"].result_count == 101


def test_history_filtered_by_candidate_ids_lists_each_request_once(admin_client):
    pushed = CandidateFactory.create_batch(3, interviewer=InterviewerFactory())
    together = history_row(pushed)
    retried = history_row(pushed[:1], http_status=503, outcome=Outcome.RETRY)
    history_row([CandidateFactory()])  # someone else's push
    ids = ",".join(str(c.pk) for c in pushed)

    response = admin_client.get(f"{HISTORY}?candidates__id__in={ids}")

    assert response.status_code == 200
    assert sorted(row.pk for row in response.context["cl"].result_list) == sorted(
        [together.pk, retried.pk]
    )


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
