"""The dashboard on the admin index and the paused-delivery banner, in a real browser."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from ingestion.client import Outcome
from ingestion.models import DeliveryStatus, IngestionRequest
from recruiting.models import Candidate
from tests.e2e.conftest import choose_action, log_in, messages, recruiter, screenshot, submit, tick
from tests.factories import CandidateFactory, IngestionRequestFactory, InterviewerFactory

pytestmark = pytest.mark.django_db(transaction=True)

State = Candidate.State
BANNER = ".delivery-paused"


def history_row(*, days_ago: int, candidates: int, **fields: Any) -> IngestionRequest:
    started_at = timezone.now() - timedelta(days=days_ago)
    return IngestionRequestFactory(started_at=started_at, candidate_count=candidates, **fields)


def state_counts(page: Page) -> dict[str, str]:
    return dict(
        page.eval_on_selector_all(
            "#dashboard-states li",
            "items => items.map(i => [i.dataset.state, i.querySelector('.count').innerText])",
        )
    )


def bars(page: Page) -> dict[str, dict[str, str]]:
    """The drawn chart: for each day with deliveries, the value of each of its bars."""
    return page.eval_on_selector_all(
        "#delivery-chart svg g.day",
        """days => Object.fromEntries(days
            .filter(day => day.querySelector('rect'))
            .map(day => [day.dataset.day, Object.fromEntries(
                Array.from(day.querySelectorAll('rect'),
                           bar => [bar.getAttribute('class'), bar.dataset.value]))]))""",
    )


def axis_labels(page: Page) -> list[str]:
    """The candidate counts written beside the chart's horizontal lines, bottom up."""
    return page.locator("#delivery-chart svg > text").all_text_contents()


def test_the_dashboard_shows_candidates_per_state_and_fourteen_days_of_deliveries(page, sandbox):
    interviewer = InterviewerFactory(name="Platform Engineer")
    CandidateFactory.create_batch(2, interviewer=interviewer)
    CandidateFactory.create_batch(5, interviewer=interviewer, state=State.SENT)
    CandidateFactory(interviewer=interviewer, state=State.FAILED)
    CandidateFactory(interviewer=interviewer, state=State.UNCONFIRMED)
    history_row(days_ago=4, candidates=3, interviewer=interviewer)
    history_row(days_ago=1, candidates=2, interviewer=interviewer)
    history_row(
        days_ago=1,
        candidates=1,
        interviewer=interviewer,
        http_status=400,
        outcome=Outcome.REJECTED,
        response_body='{"message": "Validation failed.", '
        '"errors": {"data.0.email": ["The email must be a valid email address."]}}',
    )
    history_row(
        days_ago=0,
        candidates=1,
        interviewer=interviewer,
        http_status=502,
        outcome=Outcome.UNKNOWN,
        response_body="Bad Gateway",
    )
    history_row(days_ago=20, candidates=7, interviewer=interviewer)
    DeliveryStatus.objects.update_or_create(
        pk=1,
        defaults={
            "last_success_at": timezone.now() - timedelta(days=1),
            "last_failure_at": timezone.now(),
        },
    )
    recruiter("ada")

    log_in(page, sandbox, "ada")
    page.wait_for_selector("#delivery-chart svg")

    assert page.inner_text("#dashboard-states h2") == "Candidates by state (9)"
    assert state_counts(page) == {
        "new": "2",
        "queued": "0",
        "sending": "0",
        "sent": "5",
        "failed": "1",
        "unconfirmed": "1",
    }
    today = timezone.localdate()
    day = {n: (today - timedelta(days=n)).isoformat() for n in (0, 1, 4)}
    assert page.locator("#delivery-chart svg g.day").count() == 14
    assert bars(page) == {
        day[4]: {"bar-sent": "3"},
        day[1]: {"bar-sent": "2", "bar-failed": "1"},
        day[0]: {"bar-unconfirmed": "1"},
    }
    assert axis_labels(page) == ["0", "2", "4"]
    first, last = today - timedelta(days=13), today
    day_labels = page.locator("#delivery-chart svg g.day text").all_text_contents()
    assert [day_labels[0], day_labels[-1]] == [f"{first:%b} {first.day}", f"{last:%b} {last.day}"]
    assert page.inner_text("#dashboard-deliveries h2") == (
        "Deliveries in the last 14 days (7 candidates; a candidate sent again counts again)"
    )
    failures = page.locator("#dashboard-failures tr.failure")
    assert failures.count() == 2
    assert "Bad Gateway" in failures.nth(0).inner_text()
    assert "The email must be a valid email address." in failures.nth(1).inner_text()
    assert page.get_attribute("#dashboard-health", "data-health") == "failing"
    assert page.locator(BANNER).count() == 0
    screenshot(page, "dashboard")


def test_a_rejected_key_shows_the_paused_banner_until_delivery_is_resumed(
    page, sandbox, rejected_key
):
    interviewer = InterviewerFactory(name="Platform Engineer")
    CandidateFactory(interviewer=interviewer, name="Katherine Johnson")
    CandidateFactory(interviewer=interviewer, name="Dorothy Vaughan")
    recruiter("ada")
    log_in(page, sandbox, "ada")
    assert page.locator(BANNER).count() == 0

    page.goto(f"{sandbox}/admin/recruiting/candidate/")
    tick(page, "Katherine Johnson", "Dorothy Vaughan")
    choose_action(page, "push_action")

    assert page.is_visible(BANNER)
    assert "InterviewFlowAI rejected the API key (HTTP 401)" in page.inner_text(BANNER)
    assert "InterviewFlowAI rejected the API key (HTTP 401)" in messages(page)
    assert set(Candidate.objects.values_list("state", flat=True)) == {State.QUEUED}
    request = IngestionRequest.objects.get()
    assert (request.http_status, request.outcome) == (401, Outcome.REJECTED)

    page.goto(f"{sandbox}/admin/")
    assert page.get_attribute("#dashboard-health", "data-health") == "paused"
    assert page.inner_text(f"{BANNER} strong") == "Delivery to InterviewFlowAI is paused"
    response = submit(page, f"{BANNER} button")
    assert response.url == f"{sandbox}/admin/"
    assert "Delivery resumed: queued candidates will be sent again." in messages(page)
    assert page.locator(BANNER).count() == 0
    assert page.get_attribute("#dashboard-health", "data-health") == "failing"
    assert not DeliveryStatus.current().paused
