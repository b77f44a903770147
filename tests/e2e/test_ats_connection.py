"""An ATS connection set up in a real browser: a rule added inline, the URL to paste, the
test event's outcome in words, then a real signed delivery read in the inbox."""

from __future__ import annotations

import pytest
from django.test import Client

from ingestion.models import AtsConnection, AtsDelivery
from recruiting.models import Candidate
from tests.ats import deliver, greenhouse_stage_change
from tests.e2e.conftest import log_in, messages, screenshot, submit
from tests.e2e.test_import_mapping import look_at
from tests.factories import InterviewerFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_connection_is_set_up_tested_and_its_deliveries_read(page, sandbox):
    InterviewerFactory(name="Designer AI interview")
    UserFactory(username="boss", is_superuser=True)
    log_in(page, sandbox, "boss")

    page.goto(f"{sandbox}/admin/ingestion/atsconnection/add/")
    page.fill("#id_name", "Greenhouse")
    page.select_option("#id_kind", "greenhouse")
    page.fill("#id_rules-0-stage", "AI Interview")
    page.click("#rules-0 .field-interviewer .select2-selection")
    page.fill(".select2-search__field", "Designer")
    page.click(".select2-results__option:has-text('Designer AI interview')")
    submit(page, "input[name=_continue]")

    connection = AtsConnection.objects.get()
    assert connection.slug == "greenhouse"
    url = page.inner_text("#ats-webhook-url")
    assert url == f"{sandbox}/webhooks/ats/greenhouse/"
    assert "Candidate has changed stage" in page.inner_text("#ats-set-up-help")

    submit(page, "#ats-test-button")
    said = messages(page)
    assert "The test event was accepted (HTTP 200)" in said
    assert "would make Test Candidate a candidate of “Designer AI interview”" in said
    assert not Candidate.objects.exists()
    screenshot(page, "ats-test-event")

    body = greenhouse_stage_change(stage="AI Interview")
    assert deliver(Client(), connection, body, secret=connection.secret).status_code == 200
    assert Candidate.objects.get().state == Candidate.State.SENT
    page.goto(f"{sandbox}/admin/ingestion/atsdelivery/")
    rows = page.inner_text("#result_list")
    assert "New candidate Giuseppe Hurley" in rows
    assert "Queued for InterviewFlowAI." in rows
    assert "Test event" in page.inner_text("#result_list .state-ats-test")
    assert AtsDelivery.objects.count() == 2
    screenshot(page, "ats-deliveries")


def test_any_other_sender_reads_the_json_to_post_on_the_page(page, sandbox):
    UserFactory(username="boss", is_superuser=True)
    connection = AtsConnection.objects.create(
        name="Zapier", slug="zapier", kind=AtsConnection.Kind.GENERIC, secret="s3"
    )
    log_in(page, sandbox, "boss")
    page.goto(f"{sandbox}/admin/ingestion/atsconnection/{connection.pk}/change/")

    example = page.locator("#ats-example")
    assert '"email": "linus@example.com"' in example.inner_text()
    assert example.evaluate("e => e.scrollWidth <= e.clientWidth")
    look_at(page, "ats-connection-generic")
