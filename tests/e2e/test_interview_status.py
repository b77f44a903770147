"""Status back from InterviewFlowAI in a real browser: the sandbox plays the interviews, staff
follow them, fix an unmatched event, and resend what the Fetch API did not find."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from ingestion.client import IngestionClient
from ingestion.inbound.reconcile import candidates_reconcile
from ingestion.models import WebhookEvent
from recruiting.management.commands.setup_demo import DEMO_INTERVIEWER_ID
from recruiting.models import Candidate
from tests.delivery import eventually
from tests.e2e.conftest import (
    choose_action,
    list_column,
    log_in,
    messages,
    screenshot,
    submit,
    tick,
)
from tests.factories import CandidateFactory, InterviewerFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
State = Candidate.State


@pytest.fixture
def admin_page(page: Page, sandbox: str, settings) -> Page:
    settings.INTERVIEWFLOW_WEBHOOK_TOKEN = "e2e-hook-token"
    UserFactory(username="lead", is_superuser=True)
    log_in(page, sandbox, "lead")
    return page


def test_interviews_played_by_the_sandbox_show_on_the_list_timeline_and_funnel(
    admin_page, sandbox, settings
):
    settings.INTERVIEWFLOW_SANDBOX_EVENTS_SECONDS = 0.3
    interviewer = InterviewerFactory(name="Backend Engineer", external_id=DEMO_INTERVIEWER_ID)
    CandidateFactory(interviewer=interviewer, name="Ada Lovelace", email="ada@example.com")
    CandidateFactory(interviewer=interviewer, name="Alan Turing", email="alan@example.com")
    page = admin_page
    page.goto(f"{sandbox}/admin/recruiting/candidate/")
    tick(page, "Ada Lovelace", "Alan Turing")
    choose_action(page, "push_action")
    eventually(lambda: Candidate.objects.filter(interview_status="report_available").count() == 2)
    page.goto(f"{sandbox}/admin/recruiting/candidate/?interview_status=report_available")
    interviews = list_column(page, "interview_display")
    assert set(interviews) == {"Ada Lovelace", "Alan Turing"}
    assert all(text.startswith("Report available") for text in interviews.values())
    screenshot(page, "interview-status-list")

    submit(page, "#result_list a:text('Ada Lovelace')")
    events = page.locator("#interview-events tr.interview-event")
    assert events.count() == 4
    assert page.locator("#delivery-timeline tr.timeline-entry").count() == 1
    assert "Open the report" in page.inner_text("fieldset:has-text('Interview at InterviewFlowAI')")
    screenshot(page, "interview-timeline")

    page.goto(f"{sandbox}/admin/")
    row = page.locator(f"#dashboard-funnel tr[data-interviewer='{interviewer.pk}']")
    assert row.locator(".funnel-sent").inner_text() == "2"
    assert row.locator(".funnel-report .funnel-count").inner_text() == "2"
    page.locator("#dashboard-funnel").scroll_into_view_if_needed()
    screenshot(page, "interview-funnel")
    submit(page, f"#dashboard-funnel tr[data-interviewer='{interviewer.pk}'] .funnel-report a")
    assert page.locator("#result_list tbody tr").count() == 2


def test_an_unmatched_event_is_highlighted_and_applied_again_once_fixed(admin_page, sandbox):
    interviewer = InterviewerFactory(name="Data Engineer")
    hook = f"{sandbox}/webhooks/interviewflow/e2e-hook-token/"
    body = {"id": "evt-77", "event": "interview.completed", "data": {"email": "grace@example.com"}}
    exchange = IngestionClient(base_url=sandbox, api_key="", timeout=5).deliver_event(hook, body)
    assert exchange.status_code == 200
    page = admin_page
    page.goto(f"{sandbox}/admin/ingestion/webhookevent/")
    row = page.locator("#result_list tbody tr", has_text="evt-77")
    assert row.locator(".event-needs-look").count() == 1
    assert "No candidate has this email" in row.inner_text()
    screenshot(page, "interview-inbox")

    CandidateFactory(interviewer=interviewer, name="Grace Hopper", email="grace@example.com")
    row.locator("input.action-select").check()
    choose_action(page, "apply_again_action")
    assert "1 event applied again: 1 applied." in messages(page)
    assert WebhookEvent.objects.get(event_id="evt-77").state == WebhookEvent.State.APPLIED

    page.goto(f"{sandbox}/admin/interviewflow/")
    assert page.inner_text("#webhook-url-value").endswith("/webhooks/interviewflow/e2e-hook-token/")
    screenshot(page, "interviewflow-settings")


def test_resend_offers_exactly_the_candidates_the_fetch_api_did_not_find(admin_page, sandbox):
    interviewer = InterviewerFactory(name="QA Engineer", external_id=DEMO_INTERVIEWER_ID)
    lost = CandidateFactory(
        interviewer=interviewer, name="Lin Lost", email="lin@example.com", state=State.UNCONFIRMED
    )
    unsure = CandidateFactory(
        interviewer=interviewer, name="Uma Unsure", email="uma@example.com", state=State.UNCONFIRMED
    )
    Candidate.objects.filter(pk=lost.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    candidates_reconcile()
    page = admin_page
    page.goto(f"{sandbox}/admin/recruiting/candidate/?state__exact=unconfirmed")
    assert "safe to resend" in list_column(page, "delivery_display")["Lin Lost"]
    tick(page, "Lin Lost", "Uma Unsure")
    choose_action(page, "resend_action")
    assert "Only the 1 candidate not found at InterviewFlowAI" in page.inner_text("#content-main")
    screenshot(page, "resend-not-found")
    page.check("#id_only_not_found")
    submit(page, "input[name=apply]")
    lost.refresh_from_db()
    unsure.refresh_from_db()
    assert (lost.state, unsure.state) == (State.SENT, State.UNCONFIRMED)
