"""The sandbox's test addresses in a real browser: a push that fails, is retried and is left
unconfirmed, and a Resend… that fails again."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from ingestion.models import IngestionRequest, Trigger
from recruiting.management.commands.setup_demo import DEMO_INTERVIEWER_ID
from recruiting.models import Candidate
from tests.e2e.conftest import (
    choose_action,
    list_column,
    log_in,
    messages,
    recruiter,
    submit,
    tick,
)
from tests.factories import InterviewerFactory

pytestmark = pytest.mark.django_db(transaction=True)

DEMO = "Demo: Backend Engineer"
CANDIDATES = {
    "Ana Refused": "ana+fail400@example.com",
    "Ben Later": "ben+fail503@example.com",
    "Cy Unsure": "cy+fail502@example.com",
}


def add_candidate(page: Page, base_url: str, name: str, email: str, interviewer: str) -> None:
    """Add a candidate by hand, choosing the Interviewer in the autocomplete as staff do."""
    page.goto(f"{base_url}/admin/recruiting/candidate/add/")
    page.click(".field-interviewer .select2-selection")
    page.fill(".select2-search__field", interviewer.split()[0])
    page.click(f".select2-results__option:has-text('{interviewer}')")
    page.fill("#id_name", name)
    page.fill("#id_email", email)
    submit(page, "input[name=_save]")
    assert "was added successfully" in messages(page)


def test_test_addresses_end_failed_retried_and_unconfirmed_and_a_resend_fails_again(
    page, sandbox, settings
):
    settings.INTERVIEWFLOW_SANDBOX_INTERVIEWER_IDS = [DEMO_INTERVIEWER_ID]
    # One candidate a request, so that each gets its own address's answer.
    settings.INTERVIEWFLOW_BATCH_SIZE = 1
    InterviewerFactory(name=DEMO, external_id=DEMO_INTERVIEWER_ID)
    ada = recruiter("ada")
    log_in(page, sandbox, "ada")

    submit(page, "#sandbox-link")
    tags = page.eval_on_selector_all("tr.sandbox-address", "rows => rows.map(r => r.dataset.tag)")
    assert {"fail400", "fail502", "fail503"} <= set(tags)
    for name, email in CANDIDATES.items():
        add_candidate(page, sandbox, name, email, DEMO)

    page.goto(f"{sandbox}/admin/recruiting/candidate/")
    tick(page, *CANDIDATES)
    choose_action(page, "push_action")
    said = messages(page)
    assert "1 candidate failed." in said
    assert "1 candidate unconfirmed." in said
    assert "(Ben Later <ben+fail503@example.com>): InterviewFlowAI is unavailable for now" in said
    assert "Ana Refused <ana+fail400@example.com>, email: The sandbox refuses every" in said
    assert states(page) == {
        "Ana Refused": "Failed",
        "Ben Later": "Queued",
        "Cy Unsure": "Unconfirmed",
    }

    ben = Candidate.objects.get(name="Ben Later")
    assert ben.attempts == 1
    assert ben.next_attempt_at > ben.updated_at
    row = page.locator("#result_list tbody tr", has_text="Ben Later")
    assert "1 attempt · retry at " in row.locator(".field-delivery_display").inner_text()

    submit(page, "#result_list tbody tr th a:has-text('Ana Refused')")
    reason = page.inner_text(".field-last_error .readonly")
    assert reason == (
        "InterviewFlowAI refused the candidates (HTTP 400). It said: Validation failed. Ana "
        "Refused <ana+fail400@example.com>, email: The sandbox refuses every address tagged "
        "+fail400."
    )
    assert reason in page.inner_text("#delivery-timeline")

    page.goto(f"{sandbox}/admin/recruiting/candidate/")
    tick(page, "Cy Unsure")
    choose_action(page, "resend_action")
    assert page.inner_text("h1") == "Send the selected candidates again"
    assert "Cy Unsure <cy+fail502@example.com>" in page.inner_text(".action-selection")
    page.check("#id_confirm")
    submit(page, "input[name=apply]")
    assert "1 candidate unconfirmed." in messages(page)
    assert states(page)["Cy Unsure"] == "Unconfirmed"

    cy = Candidate.objects.get(name="Cy Unsure")
    assert cy.resend_requested_by == ada
    requests = IngestionRequest.objects.filter(candidates=cy).order_by("pk")
    assert [(r.trigger, r.http_status) for r in requests] == [
        (Trigger.ADMIN, 502),
        (Trigger.RESEND, 502),
    ]


def states(page: Page) -> dict[str, str]:
    """Each candidate's state, as its badge in the list's Delivery column says it."""
    return {
        name: text.splitlines()[0] for name, text in list_column(page, "delivery_display").items()
    }
