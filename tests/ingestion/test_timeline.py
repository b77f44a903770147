"""The candidate's requests on its change page, and how stored JSON and responses are shown."""

from __future__ import annotations

import html
import json
import re
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ingestion.client import Outcome
from ingestion.delivery.timeline import TIMELINE_ROWS, response_excerpt
from recruiting.models import Candidate
from tests.factories import CandidateFactory, IngestionRequestFactory, UserFactory

pytestmark = pytest.mark.django_db


def request_row(candidates: list[Candidate], *, minutes_ago: int = 0, **fields: Any):
    return IngestionRequestFactory(
        interviewer=candidates[0].interviewer,
        candidates=candidates,
        started_at=timezone.now() - timedelta(minutes=minutes_ago),
        **fields,
    )


def change_page(client, candidate: Candidate):
    return client.get(reverse("admin:recruiting_candidate_change", args=[candidate.pk]))


def test_the_change_page_lists_every_request_the_candidate_was_in(admin_client):
    candidate = CandidateFactory()
    other = CandidateFactory(interviewer=candidate.interviewer)
    failed = request_row(
        [candidate, other],
        minutes_ago=30,
        outcome=Outcome.REJECTED,
        http_status=422,
        response_body=json.dumps({"message": "Validation failed.", "errors": {"email": ["bad"]}}),
    )
    accepted = request_row([candidate], response_body=json.dumps({"data": [{"id": "c-1"}]}))
    request_row([other])

    response = change_page(admin_client, candidate)

    timeline = response.context["delivery_timeline"]
    assert [entry.request for entry in timeline.entries] == [accepted, failed]
    html = response.content.decode()
    assert html.count('class="timeline-entry"') == 2
    for row in (accepted, failed):
        link = reverse("admin:ingestion_ingestionrequest_change", args=[row.pk])
        assert f'href="{link}"' in html
    assert '<td class="http-status">422</td>' in html
    assert "InterviewFlowAI refused the candidates (HTTP 422)." in html
    assert "{&quot;data&quot;: [{&quot;id&quot;: &quot;c-1&quot;}]}" in html


def test_a_transport_error_shows_its_class_and_message(admin_client):
    candidate = CandidateFactory()
    request_row(
        [candidate],
        outcome=Outcome.UNKNOWN,
        http_status=None,
        error_class="ReadTimeout",
        error_message="Read timed out. (read timeout=10)",
    )

    html = change_page(admin_client, candidate).content.decode()

    assert "ReadTimeout: Read timed out. (read timeout=10)" in html
    assert "No answer from InterviewFlowAI after sending" in html


def test_a_candidate_never_sent_has_an_empty_timeline(admin_client):
    html = change_page(admin_client, CandidateFactory()).content.decode()

    assert 'id="timeline-empty"' in html


def test_a_long_history_shows_the_latest_requests_and_links_to_all(admin_client):
    candidate = CandidateFactory()
    rows = [request_row([candidate], minutes_ago=minutes) for minutes in range(TIMELINE_ROWS + 2)]

    response = change_page(admin_client, candidate)

    timeline = response.context["delivery_timeline"]
    assert timeline.total == TIMELINE_ROWS + 2
    assert [entry.request for entry in timeline.entries] == rows[:TIMELINE_ROWS]
    all_link = re.search(r'href="([^"]+)" id="timeline-all"', response.content.decode())
    listed = admin_client.get(html.unescape(all_link.group(1)))
    assert listed.context["cl"].result_count == TIMELINE_ROWS + 2


def test_the_change_page_queries_do_not_grow_with_the_number_of_requests(
    admin_client, django_assert_max_num_queries
):
    candidate = CandidateFactory()

    def add_requests(count: int) -> None:
        # Refused, so each row's problem is rebuilt from its body; each by a user of its own.
        for _ in range(count):
            request_row(
                [candidate],
                user=UserFactory(),
                outcome=Outcome.REJECTED,
                http_status=422,
                request_body={"data": [{"name": candidate.name, "email": candidate.email}]},
                response_body=json.dumps({"message": "Validation failed."}),
            )

    change_page(admin_client, candidate)  # the session and the delivery status row exist now
    add_requests(3)
    with CaptureQueriesContext(connection) as with_three:
        assert change_page(admin_client, candidate).status_code == 200
    add_requests(27)

    with django_assert_max_num_queries(len(with_three)):
        response = change_page(admin_client, candidate)
    assert len(response.context["delivery_timeline"].entries) == 30
    assert response.content.decode().count(" by user") == 30


def test_the_timeline_escapes_responses_and_names(admin_client):
    candidate = CandidateFactory(name="<script>alert('n')</script>")
    request_row(
        [candidate],
        outcome=Outcome.REJECTED,
        http_status=400,
        response_body="<html><script>alert('r')</script></html>",
    )

    html = change_page(admin_client, candidate).content.decode()

    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;r&#x27;)&lt;/script&gt;" in html


def test_staff_without_the_history_permission_see_no_timeline(client):
    user = UserFactory()
    user.user_permissions.set(Permission.objects.filter(codename="view_candidate"))
    client.force_login(user)
    candidate = CandidateFactory()
    request_row([candidate], response_body="upstream detail")

    response = change_page(client, candidate)

    assert response.status_code == 200
    assert 'id="delivery-timeline"' not in response.content.decode()


def test_the_add_page_has_no_timeline(admin_client):
    response = admin_client.get(reverse("admin:recruiting_candidate_add"))

    assert response.status_code == 200
    assert 'id="delivery-timeline"' not in response.content.decode()


def test_response_excerpts_are_one_line_and_short():
    assert response_excerpt('{\n  "a": 1\n}') == '{"a": 1}'
    assert response_excerpt("line one\n\n   line two") == "line one line two"
    assert len(response_excerpt("x" * 1000)) == 300


# --- safe display of the history ----------------------------------------------------------------


def test_the_history_shows_bodies_pretty_printed_and_escaped(admin_client):
    candidate = CandidateFactory(name="<script>alert('n')</script>")
    row = request_row(
        [candidate],
        outcome=Outcome.REJECTED,
        http_status=400,
        request_body={"data": [{"name": candidate.name, "email": candidate.email}]},
        response_body=json.dumps({"message": "<img src=x onerror=alert(1)>"}),
    )

    response = admin_client.get(reverse("admin:ingestion_ingestionrequest_change", args=[row.pk]))

    html = response.content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&quot;name&quot;: &quot;&lt;script&gt;alert(&#x27;n&#x27;)&lt;/script&gt;&quot;" in html
    assert '{\n  "message": "&lt;img src=x onerror=alert(1)&gt;"\n}' in html.replace("&quot;", '"')


def test_the_history_shows_a_response_that_is_not_json_as_escaped_text(admin_client):
    row = request_row(
        [CandidateFactory()],
        outcome=Outcome.UNKNOWN,
        http_status=502,
        response_body="<html><body><script>alert(1)</script>Bad gateway</body></html>",
    )

    response = admin_client.get(reverse("admin:ingestion_ingestionrequest_change", args=[row.pk]))

    html = response.content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Bad gateway" in html
