"""The candidate list sorted by Delivery or by Interviewer, as PostgreSQL plans it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recruiting.models import Candidate
from tests.admin_pages import changelist_url
from tests.factories import CandidateFactory, InterviewerFactory

pytestmark = pytest.mark.django_db


def page_plan(client, params: dict[str, str]) -> str:
    """How PostgreSQL reads the page's candidates."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(changelist_url(Candidate), params).status_code == 200
    (sql,) = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT "recruiting_candidate"."id"') and "ORDER BY" in q["sql"]
    ]
    with connection.cursor() as cursor:
        # A few rows make a scan and a sort cheapest: forbid both, so that the plan shows
        # whether an index gives the order (PostgreSQL sorts anyway when none does).
        for setting in ("enable_seqscan", "enable_sort", "enable_incremental_sort"):
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute(f"EXPLAIN {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(
    ("sort", "index"),
    [
        ("6", "candidate_due_order"),
        ("-6", "candidate_due_order"),
        ("3", "unique_candidate_email_per_interviewer"),
        ("-3", "unique_candidate_email_per_interviewer"),
    ],
)
def test_a_sorted_page_is_read_in_the_order_of_an_existing_index(admin_client, sort, index):
    for interviewer in InterviewerFactory.create_batch(2):
        CandidateFactory.create_batch(60, interviewer=interviewer)

    shown = page_plan(admin_client, {"o": sort, "p": "2"})

    assert index in shown, shown
    assert "Sort" not in shown, shown
