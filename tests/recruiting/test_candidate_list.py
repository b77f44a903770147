"""The Candidate change list: state badges, filters, search, and its query count."""

from __future__ import annotations

import pytest

from recruiting.models import Candidate, Interviewer
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
    assert 'draft <span class="muted">(default)</span>' in html
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
