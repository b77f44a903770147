"""The Candidate change list: state badges, filters, search, and its query count."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from recruiting.models import Candidate, Interviewer
from recruiting.wording import local_time
from tests.admin_pages import changelist_url, query_count
from tests.factories import CandidateFactory, InterviewerFactory

pytestmark = pytest.mark.django_db

State = Candidate.State


def test_candidate_list_shows_state_badges_and_the_effective_status(admin_client):
    interviewer = InterviewerFactory(visibility=Interviewer.Visibility.PRIVATE)
    CandidateFactory(interviewer=interviewer, state=State.FAILED, last_error="HTTP 400")
    CandidateFactory(interviewer=interviewer, status=Candidate.Status.SHORTLISTED)

    html = admin_client.get(changelist_url(Candidate)).content.decode()

    assert '<span class="state-badge state-failed" title="HTTP 400">Failed</span>' in html
    assert '<span class="state-badge state-new" title="">New</span>' in html
    assert 'Draft <span class="muted">(default)</span>' in html
    assert "Shortlisted" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("state__exact=sent", {"Sent One"}),
        ("status=draft", {"Draft One"}),
        ("status=shortlisted", {"Sent One"}),
        ("status=default", {"Other One"}),
        ("q=draft", {"Draft One"}),
        ("q=OTHER%40example.org", {"Other One"}),
    ],
)
def test_candidate_list_filters_and_search(admin_client, query, expected):
    first, second = InterviewerFactory.create_batch(2)
    CandidateFactory(
        interviewer=first, name="Sent One", state=State.SENT, status=Candidate.Status.SHORTLISTED
    )
    CandidateFactory(interviewer=first, name="Draft One", status=Candidate.Status.DRAFT)
    CandidateFactory(interviewer=second, name="Other One", email="other@example.org")

    response = admin_client.get(f"{changelist_url(Candidate)}?{query}")

    assert {c.name for c in response.context["cl"].result_list} == expected


def test_candidate_list_filters_by_interviewer(admin_client):
    first, second = InterviewerFactory.create_batch(2)
    CandidateFactory(interviewer=first, name="First")
    CandidateFactory(interviewer=second, name="Second")

    response = admin_client.get(f"{changelist_url(Candidate)}?interviewer__id__exact={second.pk}")

    assert [c.name for c in response.context["cl"].result_list] == ["Second"]


def test_candidate_list_queries_do_not_grow_with_the_number_of_candidates(
    admin_client, django_assert_max_num_queries
):
    url = changelist_url(Candidate)
    admin_client.get(url)  # the session and the delivery status row exist from here on
    # Each candidate has an Interviewer of its own: the worst case for the list.
    CandidateFactory.create_batch(5, skills=[])
    with_five = query_count(admin_client, url)
    CandidateFactory.create_batch(45, status=Candidate.Status.DRAFT)

    with django_assert_max_num_queries(with_five):
        response = admin_client.get(url)
    assert len(response.context["cl"].result_list) == 50


def test_the_list_marks_a_draft_that_cannot_be_sent_with_the_reason_on_hover(admin_client):
    screened = InterviewerFactory(resume_screening=True, name="Screened")
    CandidateFactory(interviewer=screened, status=Candidate.Status.SHORTLISTED, name="Blocked")
    CandidateFactory(interviewer=screened, status=Candidate.Status.DRAFT, name="Fine")

    html = admin_client.get(changelist_url(Candidate)).content.decode()

    assert html.count(">Cannot be sent<") == 1
    assert 'class="state-badge state-blocked" title="“Screened” has Resume Screening' in html


def test_the_list_says_when_a_held_candidate_goes_out_and_when_it_is_invited(admin_client):
    later = timezone.now() + timedelta(days=10)
    CandidateFactory(state=State.QUEUED, send_at=later, next_attempt_at=later - timedelta(hours=96))

    html = admin_client.get(changelist_url(Candidate)).content.decode()

    assert f"held until {local_time(later - timedelta(hours=96))}" in html
    assert f"invite at {local_time(later)}" in html
    assert "UTC" in html


@pytest.mark.parametrize(
    ("term", "expected"),
    [("Platform", {"Ada"}), ("ATS-4711", {"Grace"}), ("up-99", {"Alan"}), ("nobody", set())],
)
def test_search_finds_candidates_by_interviewer_metadata_and_upstream_id(
    admin_client, term, expected
):
    platform = InterviewerFactory(name="Platform Engineer")
    CandidateFactory(interviewer=platform, name="Ada")
    CandidateFactory(name="Grace", metadata={"External ID": "ATS-4711"})
    CandidateFactory(name="Alan", upstream_id="up-99")

    response = admin_client.get(f"{changelist_url(Candidate)}?q={term}")

    assert {c.name for c in response.context["cl"].result_list} == expected
    assert "a value in their metadata" in response.content.decode()


def test_the_cannot_be_sent_filter_lists_the_drafts_interviewflowai_would_refuse(admin_client):
    screened = InterviewerFactory(resume_screening=True)
    CandidateFactory(interviewer=screened, status=Candidate.Status.SHORTLISTED, name="Blocked")
    CandidateFactory(interviewer=screened, status=Candidate.Status.DRAFT, name="Fine")
    CandidateFactory(
        interviewer=screened, status=Candidate.Status.SHORTLISTED, name="Gone", state=State.SENT
    )

    response = admin_client.get(f"{changelist_url(Candidate)}?sendable=no")

    assert {c.name for c in response.context["cl"].result_list} == {"Blocked"}
    assert "Cannot be sent as it stands" in response.content.decode()
