"""Runs bounded in time: a worker asked to stop never waits long for its task."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ingestion.client import INGEST_PATH
from ingestion.delivery.queueing import candidates_queue
from ingestion.delivery.sending import candidates_push
from ingestion.models import IngestionRequest, Trigger
from ingestion.tasks import push_candidates_task
from recruiting.models import Candidate
from tests.delivery import queued_ids
from tests.factories import CandidateFactory, InterviewerFactory
from tests.upstream import Upstream

pytestmark = pytest.mark.django_db
State = Candidate.State


@pytest.fixture
def upstream(api, settings) -> Upstream:
    settings.INTERVIEWFLOW_BATCH_SIZE = 1
    handler = Upstream()
    api.expect_request(INGEST_PATH, method="POST").respond_with_handler(handler)
    return handler


def queued(count: int) -> list[int]:
    candidates = CandidateFactory.create_batch(count, interviewer=InterviewerFactory())
    return queued_ids(candidates_queue(candidate_ids=[c.pk for c in candidates]))


def test_a_run_near_its_deadline_sends_one_request_and_leaves_the_rest_queued(upstream):
    ids = queued(3)

    # The timeout is 2 s: a request could not finish before this deadline.
    result = candidates_push(
        candidate_ids=ids, trigger=Trigger.COMMAND, deadline=timezone.now() + timedelta(seconds=1)
    )

    assert (result.requests, result.sent, result.unfinished) == (1, 1, True)
    states = sorted(Candidate.objects.values_list("state", flat=True))
    assert states == [State.QUEUED, State.QUEUED, State.SENT]
    assert not Candidate.objects.filter(claim_token__isnull=False).exists()


def test_a_run_that_finishes_in_time_is_not_unfinished(upstream):
    ids = queued(2)

    result = candidates_push(
        candidate_ids=ids, trigger=Trigger.COMMAND, deadline=timezone.now() + timedelta(minutes=5)
    )

    assert (result.sent, result.unfinished) == (2, False)


def test_a_task_out_of_time_hands_the_rest_to_a_fresh_task(upstream, settings):
    settings.INTERVIEWFLOW_RUN_SECONDS = 1  # every task sends one request, then hands over
    ids = queued(3)

    push_candidates_task.apply(kwargs={"candidate_ids": ids, "trigger": Trigger.ADMIN})

    assert set(Candidate.objects.values_list("state", flat=True)) == {State.SENT}
    assert IngestionRequest.objects.count() == 3
    assert sum(upstream.emails.values()) == 3
