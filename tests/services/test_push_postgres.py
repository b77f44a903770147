"""What a push costs PostgreSQL: each write of a candidate and the indexes it touches."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta
from unittest.mock import patch

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ingestion.client import INGEST_PATH
from ingestion.delivery import chunks
from ingestion.delivery.claims import candidates_claim, claim_for_request
from ingestion.delivery.selectors import due_candidates
from ingestion.models import Claim, DeliveryStatus, IngestionRequest
from recruiting.id_lists import pk_among
from recruiting.models import Candidate
from tests.delivery import push, queue
from tests.factories import CandidateFactory, InterviewerFactory
from tests.upstream import Upstream

pytestmark = pytest.mark.django_db
TABLE = Candidate._meta.db_table


def test_the_suite_runs_these_on_postgresql():
    assert connection.vendor == "postgresql"


def updates_in_this_transaction() -> tuple[int, int]:
    """The candidate rows updated so far in the test's transaction, and how many in place."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_stat_get_xact_tuples_updated(%s::regclass), "
            "pg_stat_get_xact_tuples_hot_updated(%s::regclass)",
            [TABLE, TABLE],
        )
        return cursor.fetchone()


@pytest.mark.django_db(transaction=True)
def test_the_in_flight_stamp_writes_the_claim_alone_never_a_candidate():
    candidates = CandidateFactory.create_batch(3, interviewer=InterviewerFactory())
    queue(*candidates)
    token, claimed = candidates_claim(due_candidates())

    with transaction.atomic():
        before, _ = updates_in_this_transaction()
        assert claim_for_request(claimed, token=token)
        after, _ = updates_in_this_transaction()

    assert after == before
    assert sorted(Claim.objects.get().in_flight) == sorted(c.pk for c in candidates)


def test_the_candidate_table_leaves_room_in_its_pages_for_those_updates():
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [TABLE])
        (options,) = cursor.fetchone()
    assert "fillfactor=85" in options


def test_deleting_a_user_finds_the_candidates_whose_resend_they_asked_from_an_index():
    user = get_user_model().objects.create_user("recruiter")
    CandidateFactory.create_batch(3, resend_requested_by=user)
    found = Candidate.objects.filter(resend_requested_by_id__in=[user.pk])
    sql, params = found.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        shown = "\n".join(row[0] for row in cursor.fetchall())

    assert "candidate_resend_requested_by" in shown, shown
    user.delete()
    assert not Candidate.objects.filter(resend_requested_by__isnull=False).exists()


def test_a_list_of_ids_is_one_array_parameter_whatever_its_length():
    found = CandidateFactory.create_batch(3)
    ids = [c.pk for c in found]

    for among in (ids[:1], ids, [*ids, *range(10**6, 10**6 + 1000)]):
        sql, params = Candidate.objects.filter(pk_among(among)).query.sql_with_params()
        assert '"id" = ANY(%s::bigint[])' in sql
        assert len(params) == 1
    assert set(Candidate.objects.filter(pk_among(ids[1:]))) == set(found[1:])


def test_a_sent_batch_keeps_each_id_given_and_its_links_each_list_one_parameter(api, settings):
    settings.INTERVIEWFLOW_BATCH_SIZE = 3
    candidates = CandidateFactory.create_batch(3, interviewer=InterviewerFactory())
    # InterviewFlowAI gives ids for two of the three, one of them with quotes, a backslash
    # and an accent that a literal would have to escape; the third keeps none.
    odd = 'ifa-"{0}\\é'
    given = {"data": [{"email": c.email, "id": odd.format(c.pk)} for c in candidates[:2]]}
    api.expect_request(INGEST_PATH, method="POST").respond_with_json(given, status=201)
    queue(*candidates)

    result = push()

    assert result.sent == 3
    ids = dict(Candidate.objects.values_list("pk", "upstream_id"))
    assert ids == {
        candidates[0].pk: odd.format(candidates[0].pk),
        candidates[1].pk: odd.format(candidates[1].pk),
        candidates[2].pk: "",
    }
    request = IngestionRequest.objects.get()
    assert sorted(request.candidates.values_list("pk", flat=True)) == sorted(ids)


def test_an_accepted_batch_is_recorded_in_one_statement_as_elsewhere_in_four(api, settings):
    settings.INTERVIEWFLOW_BATCH_SIZE = 3
    user = get_user_model().objects.create_user("recruiter")
    interviewer = InterviewerFactory()
    candidates = CandidateFactory.create_batch(3, interviewer=interviewer)
    # The API failed a minute ago: the success is noted at once, not after HEALTH_EVERY.
    failed_at = timezone.now() - timedelta(minutes=1)
    DeliveryStatus.objects.create(
        pk=1, last_success_at=failed_at - timedelta(minutes=1), last_failure_at=failed_at
    )
    api.expect_request(INGEST_PATH, method="POST").respond_with_handler(Upstream())
    queue(*candidates)

    with CaptureQueriesContext(connection) as queries:
        result = push(user=user)

    recording = [q["sql"] for q in queries if "ingestion_ingestionrequest" in q["sql"]]
    assert len(recording) == 1
    assert all(table in recording[0] for table in ("recruiting_candidate", "deliverystatus"))
    assert result.sent == 3
    request = IngestionRequest.objects.get()
    posted = api.log[0][0].get_json()
    assert (request.interviewer, request.user, request.trigger) == (interviewer, user, "command")
    assert (request.request_body, request.candidate_count, request.http_status) == (posted, 3, 201)
    assert request.outcome == "accepted" and '"data"' in request.response_body
    assert sorted(request.candidates.values_list("pk", flat=True)) == sorted(
        c.pk for c in candidates
    )
    for candidate in Candidate.objects.all():
        assert (candidate.state, candidate.attempts, candidate.claim_token) == ("sent", 1, None)
        assert candidate.upstream_id == f"id-{candidate.email}"
        assert candidate.sent_at == candidate.updated_at >= request.started_at
    assert DeliveryStatus.current().last_success_at > failed_at


@pytest.mark.django_db(transaction=True)
def test_the_next_chunk_is_claimed_ahead_and_given_back_when_the_run_stops(api, settings):
    settings.INTERVIEWFLOW_BATCH_SIZE = 2  # a chunk is 20 candidates
    upstream = Upstream()
    api.expect_request(INGEST_PATH, method="POST").respond_with_handler(upstream)
    candidates = CandidateFactory.create_batch(50, interviewer=InterviewerFactory())
    queue(*candidates)
    claimed_ahead = threading.Event()
    original = chunks.chunk_take

    def take(*args, **kwargs):
        chunk = original(*args, **kwargs)
        if threading.current_thread() is not threading.main_thread():
            claimed_ahead.set()  # the second chunk, on the claim's own thread
        return chunk

    def stop() -> bool:
        # Asked to stop once the first request is out and the next chunk was claimed.
        return claimed_ahead.wait(timeout=10)

    with patch.object(chunks, "chunk_take", take):
        result = push(stop=stop)

    assert claimed_ahead.is_set()
    assert (result.sent, result.unfinished) == (2, True)
    states = Counter(Candidate.objects.values_list("state", flat=True))
    assert states == Counter({Candidate.State.SENT: 2, Candidate.State.QUEUED: 48})
    assert not Claim.objects.exists()
