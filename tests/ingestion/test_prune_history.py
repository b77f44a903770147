"""Forgetting old history in chunks, while each candidate keeps its latest request."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from ingestion.delivery.housekeeping import history_prune
from ingestion.models import IngestionRequest
from ingestion.tasks import prune_history_task
from tests.factories import CandidateFactory, IngestionRequestFactory, InterviewerFactory

pytestmark = pytest.mark.django_db


def request_for(*candidates, days_ago: int) -> IngestionRequest:
    started_at = timezone.now() - timedelta(days=days_ago)
    return IngestionRequestFactory(
        interviewer=candidates[0].interviewer, started_at=started_at, candidates=list(candidates)
    )


def test_old_requests_go_and_each_candidates_latest_stays_however_old(
    django_assert_max_num_queries,
):
    interviewer = InterviewerFactory()
    ada, grace = CandidateFactory.create_batch(2, interviewer=interviewer)
    gone = [request_for(ada, days_ago=400 - n) for n in range(5)]
    shared_old = request_for(ada, grace, days_ago=300)
    grace_latest = request_for(grace, days_ago=250)
    recent = request_for(ada, days_ago=3)

    deleted = history_prune(older_than=timedelta(days=180), chunk=2)

    assert deleted == 6
    remaining = set(IngestionRequest.objects.values_list("pk", flat=True))
    assert remaining == {grace_latest.pk, recent.pk}
    assert not remaining & {row.pk for row in [*gone, shared_old]}
    assert ada.ingestion_requests.count() == 1 and grace.ingestion_requests.count() == 1


def test_a_candidates_only_request_stays_even_when_old():
    candidate = CandidateFactory()
    only = request_for(candidate, days_ago=1000)

    assert history_prune(older_than=timedelta(days=30)) == 0
    assert IngestionRequest.objects.get() == only


def test_the_command_says_what_it_deleted():
    candidate = CandidateFactory()
    request_for(candidate, days_ago=100)
    request_for(candidate, days_ago=1)
    out = io.StringIO()

    call_command("prune_history", "--older-than", "30", stdout=out)

    assert out.getvalue().strip() == (
        "Deleted 1 request older than 30 days; each candidate's latest request was kept."
    )
    assert IngestionRequest.objects.count() == 1


def test_the_nightly_pruning_is_installed_turned_off_and_uses_the_retention_setting(settings):
    task = PeriodicTask.objects.get(name="Prune the history")
    assert (task.task, task.enabled) == ("ingestion.tasks.prune_history_task", False)

    settings.INTERVIEWFLOW_HISTORY_RETENTION_DAYS = 10
    candidate = CandidateFactory()
    request_for(candidate, days_ago=20)
    request_for(candidate, days_ago=5)
    assert prune_history_task.apply().result == 1
