"""Long lists as staff read them in Chromium: a count that stops at the ceiling and says so,
no 'Show all' on a whole list, the months with requests, and select-all in the same words."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.utils import timezone

from ingestion.models import IngestionRequest
from recruiting import change_lists
from recruiting.models import Candidate
from tests.e2e.conftest import log_in, recruiter, screenshot
from tests.factories import IngestionRequestFactory, InterviewerFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def long_lists(monkeypatch):
    """More candidates and requests than the (lowered) ceiling, over a few months."""
    monkeypatch.setattr(change_lists, "COUNT_CEILING", 120)
    interviewer = InterviewerFactory(name="Backend Engineer")
    Candidate.objects.bulk_create(
        Candidate(interviewer=interviewer, name=f"Candidate {n}", email=f"c{n}@example.com")
        for n in range(130)
    )
    IngestionRequest.objects.bulk_create(
        IngestionRequestFactory.build(
            interviewer=interviewer,
            started_at=timezone.make_aware(datetime(2026, 9 + n % 3, 1 + n % 27, 10)),
        )
        for n in range(130)
    )


def test_a_long_candidate_list_says_how_long_in_plain_words(page, live_server, long_lists):
    recruiter("rita")
    log_in(page, live_server.url, "rita")

    page.goto(f"{live_server.url}/admin/recruiting/candidate/")
    paginator = page.inner_text("p.paginator")
    page.check("#action-toggle")
    offer = page.inner_text(".actions .question")
    page.goto(f"{live_server.url}/admin/recruiting/candidate/?q=Candidate+7")
    searched = page.inner_text("#changelist-search")

    assert "120+ candidates" in paginator
    assert "Show all" not in paginator
    assert page.locator("text=Show all").count() == 1  # beside the search's own count
    assert offer == "Select all 120+ candidates"
    assert "22 results (Show all)" in searched


def test_the_history_offers_the_months_that_have_requests(page, live_server, long_lists):
    recruiter("rita")
    log_in(page, live_server.url, "rita")

    page.goto(f"{live_server.url}/admin/ingestion/ingestionrequest/")
    months = page.inner_text("nav.toplinks")
    screenshot(page, "history-long")
    page.click("text=October 2026")
    page.wait_for_url("**started_at__month=10**")

    assert months.split()[-6:] == ["September", "2026", "October", "2026", "November", "2026"]
    paginator = page.inner_text("p.paginator")
    assert "43 ingestion requests" in paginator
    assert "Show all" not in paginator
