"""Delivery through real Celery workers on Redis, with PostgreSQL as the source of truth."""

from __future__ import annotations

import signal
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from ingestion.delivery.housekeeping import delivery_sweep
from ingestion.delivery.queueing import candidates_queue
from ingestion.dispatch import candidates_push_request
from ingestion.models import Claim, IngestionRequest, Trigger
from ingestion.tasks import push_candidates_task
from recruiting.models import Candidate
from tests.delivery import claims_expire
from tests.factories import CandidateFactory, InterviewerFactory
from tests.services.conftest import use_broker, wait_for
from tests.upstream import Upstream

pytestmark = pytest.mark.django_db(transaction=True)
State = Candidate.State


def unfinished() -> int:
    return Candidate.objects.filter(state__in=[State.QUEUED, State.SENDING]).count()


def test_a_worker_on_redis_delivers_what_staff_push(api, ingest_path, broker_url, processes):
    upstream = Upstream()
    api.expect_request(ingest_path, method="POST").respond_with_handler(upstream)
    candidates = CandidateFactory.create_batch(5, interviewer=InterviewerFactory())
    processes(broker_url).worker("solo")

    result = candidates_push_request(
        candidate_ids=[c.pk for c in candidates], trigger=Trigger.ADMIN
    )

    assert result.dispatched
    wait_for(lambda: unfinished() == 0, timeout=60, what="the worker to send")
    assert set(Candidate.objects.values_list("state", flat=True)) == {State.SENT}
    assert upstream.emails == Counter({c.email: 1 for c in candidates})
    assert IngestionRequest.objects.get().candidates.count() == 5


def test_four_workers_and_two_commands_send_each_of_2000_candidates_once(
    api, ingest_path, broker_url, processes, settings
):
    settings.INTERVIEWFLOW_BATCH_SIZE = 25
    upstream = Upstream()
    api.expect_request(ingest_path, method="POST").respond_with_handler(upstream)
    interviewers = InterviewerFactory.create_batch(2)
    Candidate.objects.bulk_create(
        Candidate(interviewer=interviewers[n % 2], name=f"Racer {n}", email=f"racer{n}@example.com")
        for n in range(2000)
    )
    ids = list(Candidate.objects.values_list("pk", flat=True))
    group = processes(broker_url)
    for number in range(4):
        group.worker(f"racer{number}")
    assert candidates_queue(candidate_ids=ids).queued == 2000

    # Every worker is handed every candidate, and two cron runs start at the same time.
    for _ in range(4):
        push_candidates_task.delay(candidate_ids=ids, trigger=Trigger.ADMIN)
    commands = [group.command(f"cron{n}", "push_candidates") for n in range(2)]

    wait_for(lambda: unfinished() == 0, timeout=240, what="every candidate to be sent")
    for command in commands:
        assert command.wait(timeout=120) == 0
    assert len(upstream.emails) == 2000
    assert max(upstream.emails.values()) == 1
    assert Candidate.objects.filter(state=State.SENT).count() == 2000
    assert IngestionRequest.objects.count() == len(upstream.bodies)


def test_a_worker_killed_mid_request_leaves_candidates_unconfirmed_not_lost(
    api, ingest_path, broker_url, processes, settings
):
    settings.INTERVIEWFLOW_TIMEOUT = 2
    upstream = Upstream(delay=6)
    api.expect_request(ingest_path, method="POST").respond_with_handler(upstream)
    candidates = CandidateFactory.create_batch(3, interviewer=InterviewerFactory())
    group = processes(broker_url)
    worker = group.worker("doomed")

    candidates_push_request(candidate_ids=[c.pk for c in candidates], trigger=Trigger.ADMIN)
    assert upstream.arrived.wait(timeout=60), "the worker never sent its request"
    group.kill(worker)

    assert set(Candidate.objects.values_list("state", flat=True)) == {State.SENDING}
    lease_end = Claim.objects.get().lease_expires_at
    time.sleep(max(0.0, (lease_end - timezone.now()).total_seconds()) + 1)
    wait_for(
        lambda: delivery_sweep() is not None and unfinished() == 0,
        timeout=30,
        what="the sweep to recover the abandoned claim",
    )

    assert set(Candidate.objects.values_list("state", flat=True)) == {State.UNCONFIRMED}
    assert "may have been created" in Candidate.objects.first().last_error
    assert len(upstream.bodies) == 1, "an unconfirmed candidate must not be resent on its own"


def test_candidates_pushed_while_the_broker_is_down_go_out_when_it_returns(
    api, ingest_path, processes, private_redis
):
    upstream = Upstream()
    api.expect_request(ingest_path, method="POST").respond_with_handler(upstream)
    candidates = CandidateFactory.create_batch(4, interviewer=InterviewerFactory())
    use_broker(private_redis.url)
    group = processes(private_redis.url)
    group.worker("patient")
    private_redis.stop()

    result = candidates_push_request(
        candidate_ids=[c.pk for c in candidates], trigger=Trigger.ADMIN
    )

    assert not result.dispatched
    assert set(Candidate.objects.values_list("state", flat=True)) == {State.QUEUED}
    private_redis.start()
    # The schedule the migration installs (flushed between transactional tests), last run
    # a while ago so that beat runs it at once rather than in a minute.
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.update_or_create(
        name="Deliver due candidates and recover abandoned sends",
        defaults={
            "task": "ingestion.tasks.delivery_sweep_task",
            "interval": every_minute,
            "last_run_at": timezone.now() - timedelta(minutes=5),
        },
    )
    group.spawn(
        "beat",
        [
            "-m",
            "celery",
            "-A",
            "recruiting",
            "beat",
            "--loglevel=INFO",
            "--scheduler=django_celery_beat.schedulers:DatabaseScheduler",
        ],
    )
    wait_for(lambda: unfinished() == 0, timeout=120, what="the sweep to send after the broker")
    assert set(Candidate.objects.values_list("state", flat=True)) == {State.SENT}
    assert upstream.emails == Counter({c.email: 1 for c in candidates})


def test_a_worker_asked_to_stop_finishes_its_request_and_hands_the_rest_back(
    api, ingest_path, broker_url, processes, settings
):
    settings.INTERVIEWFLOW_BATCH_SIZE = 1
    settings.INTERVIEWFLOW_TIMEOUT = 5  # unhurried: its task could send all six in time
    upstream = Upstream(delay=1.5)
    api.expect_request(ingest_path, method="POST").respond_with_handler(upstream)
    candidates = CandidateFactory.create_batch(6, interviewer=InterviewerFactory())
    group = processes(broker_url)
    worker = group.worker("stopping")

    candidates_push_request(candidate_ids=[c.pk for c in candidates], trigger=Trigger.ADMIN)
    assert upstream.arrived.wait(timeout=60), "the worker never sent its request"
    asked = time.monotonic()
    worker.send_signal(signal.SIGTERM)  # a warm shutdown, as a platform stops a worker
    worker.wait(timeout=30)

    # It waited for the request on the wire (1.5 s), not for the 5 others (7.5 s more).
    assert time.monotonic() - asked < 6
    assert len(upstream.bodies) == 1
    states = Counter(Candidate.objects.values_list("state", flat=True))
    assert states == Counter({State.SENT: 1, State.QUEUED: 5}), Path(worker.log_path).read_text()

    group.worker("successor")
    wait_for(lambda: unfinished() == 0, timeout=120, what="the next worker to send the rest")
    assert upstream.emails == Counter({c.email: 1 for c in candidates})


def test_a_push_killed_in_its_first_request_leaves_one_batch_unconfirmed_and_the_rest_is_sent(
    api, ingest_path, broker_url, processes, settings
):
    gate = threading.Event()
    upstream = Upstream(gate=gate)
    api.expect_request(ingest_path, method="POST").respond_with_handler(upstream)
    interviewer = InterviewerFactory()
    Candidate.objects.bulk_create(
        Candidate(interviewer=interviewer, name=f"Doomed {n}", email=f"doomed{n}@example.com")
        for n in range(1000)
    )
    assert candidates_queue(candidate_ids=Candidate.objects.all()).queued == 1000
    group = processes(broker_url)
    run = group.command("doomed", "push_candidates")

    assert upstream.arrived.wait(timeout=60), "the run never sent its first request"
    wait_for(
        lambda: Claim.objects.count() == 2,
        timeout=30,
        what="the run to take its next chunk while the first request is out",
    )
    time.sleep(1)  # time enough to stamp or post another batch, were it to
    group.kill(run)
    gate.set()

    # It had claimed all 1,000 (its first chunk, and the next one taken meanwhile) and
    # stamped only the batch on the wire.
    assert Candidate.objects.filter(state=State.SENDING).count() == 1000
    assert sorted(len(claim.in_flight) for claim in Claim.objects.all()) == [0, 100]
    claims_expire()
    result = delivery_sweep()

    assert (result.recovered, result.requeued, result.sent) == (100, 900, 900)
    states = Counter(Candidate.objects.values_list("state", flat=True))
    assert states == Counter({State.SENT: 900, State.UNCONFIRMED: 100})
    assert len(upstream.bodies) == 10
    assert max(upstream.emails.values()) == 1
