"""A push of more candidates than the page should wait for: kept as chosen, queued by a task."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from ingestion.client import INGEST_PATH
from ingestion.delivery.housekeeping import delivery_sweep
from ingestion.dispatch import candidates_push_request
from ingestion.models import PushBatch, Trigger
from ingestion.tasks import queue_push_task
from recruiting.models import Candidate
from tests.admin_pages import link_named, messages_of, run_action
from tests.factories import CandidateFactory, InterviewerFactory
from tests.upstream import Upstream

pytestmark = pytest.mark.django_db
State = Candidate.State


@pytest.fixture
def many(settings) -> dict[str, Any]:
    """Five candidates, more than a push queues inline here: three to send and two not."""
    settings.INTERVIEWFLOW_QUEUE_INLINE_MAX = 2
    interviewer = InterviewerFactory()
    return {
        "new": CandidateFactory.create_batch(3, interviewer=interviewer),
        "sent": CandidateFactory(interviewer=interviewer, state=State.SENT, name="Already Sent"),
        "closed": CandidateFactory(interviewer=InterviewerFactory(active=False), name="Closed"),
    }


def test_the_selection_is_kept_untouched_and_its_progress_says_it_is_being_queued(
    many, admin_client
):
    result = candidates_push_request(candidate_ids=Candidate.objects.all(), trigger=Trigger.ADMIN)

    assert (result.selected, result.queued) == (5, 0)
    batch = PushBatch.objects.get()
    assert (batch.queueing, batch.candidate_count, batch.candidates.count()) == (True, 5, 5)
    assert Candidate.objects.filter(state=State.QUEUED).count() == 0
    progress = admin_client.get(reverse("admin:ingestion_push_progress_json", args=[batch.pk]))
    assert progress.json()["queueing"] is True
    assert progress.json()["finished"] is False
    assert progress.json()["status"].startswith("Queueing 5 selected candidates:")


def test_its_task_queues_what_may_be_sent_and_keeps_why_the_rest_was_not(
    many, admin_client, api, settings
):
    upstream = Upstream()
    api.expect_request(INGEST_PATH, method="POST").respond_with_handler(upstream)
    result = candidates_push_request(candidate_ids=Candidate.objects.all(), trigger=Trigger.ADMIN)

    queue_push_task.apply(kwargs={"push_batch_id": result.batch.pk})
    queue_push_task.apply(kwargs={"push_batch_id": result.batch.pk})  # delivered twice

    batch = PushBatch.objects.get()
    assert (batch.queueing, batch.candidate_count) == (False, 3)
    assert {c.pk for c in batch.candidates.all()} == {c.pk for c in many["new"]}
    assert sorted(len(body["data"]) for body in upstream.bodies) == [3]
    assert set(
        Candidate.objects.filter(pk__in=[c.pk for c in many["new"]]).values_list("state", flat=True)
    ) == {State.SENT}
    texts = " ".join(line["text"] for line in batch.left_out)
    assert "Already Sent" in texts and "Closed" in texts
    page = admin_client.get(reverse("admin:ingestion_push_progress", args=[batch.pk]))
    assert "Not queued" in page.content.decode()
    assert "Already Sent" in page.content.decode()


def test_the_admin_answers_at_once_with_the_way_to_its_progress(many, admin_client):
    response = run_action(admin_client, Candidate, "push_action", list(Candidate.objects.all()))

    (message,) = messages_of(response)
    assert message.startswith("5 candidates selected: so many are queued in the background")
    progress = admin_client.get(link_named(message, "Follow the progress."))
    assert progress.status_code == 200
    assert "Queueing 5 selected candidates" in progress.content.decode()


def test_the_sweep_queues_a_kept_push_whose_task_was_lost(many, api):
    upstream = Upstream()
    api.expect_request(INGEST_PATH, method="POST").respond_with_handler(upstream)
    result = candidates_push_request(candidate_ids=Candidate.objects.all(), trigger=Trigger.ADMIN)
    PushBatch.objects.update(created_at=timezone.now() - timedelta(minutes=2))

    sweep = delivery_sweep()

    assert sweep.sent == 3
    assert PushBatch.objects.get(pk=result.batch.pk).queueing is False


def test_a_selection_within_the_limit_is_queued_before_the_page_answers(many, settings):
    settings.INTERVIEWFLOW_QUEUE_INLINE_MAX = 10

    result = candidates_push_request(candidate_ids=Candidate.objects.all(), trigger=Trigger.ADMIN)

    assert (result.selected, result.queued) == (0, 3)
    assert PushBatch.objects.get().queueing is False
