"""The lists staff read most fit a 1366 px laptop screen: no column behind a sideways scroll."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ingestion.client import Outcome
from recruiting.models import Candidate
from tests.e2e.conftest import log_in, recruiter, screenshot
from tests.factories import CandidateFactory, IngestionRequestFactory, InterviewerFactory

pytestmark = pytest.mark.django_db(transaction=True)
State = Candidate.State


def overflow(page) -> dict[str, int]:
    """How far the result table reaches past the page's width, and the widths compared."""
    return page.evaluate(
        """() => {
            const table = document.querySelector('#result_list');
            return {table: Math.ceil(table.getBoundingClientRect().right),
                    page: document.documentElement.clientWidth,
                    scroll: document.documentElement.scrollWidth};
        }"""
    )


@pytest.fixture
def busy_lists():
    interviewer = InterviewerFactory(name="Senior Platform Engineer, Data Infrastructure")
    soon = timezone.now() + timedelta(minutes=7)
    for n, state in enumerate([State.NEW, State.QUEUED, State.SENT, State.FAILED] * 3):
        CandidateFactory(
            interviewer=interviewer,
            name=f"Bartholomew Featherstonehaugh-Smythe {n}",
            email=f"bartholomew.featherstonehaugh.smythe.{n}@very-long-company-name.example.com",
            skills=["python", "kubernetes", "postgresql", "terraform"],
            state=state,
            attempts=3,
            next_attempt_at=soon,
        )
        IngestionRequestFactory(
            interviewer=interviewer,
            candidate_count=100,
            outcome=Outcome.REJECTED,
            http_status=422,
            duration_ms=12345,
        )


@pytest.mark.parametrize("model", ["recruiting/candidate", "ingestion/ingestionrequest"])
def test_the_list_fits_a_laptop_screen(page, live_server, busy_lists, model):
    recruiter("rita")
    log_in(page, live_server.url, "rita")

    page.goto(f"{live_server.url}/admin/{model}/")

    widths = overflow(page)
    if model == "recruiting/candidate":
        screenshot(page, "list-candidate")
    assert widths["table"] <= widths["page"], widths
    assert widths["scroll"] <= widths["page"], widths
