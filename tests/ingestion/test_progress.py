"""Following a push: the link in the push message, the progress page and its JSON."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from werkzeug import Request, Response

from ingestion.client import INGEST_PATH
from ingestion.delivery.queueing import push_batch_create
from ingestion.models import DeliveryStatus, PushBatch, Trigger
from recruiting.models import Candidate
from tests.admin_pages import link_named, messages_of, run_action, submit_action_page
from tests.factories import CandidateFactory, InterviewerFactory

pytestmark = pytest.mark.django_db

State = Candidate.State


def created(request: Request) -> Response:
    data = [{"id": f"c-{i}", **item} for i, item in enumerate(request.get_json()["data"])]
    return Response(json.dumps({"data": data}), status=201, content_type="application/json")


def progress_url(batch: PushBatch) -> str:
    return reverse("admin:ingestion_push_progress", args=[batch.pk])


def status_url(batch: PushBatch) -> str:
    return reverse("admin:ingestion_push_progress_json", args=[batch.pk])


def test_a_push_returns_at_once_and_its_progress_page_follows_the_worker(
    admin_client, api, django_capture_on_commit_callbacks
):
    api.expect_request(INGEST_PATH, method="POST").respond_with_handler(created)
    candidates = CandidateFactory.create_batch(5, interviewer=InterviewerFactory())

    # The push hands its work to a worker when the transaction commits: hold that hand-over.
    with django_capture_on_commit_callbacks(execute=False) as handed_over:
        response = run_action(admin_client, Candidate, "push_action", candidates)

    assert api.log == []
    (message,) = messages_of(response)
    assert message.startswith("5 candidates queued: they will be sent in the background.")
    page = admin_client.get(link_named(message, "Follow the progress."))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="progress-count-queued">5<' in html
    assert 'data-finished="false"' in html
    assert "Sending: 5 candidates still to go." in html
    status = page.context["status_url"]
    assert admin_client.get(status).json()["counts"]["queued"] == 5

    for callback in handed_over:  # the worker picks the push up
        callback()

    progress = admin_client.get(status).json()
    assert progress["finished"] is True
    assert progress["counts"] == {
        "queued": 0,
        "sending": 0,
        "sent": 5,
        "failed": 0,
        "unconfirmed": 0,
    }
    assert (progress["total"], progress["done"]) == (5, 5)
    assert progress["status"] == "Finished: 5 candidates sent."
    assert len(api.log) == 1


@pytest.mark.django_db(transaction=True)
def test_a_push_finished_in_process_links_to_a_finished_progress_page(admin_client, api):
    api.expect_request(INGEST_PATH, method="POST").respond_with_handler(created)
    candidates = CandidateFactory.create_batch(2, interviewer=InterviewerFactory())

    response = run_action(admin_client, Candidate, "push_action", candidates)

    (message,) = messages_of(response)
    assert message.startswith("2 candidates sent to InterviewFlowAI.")
    page = admin_client.get(link_named(message, "Follow the progress."))
    html = page.content.decode()
    assert re.search(r'id="push-status"[^>]*data-finished="true"', html)
    assert "Finished: 2 candidates sent." in html
    assert 'id="progress-count-sent">2<' in html
    batch = PushBatch.objects.get()
    assert batch.trigger == Trigger.ADMIN
    assert set(batch.candidates.all()) == set(candidates)


def test_progress_counts_exactly_the_candidates_of_that_push(admin_client):
    interviewer = InterviewerFactory()
    mine = [
        CandidateFactory(interviewer=interviewer, state=state)
        for state in (State.QUEUED, State.SENDING, State.SENT, State.SENT, State.FAILED)
    ]
    CandidateFactory.create_batch(3, interviewer=interviewer, state=State.QUEUED)  # another push
    batch = push_batch_create(candidate_ids=[c.pk for c in mine])

    progress = admin_client.get(status_url(batch)).json()

    assert progress["counts"] == {
        "queued": 1,
        "sending": 1,
        "sent": 2,
        "failed": 1,
        "unconfirmed": 0,
    }
    assert (progress["total"], progress["done"], progress["finished"]) == (5, 3, False)


def test_candidates_skipped_by_a_push_are_not_part_of_its_progress(
    admin_client, django_capture_on_commit_callbacks
):
    interviewer = InterviewerFactory()
    new = CandidateFactory(interviewer=interviewer)
    already_sent = CandidateFactory(interviewer=interviewer, state=State.SENT)

    with django_capture_on_commit_callbacks(execute=False):
        run_action(admin_client, Candidate, "push_action", [new, already_sent])

    batch = PushBatch.objects.get()
    assert list(batch.candidates.all()) == [new]
    assert admin_client.get(status_url(batch)).json()["total"] == 1


def test_a_push_that_queued_nothing_makes_no_progress_page(admin_client):
    already_sent = CandidateFactory(state=State.SENT)

    response = run_action(admin_client, Candidate, "push_action", [already_sent])

    assert PushBatch.objects.count() == 0
    assert "Follow the progress." not in " ".join(messages_of(response))


def test_finished_push_with_failures_says_so_and_lists_the_problems(admin_client):
    interviewer = InterviewerFactory()
    sent = CandidateFactory(interviewer=interviewer, state=State.SENT)
    failed = CandidateFactory(
        interviewer=interviewer,
        name="<script>alert('x')</script>",
        state=State.FAILED,
        last_error="InterviewFlowAI refused the candidates (HTTP 400). <b>bad</b>",
    )
    batch = push_batch_create(candidate_ids=[sent.pk, failed.pk])

    page = admin_client.get(progress_url(batch))
    progress = admin_client.get(status_url(batch)).json()

    assert progress["finished"] is True
    assert progress["status"] == "Finished: 1 sent, 1 failed, 0 unconfirmed."
    (problem,) = progress["problems"]
    assert problem["message"].startswith("InterviewFlowAI refused the candidates (HTTP 400).")
    assert problem["url"] == reverse("admin:recruiting_candidate_change", args=[failed.pk])
    html = page.content.decode()
    assert 'data-problems="true"' in html
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "&lt;b&gt;bad&lt;/b&gt;" in html


def test_progress_tells_about_candidates_waiting_for_a_retry(admin_client):
    later = timezone.now() + timedelta(minutes=10)
    waiting = CandidateFactory(state=State.QUEUED, next_attempt_at=later, attempts=1)
    batch = push_batch_create(candidate_ids=[waiting.pk])

    progress = admin_client.get(status_url(batch)).json()

    assert progress["waiting"] == 1
    assert progress["next_attempt_at"] == later.isoformat()
    assert progress["status"] == (
        "Sending: 1 candidate still to go. 1 of them waits for a retry or their scheduled time."
    )


def test_progress_says_when_delivery_is_paused(admin_client):
    DeliveryStatus.objects.create(pk=1, paused_at=timezone.now(), paused_reason="key rejected")
    batch = push_batch_create(candidate_ids=[CandidateFactory(state=State.QUEUED).pk])

    progress = admin_client.get(status_url(batch)).json()

    assert progress["paused"] is True
    assert progress["status"] == "Waiting: delivery is paused because the API key was rejected."


def test_progress_links_to_the_candidates_and_their_history(admin_client):
    interviewer = InterviewerFactory()
    mine = CandidateFactory.create_batch(2, interviewer=interviewer, state=State.SENT)
    CandidateFactory(interviewer=interviewer, state=State.SENT)
    batch = push_batch_create(candidate_ids=[c.pk for c in mine])

    page = admin_client.get(progress_url(batch))

    listed = admin_client.get(page.context["candidates_url"])
    assert set(listed.context["cl"].result_list) == set(mine)
    assert admin_client.get(page.context["history_url"]).status_code == 200


def test_progress_json_is_never_cached(admin_client):
    batch = push_batch_create(candidate_ids=[CandidateFactory().pk])

    response = admin_client.get(status_url(batch))

    assert "no-cache" in response["Cache-Control"]


def test_progress_of_an_unknown_push_is_not_found(admin_client):
    assert admin_client.get(reverse("admin:ingestion_push_progress", args=[999])).status_code == 404
    missing = reverse("admin:ingestion_push_progress_json", args=[999])
    assert admin_client.get(missing).status_code == 404


def test_progress_page_polls_with_a_local_script(admin_client):
    batch = push_batch_create(candidate_ids=[CandidateFactory(state=State.QUEUED).pk])

    html = admin_client.get(progress_url(batch)).content.decode()

    assert '<script src="/static/ingestion/push_progress.js"' in html
    assert f'data-status-url="{status_url(batch)}"' in html


@pytest.mark.django_db(transaction=True)
def test_a_resend_is_followed_as_a_resend(admin_client, api):
    api.expect_request(INGEST_PATH, method="POST").respond_with_handler(created)
    failed = CandidateFactory(state=State.FAILED)
    page = run_action(admin_client, Candidate, "resend_action", [failed])

    response = submit_action_page(admin_client, page, confirm="on")

    assert "Follow the progress." in messages_of(response)[0]
    assert PushBatch.objects.get().trigger == Trigger.RESEND


def push_of(size: int, *, failed: int = 0) -> PushBatch:
    interviewer = InterviewerFactory()
    members = CandidateFactory.create_batch(size, interviewer=interviewer, state=State.SENT)
    members += CandidateFactory.create_batch(
        failed, interviewer=interviewer, state=State.FAILED, last_error="Refused."
    )
    return push_batch_create(candidate_ids=[c.pk for c in members])


def progress_queries(client, batch: PushBatch) -> int:
    client.get(status_url(batch))  # the session and the user, once
    with CaptureQueriesContext(connection) as queries:
        assert client.get(status_url(batch)).status_code == 200
    return len(queries)


def test_progress_asks_the_same_queries_however_large_the_push(admin_client):
    small = progress_queries(admin_client, push_of(2, failed=1))
    large = progress_queries(admin_client, push_of(60, failed=30))

    # The session, the user, the push, one aggregate of every count, the problems, the pause.
    assert small == large == 6


def test_progress_of_a_push_without_problems_reads_no_problems(admin_client):
    batch = push_of(5)

    queries = progress_queries(admin_client, batch)

    assert queries == 5
    progress = admin_client.get(status_url(batch)).json()
    assert (progress["problems"], progress["status"]) == ([], "Finished: 5 candidates sent.")


def test_progress_counts_in_one_pass_what_the_page_shows(admin_client):
    later = timezone.now() + timedelta(minutes=5)
    interviewer = InterviewerFactory()
    members = [
        CandidateFactory(interviewer=interviewer, state=State.QUEUED, next_attempt_at=later),
        CandidateFactory(interviewer=interviewer, state=State.QUEUED, last_error="HTTP 503."),
        CandidateFactory(interviewer=interviewer, state=State.UNCONFIRMED, last_error="Timeout."),
        CandidateFactory(interviewer=interviewer, state=State.NEW, last_error="Old."),
        CandidateFactory(interviewer=interviewer, state=State.SENT),
    ]
    batch = push_batch_create(candidate_ids=[c.pk for c in members])

    progress = admin_client.get(status_url(batch)).json()

    assert progress["counts"] == {
        "queued": 2,
        "sending": 0,
        "sent": 1,
        "failed": 0,
        "unconfirmed": 1,
    }
    assert (progress["other"], progress["done"], progress["finished"]) == (1, 3, False)
    assert (progress["waiting"], progress["next_attempt_at"]) == (1, later.isoformat())
    # Newest first, as before; a candidate moved back to "new" is not a problem of the push.
    assert [p["message"] for p in progress["problems"]] == ["Timeout.", "HTTP 503."]
