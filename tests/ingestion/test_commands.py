"""push_candidates and resend_failed, run as cron would run them."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from pytest_httpserver import HTTPServer

from ingestion.client import INGEST_PATH
from ingestion.delivery.claims import leases_recover
from ingestion.delivery.queueing import candidates_queue
from ingestion.delivery.sending import candidates_push
from ingestion.models import DeliveryStatus, IngestionRequest, Trigger
from recruiting.models import Candidate
from tests.delivery import held
from tests.factories import CandidateFactory, InterviewerFactory
from tests.upstream import Upstream

pytestmark = pytest.mark.django_db
State = Candidate.State


def run(name: str, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(name, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def answering(api: HTTPServer, status: int, body: dict) -> None:
    api.clear()
    api.expect_request(INGEST_PATH, method="POST").respond_with_json(body, status=status)


def queued(*candidates: Candidate) -> list[Candidate]:
    assert candidates_queue(candidate_ids=[c.pk for c in candidates]).invalid == {}
    return list(candidates)


def states(*candidates: Candidate) -> list[str]:
    return [Candidate.objects.get(pk=c.pk).state for c in candidates]


# --- push_candidates ----------------------------------------------------------------------------


def test_push_candidates_sends_what_is_due_and_prints_a_summary(upstream: Upstream):
    backend, data = InterviewerFactory(), InterviewerFactory()
    candidates = queued(*CandidateFactory.create_batch(2, interviewer=backend))
    candidates += queued(CandidateFactory(interviewer=data))
    later = CandidateFactory()
    queued(later)
    Candidate.objects.filter(pk=later.pk).update(
        next_attempt_at=timezone.now() + timedelta(hours=1)
    )

    out, err = run("push_candidates")

    assert out.splitlines()[-1] == (
        "3 candidates sent, 0 will be retried, 0 failed, 0 unconfirmed (2 requests)."
    )
    assert err == ""
    assert states(*candidates) == [State.SENT] * 3
    assert states(later) == [State.QUEUED]
    assert set(IngestionRequest.objects.values_list("trigger", flat=True)) == {Trigger.COMMAND}


def test_push_candidates_with_nothing_due_says_so(upstream: Upstream):
    out, _ = run("push_candidates")

    assert (
        out.strip() == "0 candidates sent, 0 will be retried, 0 failed, 0 unconfirmed (0 requests)."
    )
    assert upstream.bodies == []


def test_push_candidates_reports_failures_in_words(api: HTTPServer):
    answering(api, 400, {"message": "Validation failed."})
    queued(CandidateFactory())

    out, err = run("push_candidates")

    assert "1 failed" in out
    assert "InterviewFlowAI refused the candidates (HTTP 400). It said: Validation failed." in err


def test_push_candidates_dry_run_sends_nothing(upstream: Upstream):
    interviewer = InterviewerFactory()
    candidates = queued(*CandidateFactory.create_batch(3, interviewer=interviewer))
    queued(CandidateFactory(interviewer=interviewer, status=Candidate.Status.DRAFT))

    out, _ = run("push_candidates", "--dry-run")

    assert out.strip() == "Dry run: 4 candidates due, in 2 requests. Nothing was sent."
    assert upstream.bodies == []
    assert states(*candidates) == [State.QUEUED] * 3
    assert not IngestionRequest.objects.exists()


@pytest.mark.parametrize("identify", ["pk", "external_id", "name"])
def test_push_candidates_for_one_interviewer_sends_only_its_candidates(
    upstream: Upstream, identify: str
):
    chosen = InterviewerFactory(name="Site Reliability Engineer")
    mine, other = queued(CandidateFactory(interviewer=chosen), CandidateFactory())

    run("push_candidates", "--interviewer", str(getattr(chosen, identify)))

    assert sorted(upstream.emails) == [mine.email]
    assert states(mine, other) == [State.SENT, State.QUEUED]


def test_push_candidates_for_an_unknown_interviewer_fails(upstream: Upstream):
    with pytest.raises(CommandError, match="No Interviewer has the id or name “nobody”"):
        run("push_candidates", "--interviewer", "nobody")


@pytest.mark.parametrize("command", ["push_candidates", "resend_failed"])
def test_a_name_two_interviewers_share_is_refused_and_nothing_is_sent(
    upstream: Upstream, command: str
):
    first, second = InterviewerFactory.create_batch(2, name="Backend Engineer")
    candidates = queued(CandidateFactory(interviewer=first), CandidateFactory(interviewer=second))
    failed = CandidateFactory(interviewer=first, state=State.FAILED)

    with pytest.raises(CommandError) as refused:
        run(command, "--interviewer", "backend engineer")

    assert str(refused.value) == (
        "2 Interviewers are called “backend engineer”: give the interviewer id shown in "
        "InterviewFlowAI instead of the name."
    )
    assert upstream.bodies == []
    assert states(*candidates, failed) == [State.QUEUED, State.QUEUED, State.FAILED]


def test_push_candidates_fails_when_the_key_is_rejected_and_keeps_the_candidates(
    api: HTTPServer,
):
    answering(api, 401, {"message": "Invalid API key."})
    candidates = queued(*CandidateFactory.create_batch(2))

    with pytest.raises(CommandError, match="rejected the API key"):
        run("push_candidates")

    assert states(*candidates) == [State.QUEUED] * 2
    assert DeliveryStatus.current().paused

    # Run again from cron: still refused, and nothing is sent with the paused key.
    api.clear()
    with pytest.raises(CommandError, match="paused"):
        run("push_candidates")
    assert api.log == []


def test_push_candidates_shows_progress_on_a_long_run(upstream: Upstream, settings):
    settings.INTERVIEWFLOW_BATCH_SIZE = 2  # a first claim of 6 candidates, then 20 at a time
    queued(*CandidateFactory.create_batch(45, interviewer=InterviewerFactory()))

    out, _ = run("push_candidates")

    lines = out.splitlines()
    assert lines[0].startswith("… 6 of 45 handled: 6 candidates sent")
    assert lines[1].startswith("… 26 of 45 handled: 26 candidates sent")
    assert (
        lines[-1] == "45 candidates sent, 0 will be retried, 0 failed, 0 unconfirmed (23 requests)."
    )


def test_push_candidates_dry_run_counts_the_due_candidates_that_would_not_be_sent(
    upstream: Upstream,
):
    interviewer = InterviewerFactory()
    queued(*CandidateFactory.create_batch(2, interviewer=interviewer))
    interviewer.resume_screening = True
    interviewer.save()

    out, _ = run("push_candidates", "--dry-run")

    assert "Dry run: 0 candidates due, in 0 requests. Nothing was sent." in out
    assert "2 due candidates would not be sent: they fail validation" in out
    assert upstream.bodies == []


# --- resend_failed ------------------------------------------------------------------------------


# The command sends from its own process, committing as it goes: these tests run with real
# commits, as cron would.
resend_db = pytest.mark.django_db(transaction=True)


@resend_db
def test_resend_failed_resends_failed_candidates_only(upstream: Upstream):
    failed = CandidateFactory(state=State.FAILED, attempts=7, last_error="Gave up.")
    unconfirmed = CandidateFactory(state=State.UNCONFIRMED)
    sent = CandidateFactory(state=State.SENT)

    out, _ = run("resend_failed")

    assert out.strip() == "1 candidate sent to InterviewFlowAI."
    assert sorted(upstream.emails) == [failed.email]
    assert states(failed, unconfirmed, sent) == [State.SENT, State.UNCONFIRMED, State.SENT]
    assert IngestionRequest.objects.get().trigger == Trigger.RESEND


@resend_db
def test_resend_failed_includes_unconfirmed_candidates_when_asked(upstream: Upstream):
    failed = CandidateFactory(state=State.FAILED)
    unconfirmed = CandidateFactory(state=State.UNCONFIRMED)

    out, _ = run("resend_failed", "--include-unconfirmed")

    assert out.strip() == "2 candidates sent to InterviewFlowAI."
    assert sorted(upstream.emails) == sorted([failed.email, unconfirmed.email])


@resend_db
def test_resend_failed_dry_run_says_what_it_would_resend_and_sends_nothing(upstream: Upstream):
    failed = CandidateFactory.create_batch(2, state=State.FAILED)
    unconfirmed = CandidateFactory(state=State.UNCONFIRMED)

    out, _ = run("resend_failed", "--dry-run")
    out_all, _ = run("resend_failed", "--dry-run", "--include-unconfirmed")

    assert out.strip() == "Dry run: 2 candidates would be resent."
    assert out_all.strip() == "Dry run: 3 candidates would be resent."
    assert upstream.bodies == []
    assert states(*failed, unconfirmed) == [State.FAILED] * 2 + [State.UNCONFIRMED]


@resend_db
def test_resend_failed_for_one_interviewer(upstream: Upstream):
    chosen = InterviewerFactory()
    mine = CandidateFactory(interviewer=chosen, state=State.FAILED)
    other = CandidateFactory(state=State.FAILED)

    run("resend_failed", "--interviewer", str(chosen.external_id))

    assert sorted(upstream.emails) == [mine.email]
    assert states(mine, other) == [State.SENT, State.FAILED]


def _long_ago(*candidates: Candidate) -> None:
    """Created and last edited ten days ago."""
    ten_days_ago = timezone.now() - timedelta(days=10)
    Candidate.objects.filter(pk__in=[c.pk for c in candidates]).update(
        created_at=ten_days_ago, updated_at=ten_days_ago
    )


@resend_db
def test_resend_failed_since_takes_what_failed_recently(api: HTTPServer, settings):
    settings.INTERVIEWFLOW_BATCH_SIZE = 1
    # Both were written ten days ago; one failed then, the other failed just now.
    old_failure = CandidateFactory(state=State.FAILED, last_error="Refused.")
    recent_failure, recent_unknown = CandidateFactory(), CandidateFactory()
    _long_ago(old_failure, recent_failure, recent_unknown)
    answering(api, 400, {"message": "Validation failed."})
    queued(recent_failure)
    candidates_push(trigger=Trigger.COMMAND)
    answering(api, 502, {"message": "Bad gateway."})
    queued(recent_unknown)
    candidates_push(trigger=Trigger.COMMAND)
    assert states(recent_failure, recent_unknown) == [State.FAILED, State.UNCONFIRMED]

    out_1d, _ = run("resend_failed", "--dry-run", "--since", "1d")
    out_all, _ = run("resend_failed", "--dry-run", "--since", "1d", "--include-unconfirmed")
    since = (timezone.now() - timedelta(hours=1)).isoformat()
    out_iso, _ = run("resend_failed", "--dry-run", "--since", since)
    out_20d, _ = run("resend_failed", "--dry-run", "--since", "20d")

    assert out_1d.strip() == "Dry run: 1 candidate would be resent."
    assert out_all.strip() == "Dry run: 2 candidates would be resent."
    assert out_iso.strip() == "Dry run: 1 candidate would be resent."
    assert out_20d.strip() == "Dry run: 2 candidates would be resent."


@resend_db
def test_resend_failed_since_takes_a_worker_that_died_recently():
    abandoned = CandidateFactory()
    held(abandoned, expired=True, in_flight=(abandoned,))
    _long_ago(abandoned)
    assert leases_recover().unconfirmed == 1

    out, _ = run("resend_failed", "--dry-run", "--include-unconfirmed", "--since", "1h")

    assert out.strip() == "Dry run: 1 candidate would be resent."


@resend_db
def test_resend_failed_refuses_a_since_it_cannot_read():
    with pytest.raises(CommandError, match="--since takes a date-time or a duration"):
        run("resend_failed", "--since", "last tuesday")


@resend_db
def test_resend_failed_names_the_candidates_it_could_not_resend(upstream: Upstream):
    invalid = CandidateFactory(state=State.FAILED, email="not-an-email", name="Broken Row")

    out, err = run("resend_failed")

    # Checked just before sending: it fails again, for its reason, and nothing goes out.
    assert "1 candidate failed." in err
    assert "1 candidate (Broken Row <not-an-email>): " in out
    assert "not a valid email address" in out
    assert states(invalid) == [State.FAILED]
    assert upstream.bodies == []


@resend_db
def test_resend_failed_fails_and_says_so_while_delivery_is_paused(upstream: Upstream):
    failed = CandidateFactory(state=State.FAILED)
    DeliveryStatus.objects.update_or_create(pk=1, defaults={"paused_at": timezone.now()})

    with pytest.raises(CommandError, match="paused"):
        run("resend_failed")

    assert upstream.bodies == []
    assert states(failed) == [State.QUEUED]


# --- delivery_sweep ------------------------------------------------------------------------------


def test_delivery_sweep_recovers_abandoned_sends_and_sends_what_is_due(upstream: Upstream):
    due = queued(CandidateFactory())
    abandoned = CandidateFactory()
    never_sent = CandidateFactory(interviewer=due[0].interviewer)
    held(abandoned, never_sent, expired=True, in_flight=(abandoned,))

    out, _ = run("delivery_sweep")

    assert out.splitlines() == [
        "1 abandoned send marked unconfirmed (in a request in flight), 1 queued again (never "
        "sent).",
        "2 candidates sent, 0 will be retried, 0 failed, 0 unconfirmed (1 request).",
    ]
    assert states(*due, abandoned, never_sent) == [State.SENT, State.UNCONFIRMED, State.SENT]
    sent = sorted(item["email"] for body in upstream.bodies for item in body["data"])
    assert sent == sorted([due[0].email, never_sent.email])
