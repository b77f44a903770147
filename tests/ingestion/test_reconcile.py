"""Unconfirmed pushes settled by the Fetch API, against a strict fake of InterviewFlowAI."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from ingestion.client import FETCH_PATH
from ingestion.inbound.reconcile import candidates_reconcile
from ingestion.models import IngestionRequest, Trigger
from ingestion.tasks import reconcile_candidates_task
from recruiting.models import Candidate
from tests.delivery import fresh, push, queue
from tests.factories import CandidateFactory, InterviewerFactory
from tests.interviewflow_fake import FakeInterviewFlow

pytestmark = pytest.mark.django_db
State = Candidate.State


@pytest.fixture
def fake(api, settings) -> FakeInterviewFlow:
    settings.INTERVIEWFLOW_TIMEOUT = 0.5
    settings.INTERVIEWFLOW_FETCH_PAGE_SIZE = 3
    return FakeInterviewFlow().install(api)


def later(*candidates: Candidate) -> None:
    """As if the reconciliation ran an hour after these candidates were left unconfirmed."""
    Candidate.objects.filter(pk__in=[c.pk for c in candidates]).update(
        updated_at=timezone.now() - timedelta(hours=1)
    )


def reconcile(**options) -> str:
    out = StringIO()
    call_command("reconcile_candidates", stdout=out, stderr=out, **options)
    return out.getvalue()


def test_a_push_that_timed_out_after_the_fake_created_it_is_settled_as_sent(fake):
    fake.ingest_mode = "timeout"
    candidate = CandidateFactory()
    queue(candidate)
    push()
    assert fresh(candidate).state == State.UNCONFIRMED
    later(candidate)
    output = reconcile()
    candidate = fresh(candidate)
    assert candidate.state == State.SENT
    assert candidate.confirmed_at is not None
    assert candidate.not_found_at is None
    assert "1 unconfirmed candidate was found at InterviewFlowAI" in output
    fetches = IngestionRequest.objects.filter(trigger=Trigger.FETCH)
    assert fetches.count() == 1
    assert list(fetches.get().candidates.all()) == [candidate]


def test_a_push_the_fake_refused_with_a_502_ends_marked_safe_to_resend(fake):
    fake.ingest_mode = "502"
    candidate = CandidateFactory()
    queue(candidate)
    push()
    later(candidate)
    output = reconcile()
    candidate = fresh(candidate)
    assert candidate.state == State.UNCONFIRMED
    assert candidate.not_found_at is not None
    assert candidate.safe_to_resend
    assert "safe to resend" in candidate.last_error
    assert "1 unconfirmed candidate was not found" in output


@pytest.mark.parametrize("shape", ["data", "data.candidates", "data.items", "items"])
def test_every_page_is_walked_to_the_end_whatever_the_shape(fake, shape):
    fake.shape = shape
    interviewer = InterviewerFactory()
    emails = [f"p{i}@example.com" for i in range(7)]
    fake.add(str(interviewer.external_id), *emails)
    last = CandidateFactory(interviewer=interviewer, email=emails[-1], state=State.UNCONFIRMED)
    later(last)
    result = candidates_reconcile()
    assert [body["page"] for body in fake.fetches] == [1, 2, 3]
    assert result.pages == 3
    assert fresh(last).state == State.SENT
    assert IngestionRequest.objects.filter(trigger=Trigger.FETCH).count() == 3


def test_a_full_last_page_is_followed_by_an_empty_one(fake):
    interviewer = InterviewerFactory()
    fake.add(str(interviewer.external_id), "a@x.io", "b@x.io", "c@x.io")
    candidate = CandidateFactory(interviewer=interviewer, email="z@x.io", state=State.UNCONFIRMED)
    later(candidate)
    candidates_reconcile()
    assert [body["page"] for body in fake.fetches] == [1, 2]
    assert fresh(candidate).not_found_at is not None


def test_a_walk_that_fails_midway_changes_nothing(fake):
    fake.fail_fetch_page = 2
    interviewer = InterviewerFactory()
    fake.add(str(interviewer.external_id), "a@x.io", "b@x.io", "c@x.io", "d@x.io")
    found = CandidateFactory(interviewer=interviewer, email="a@x.io", state=State.UNCONFIRMED)
    missing = CandidateFactory(interviewer=interviewer, email="q@x.io", state=State.UNCONFIRMED)
    later(found, missing)
    with pytest.raises(CommandError):
        reconcile()
    for candidate in (fresh(found), fresh(missing)):
        assert (candidate.state, candidate.not_found_at) == (State.UNCONFIRMED, None)
    assert IngestionRequest.objects.filter(trigger=Trigger.FETCH, http_status=502).exists()


def test_a_fake_that_never_pages_stops_at_the_cap_and_changes_nothing(api, settings):
    settings.INTERVIEWFLOW_FETCH_PAGE_SIZE = 1
    settings.INTERVIEWFLOW_FETCH_MAX_PAGES = 4
    pages = [{"data": [{"email": f"n{i}@x.io"}]} for i in range(10)]
    for page in pages:
        api.expect_ordered_request(FETCH_PATH, method="POST").respond_with_json(page)
    candidate = CandidateFactory(state=State.UNCONFIRMED)
    later(candidate)
    result = candidates_reconcile()
    assert result.pages == 4
    assert "INTERVIEWFLOW_FETCH_MAX_PAGES" in result.problems[0]
    assert fresh(candidate).not_found_at is None


def test_a_page_repeating_the_last_one_stops_the_walk(api, settings):
    settings.INTERVIEWFLOW_FETCH_PAGE_SIZE = 1
    api.expect_request(FETCH_PATH, method="POST").respond_with_json({"data": [{"email": "s@x.io"}]})
    candidate = CandidateFactory(state=State.UNCONFIRMED)
    later(candidate)
    result = candidates_reconcile()
    assert result.pages == 2
    assert "not paging" in result.problems[0]


def test_an_answer_without_a_list_changes_nothing(api):
    api.expect_request(FETCH_PATH, method="POST").respond_with_json({"data": {"total": 0}})
    candidate = CandidateFactory(state=State.UNCONFIRMED)
    later(candidate)
    assert "without a list" in candidates_reconcile().problems[0]
    assert fresh(candidate).not_found_at is None


def test_a_candidate_unconfirmed_a_moment_ago_is_left_for_later(fake):
    candidate = CandidateFactory(state=State.UNCONFIRMED)
    candidates_reconcile()
    assert fresh(candidate).not_found_at is None
    assert fake.fetches, "the Interviewer was still walked"


def test_a_dry_run_says_what_would_change_and_changes_nothing(fake):
    interviewer = InterviewerFactory()
    fake.add(str(interviewer.external_id), "a@x.io")
    found = CandidateFactory(interviewer=interviewer, email="a@x.io", state=State.UNCONFIRMED)
    later(found)
    output = reconcile(dry_run=True)
    assert "1 unconfirmed candidate would be found" in output
    assert fresh(found).state == State.UNCONFIRMED


def test_only_the_interviewer_asked_for_is_walked(fake):
    one, other = InterviewerFactory(), InterviewerFactory()
    for interviewer in (one, other):
        later(CandidateFactory(interviewer=interviewer, state=State.UNCONFIRMED))
    reconcile(interviewer=str(one.external_id))
    assert [body["interviewerId"] for body in fake.fetches] == [str(one.external_id)]


def test_the_setting_queues_the_candidates_not_found_again(fake, settings):
    settings.INTERVIEWFLOW_RESEND_NOT_FOUND = True
    candidate = CandidateFactory(state=State.UNCONFIRMED)
    later(candidate)
    result = candidates_reconcile()
    assert result.queued_again == 1
    candidate = fresh(candidate)
    assert (candidate.state, candidate.not_found_at) == (State.QUEUED, None)


def test_statuses_missed_by_webhooks_are_refreshed_and_never_moved_back(fake):
    interviewer = InterviewerFactory()
    fake.statuses = {"a@x.io": "completed", "b@x.io": "started"}
    fake.add(str(interviewer.external_id), "a@x.io", "b@x.io")
    now = timezone.now()
    behind = CandidateFactory(
        interviewer=interviewer, email="a@x.io", state=State.SENT, sent_at=now
    )
    ahead = CandidateFactory(
        interviewer=interviewer,
        email="b@x.io",
        state=State.SENT,
        sent_at=now,
        interview_status="in_progress",
    )
    assert candidates_reconcile().refreshed == 1
    assert fresh(behind).interview_status == "completed"
    assert fresh(ahead).interview_status == "in_progress"


def test_the_key_is_sent_and_a_wrong_one_changes_nothing(fake, settings):
    settings.INTERVIEWFLOW_API_KEY = "wrong"
    candidate = CandidateFactory(state=State.UNCONFIRMED)
    later(candidate)
    result = candidates_reconcile()
    assert "rejected the API key" in result.problems[0]
    assert fresh(candidate).not_found_at is None


def test_the_periodic_task_is_installed_and_reconciles(fake):
    task = PeriodicTask.objects.get(name="Reconcile with InterviewFlowAI")
    assert (task.task, task.enabled) == ("ingestion.tasks.reconcile_candidates_task", True)
    candidate = CandidateFactory(state=State.UNCONFIRMED)
    later(candidate)
    summary = reconcile_candidates_task.apply().get()
    assert "1 unconfirmed candidate was not found" in summary
    assert fresh(candidate).safe_to_resend
