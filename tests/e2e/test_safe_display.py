"""Names that look like HTML are shown as text on every page, and never run."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from ingestion.client import Outcome
from ingestion.models import IngestionRequest
from tests.e2e.conftest import choose_action, log_in, recruiter, submit, tick
from tests.factories import CandidateFactory, InterviewerFactory

pytestmark = pytest.mark.django_db(transaction=True)

SCRIPT = "<script>window.__xss = 1</script>"
IMAGE = '<img src="x" onerror="window.__xss = 2">'
LINK_TEXTS = [f"{SCRIPT} <script@example.com>", f"{IMAGE} <image@example.com>"]


def assert_nothing_ran(page: Page) -> None:
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator("script", has_text="__xss").count() == 0
    assert page.locator("img[onerror]").count() == 0


def test_a_candidate_named_like_a_script_shows_as_text_on_the_list_timeline_and_history(
    page, sandbox, fix_the_key
):
    interviewer = InterviewerFactory(name="Platform Engineer")
    script = CandidateFactory(interviewer=interviewer, name=SCRIPT, email="script@example.com")
    CandidateFactory(interviewer=interviewer, name=IMAGE, email="image@example.com")
    recruiter("ada")
    log_in(page, sandbox, "ada")

    page.goto(f"{sandbox}/admin/recruiting/candidate/")
    names = page.locator("#result_list tbody .field-name a").all_inner_texts()
    assert sorted(names) == sorted([SCRIPT, IMAGE])
    assert_nothing_ran(page)

    tick(page, "__xss = 1", "__xss = 2")
    choose_action(page, "push_action")
    shown = page.inner_text(".messagelist")
    assert f"{SCRIPT} <script@example.com>" in shown
    assert "InterviewFlowAI rejected the API key" in shown
    assert_nothing_ran(page)

    submit(page, "a.push-progress-link")
    problems = page.locator("#push-problems li a")
    assert sorted(problems.all_inner_texts()) == sorted(LINK_TEXTS)
    # The page polls while delivery is paused and writes the problems again itself.
    page.eval_on_selector_all("#push-problems li", "items => items.forEach(i => i.remove())")
    page.wait_for_selector("#push-problems li a")
    assert sorted(problems.all_inner_texts()) == sorted(LINK_TEXTS)
    assert_nothing_ran(page)
    fix_the_key()
    page.wait_for_selector("#push-status[data-finished=true]")
    assert_nothing_ran(page)

    page.goto(f"{sandbox}/admin/recruiting/candidate/{script.pk}/change/")
    timeline = page.locator("#delivery-timeline tr.timeline-entry")
    assert timeline.count() == 2
    assert timeline.nth(0).get_attribute("data-outcome") == Outcome.ACCEPTED
    assert SCRIPT in timeline.nth(0).locator(".timeline-excerpt").inner_text()
    # Sent, so its page is read-only: the name is shown as text there too.
    assert page.inner_text(".field-name .readonly") == SCRIPT
    assert_nothing_ran(page)

    accepted = IngestionRequest.objects.get(outcome=Outcome.ACCEPTED)
    page.goto(f"{sandbox}/admin/ingestion/ingestionrequest/{accepted.pk}/change/")
    links = page.locator(".field-candidate_links a").all_inner_texts()
    assert sorted(links) == sorted(LINK_TEXTS)
    for field in ("request_body_display", "response_body_display"):
        shown = page.inner_text(f".field-{field} pre")
        assert '"name": "<script>window.__xss = 1</script>"' in shown
        assert '"name": "<img src=\\"x\\" onerror=\\"window.__xss = 2\\">"' in shown
    assert_nothing_ran(page)
