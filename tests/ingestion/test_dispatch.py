"""Dispatch: without a broker, a large push goes on in a thread and the page answers at once."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from celery.signals import task_postrun

from ingestion.client import INGEST_PATH
from ingestion.dispatch import candidates_push_request
from recruiting.models import Candidate
from tests.delivery import on_an_sqlite_file
from tests.factories import CandidateFactory, InterviewerFactory
from tests.upstream import Upstream

pytestmark = pytest.mark.django_db
State = Candidate.State


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_a_large_push_goes_on_in_the_background(api, settings, tmp_path: Path):
    settings.INTERVIEWFLOW_INLINE_PUSH_LIMIT = 2
    # Long enough that the background request never times out while the gate is shut.
    settings.INTERVIEWFLOW_TIMEOUT = 10
    # The stand-in API answers only once the gate opens: a push that waited for the answer
    # would not return before it.
    gate = threading.Event()
    upstream = Upstream(gate=gate)
    api.expect_request(INGEST_PATH, method="POST").respond_with_handler(upstream)
    candidates = CandidateFactory.create_batch(3, interviewer=InterviewerFactory())

    # The push thread and this one use the database at once, as a web process does.
    with on_an_sqlite_file(tmp_path):
        try:
            result = candidates_push_request(
                candidate_ids=[c.pk for c in candidates], trigger="admin"
            )

            # The request answered before the upstream did; the batch follows the push.
            assert upstream.answered == 0
            states = set(Candidate.objects.values_list("state", flat=True))
            assert states <= {State.QUEUED, State.SENDING}
            assert result.batch is not None and result.batch.candidates.count() == 3
        finally:
            gate.set()
        deadline = time.monotonic() + 20
        while Candidate.objects.exclude(state=State.SENT).exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert set(Candidate.objects.values_list("state", flat=True)) == {State.SENT}
        assert (len(upstream.bodies), upstream.answered) == (1, 1)


def test_a_push_is_handed_over_a_task_per_thousand_candidates_claiming_through_the_push(
    api, settings, django_capture_on_commit_callbacks
):
    settings.INTERVIEWFLOW_INLINE_PUSH_LIMIT = 10_000  # in this thread, task after task
    upstream = Upstream()
    api.expect_request(INGEST_PATH, method="POST").respond_with_handler(upstream)
    interviewer = InterviewerFactory()
    Candidate.objects.bulk_create(
        Candidate(interviewer=interviewer, name=f"Many {n}", email=f"many{n}@example.com")
        for n in range(2500)
    )
    ran: list[tuple[dict, str]] = []

    def finished(kwargs: dict, retval: str, **_: object) -> None:
        ran.append((kwargs, retval))

    task_postrun.connect(finished, weak=False)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            result = candidates_push_request(candidate_ids=Candidate.objects.all(), trigger="admin")
    finally:
        task_postrun.disconnect(finished)

    # Each task names the push, never its candidates, and takes at most 1,000 of them.
    assert [kwargs for kwargs, _ in ran] == [
        {"push_batch_id": result.batch.pk, "limit": 1000, "trigger": "admin", "user_id": None}
    ] * 3
    assert [summary.split(" sent")[0] for _, summary in ran] == [
        "1000 candidates",
        "1000 candidates",
        "500 candidates",
    ]
    assert Candidate.objects.filter(state=State.SENT).count() == 2500
    assert len(upstream.emails) == 2500 and max(upstream.emails.values()) == 1
