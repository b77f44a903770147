"""The candidate list sorted by Delivery or by Interviewer reads an index's order."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from recruiting.change_lists import indexed_ordering
from recruiting.models import Candidate
from tests.admin_pages import changelist_url
from tests.factories import CandidateFactory, InterviewerFactory

pytestmark = pytest.mark.django_db

State = Candidate.State
DELIVERY, INTERVIEWER = 6, 3  # their places in the list, after the selection's checkbox


def listed(client, sort: str) -> tuple[list[Candidate], str]:
    """The candidates of the first page in the order shown, and the SQL that read them."""
    with CaptureQueriesContext(connection) as queries:
        page = client.get(changelist_url(Candidate), {"o": sort})
    (read,) = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT "recruiting_candidate"."id"') and "ORDER BY" in q["sql"]
    ]
    return list(page.context["cl"].result_list), read


def test_sorting_by_delivery_reads_state_then_next_attempt_then_id(admin_client):
    soon = timezone.now() + timedelta(minutes=1)
    later = soon + timedelta(hours=1)
    interviewer = InterviewerFactory()
    sent = CandidateFactory(interviewer=interviewer, state=State.SENT)
    queued_later = CandidateFactory(
        interviewer=interviewer, state=State.QUEUED, next_attempt_at=later
    )
    failed = CandidateFactory(interviewer=interviewer, state=State.FAILED)
    queued_soon = CandidateFactory(
        interviewer=interviewer, state=State.QUEUED, next_attempt_at=soon
    )

    ascending, sql = listed(admin_client, str(DELIVERY))
    descending, _ = listed(admin_client, f"-{DELIVERY}")

    assert ascending == [failed, queued_soon, queued_later, sent]
    assert descending == ascending[::-1]
    table = '"recruiting_candidate"'
    assert sql.endswith(
        f'ORDER BY {table}."state" ASC, {table}."next_attempt_at" ASC, {table}."id" ASC'
    )


def test_sorting_by_interviewer_groups_each_interviewers_candidates_by_email(admin_client):
    first, second = InterviewerFactory(name="Zoe"), InterviewerFactory(name="Adam")
    b = CandidateFactory(interviewer=second, email="b@example.com")
    a_first = CandidateFactory(interviewer=first, email="a@example.com")
    c_first = CandidateFactory(interviewer=first, email="c@example.com")
    a = CandidateFactory(interviewer=second, email="a@example.com")

    ascending, sql = listed(admin_client, str(INTERVIEWER))
    descending, _ = listed(admin_client, f"-{INTERVIEWER}")

    # In the order the Interviewers were added (the unique constraint's order), not by name.
    assert ascending == [a_first, c_first, a, b]
    assert descending == ascending[::-1]
    table = '"recruiting_candidate"'
    assert sql.endswith(f'ORDER BY {table}."interviewer_id" ASC, {table}."email" ASC')


def test_a_state_filter_still_finds_the_candidates_in_one_delivery_state(admin_client):
    failed = CandidateFactory(state=State.FAILED)
    CandidateFactory(state=State.SENT)

    page = admin_client.get(changelist_url(Candidate), {"state__exact": "failed"})

    assert list(page.context["cl"].result_list) == [failed]


def test_the_columns_sorted_by_an_index_still_show_as_sorted(admin_client):
    CandidateFactory()

    html = admin_client.get(changelist_url(Candidate), {"o": f"-{DELIVERY}"}).content.decode()

    assert 'class="sortable column-delivery_display sorted descending"' in html


def test_an_index_order_replaces_the_field_and_whatever_followed_it():
    orders = {"state": ("state", "next_attempt_at", "id")}

    assert indexed_ordering(["-email", "-state", "-pk"], orders) == [
        "-email",
        "-state",
        "-next_attempt_at",
        "-id",
    ]
    assert indexed_ordering(["name", "-pk"], orders) == ["name", "-pk"]
