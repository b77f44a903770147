"""ATS deliveries where the services decide: the same event arriving several times at once on
PostgreSQL, and a real Celery worker on Redis applying and pushing a delivery."""

from __future__ import annotations

import threading

import pytest
from django import db
from django.db import connection
from django.test import Client

from ingestion.client import INGEST_PATH
from ingestion.models import AtsDelivery
from recruiting.models import Candidate
from tests.ats import connection_with_rule, deliver, greenhouse_stage_change
from tests.factories import InterviewerFactory
from tests.services.conftest import wait_for
from tests.upstream import Upstream

pytestmark = pytest.mark.django_db(transaction=True)
AT_ONCE = 4
JOIN_SECONDS = 60


def test_the_suite_runs_these_on_postgresql():
    assert connection.vendor == "postgresql"


def test_one_event_delivered_several_times_at_once_is_kept_and_pushed_once(api):
    upstream = Upstream()
    api.expect_oneshot_request(INGEST_PATH, method="POST").respond_with_handler(upstream)
    ats = connection_with_rule(InterviewerFactory())
    start = threading.Barrier(AT_ONCE)
    statuses: list[int] = []

    def post() -> None:
        try:
            start.wait()
            answer = deliver(
                Client(), ats, greenhouse_stage_change(), headers={"Greenhouse-Event-ID": "e-1"}
            )
            statuses.append(answer.status_code)
        finally:
            db.connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(AT_ONCE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_SECONDS)

    assert statuses == [200] * AT_ONCE
    assert AtsDelivery.objects.count() == 1
    assert Candidate.objects.get().state == Candidate.State.SENT
    api.check_assertions()
    assert upstream.emails == {"giuseppe.hurley@example.com": 1}


def test_with_a_broker_a_worker_applies_the_delivery_and_pushes_its_candidate(
    api, broker_url, processes, client
):
    upstream = Upstream()
    api.expect_oneshot_request(INGEST_PATH, method="POST").respond_with_handler(upstream)
    ats = connection_with_rule(InterviewerFactory())
    processes(broker_url).worker("ats")

    answer = deliver(client, ats, greenhouse_stage_change(), headers={"Greenhouse-Event-ID": "w"})

    assert answer.status_code == 200
    delivery = AtsDelivery.objects.get()
    wait_for(
        lambda: Candidate.objects.filter(state=Candidate.State.SENT).exists(),
        timeout=60,
        what="the worker to apply the delivery and push its candidate",
    )
    delivery.refresh_from_db()
    assert delivery.state == AtsDelivery.State.APPLIED
    assert delivery.candidate == Candidate.objects.get()
    api.check_assertions()
    assert upstream.emails == {"giuseppe.hurley@example.com": 1}
