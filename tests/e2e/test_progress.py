"""The progress page of a push follows it without being reloaded."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from ingestion.delivery.queueing import push_queue_kept, push_select
from recruiting.models import Candidate
from tests.e2e.conftest import choose_action, log_in, messages, recruiter, screenshot, submit, tick
from tests.factories import CandidateFactory, InterviewerFactory

pytestmark = pytest.mark.django_db(transaction=True)

NAMES = ["Katherine Johnson", "Dorothy Vaughan", "Mary Jackson"]
STATES = ("queued", "sending", "sent", "failed", "unconfirmed")


def progress_counts(page: Page) -> dict[str, str]:
    return {state: page.inner_text(f"#progress-count-{state}") for state in STATES}


def test_the_progress_page_counts_up_by_itself_until_the_push_has_finished(
    page, sandbox, fix_the_key
):
    interviewer = InterviewerFactory(name="Platform Engineer")
    for name in NAMES:
        CandidateFactory(interviewer=interviewer, name=name)
    recruiter("ada")
    log_in(page, sandbox, "ada")
    page.goto(f"{sandbox}/admin/recruiting/candidate/")
    tick(page, *NAMES)
    choose_action(page, "push_action")
    submit(page, "a.push-progress-link")

    assert page.get_attribute("#push-status", "data-finished") == "false"
    assert page.inner_text("#push-status") == (
        "Waiting: delivery is paused because the API key was rejected."
    )
    assert progress_counts(page) == dict.fromkeys(STATES, "0") | {"queued": "3"}
    assert page.locator("#push-problems li").count() == 3
    page.evaluate("window.__loadedOnce = true")

    fix_the_key()

    page.wait_for_selector("#push-status[data-finished=true]")
    assert page.evaluate("window.__loadedOnce") is True
    assert page.inner_text("#push-status") == "Finished: 3 candidates sent."
    assert progress_counts(page) == dict.fromkeys(STATES, "0") | {"sent": "3"}
    assert page.get_attribute("#push-progress-bar", "value") == "3"
    assert page.is_hidden("#push-problems-box")
    assert set(Candidate.objects.values_list("state", flat=True)) == {Candidate.State.SENT}


def test_a_large_push_answers_at_once_and_its_page_shows_the_queueing_then_who_was_left_out(
    page, sandbox, settings
):
    settings.INTERVIEWFLOW_QUEUE_INLINE_MAX = 2
    interviewer = InterviewerFactory(name="Platform Engineer")
    for name in NAMES:
        CandidateFactory(interviewer=interviewer, name=name)
    CandidateFactory(interviewer=interviewer, name="Already Sent", state=Candidate.State.SENT)
    recruiter("ada")
    log_in(page, sandbox, "ada")
    page.goto(f"{sandbox}/admin/recruiting/candidate/")
    tick(page, *NAMES, "Already Sent")
    choose_action(page, "push_action")

    assert messages(page).startswith("4 candidates selected: so many are queued in the background")
    submit(page, "a.push-progress-link")
    page.wait_for_selector("#push-status[data-finished=true]", timeout=20_000)
    assert page.inner_text("#push-status") == "Finished: 3 candidates sent."
    assert "Already Sent" in page.inner_text("#push-left-out")
    screenshot(page, "push-progress-left-out")

    # The same page while a kept push waits for its queueing, then once it is queued.
    kept = push_select(Candidate.objects.filter(name__in=NAMES), user=None, trigger="admin")
    page.goto(sandbox + reverse("admin:ingestion_push_progress", args=[kept.pk]))
    assert page.inner_text("#push-status").startswith("Queueing 3 selected candidates:")
    screenshot(page, "push-progress-queueing")
    with page.expect_navigation():
        push_queue_kept(kept.pk)
    assert "skipped" in page.inner_text("#push-left-out")
