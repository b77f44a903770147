"""The dashboard on the admin index, driven through Django's test client."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ingestion.client import Outcome
from ingestion.delivery import dashboard
from ingestion.models import DeliveryStatus, IngestionRequest
from recruiting.models import Candidate
from tests.factories import (
    CandidateFactory,
    IngestionRequestFactory,
    InterviewerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

State = Candidate.State
INDEX = reverse("admin:index")


def request_row(*, days_ago: float = 0, candidates: int = 1, **fields: Any) -> IngestionRequest:
    started_at = timezone.now() - timedelta(days=days_ago)
    return IngestionRequestFactory(started_at=started_at, candidate_count=candidates, **fields)


def chart_data(html: str) -> list[dict[str, Any]]:
    found = re.search(
        r'<script id="delivery-chart-data" type="application/json">(.*?)</script>', html
    )
    assert found, "no chart data on the page"
    return json.loads(found.group(1))


def staff_with(*codenames: str):
    user = UserFactory()
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


def test_dashboard_counts_candidates_per_state_linked_to_the_filtered_list(admin_client):
    CandidateFactory.create_batch(3, state=State.SENT)
    CandidateFactory(state=State.FAILED)
    CandidateFactory()

    response = admin_client.get(INDEX)

    assert response.status_code == 200
    counts = {item.state: item.count for item in response.context["dashboard"].states}
    assert counts == {
        State.NEW: 1,
        State.QUEUED: 0,
        State.SENDING: 0,
        State.SENT: 3,
        State.FAILED: 1,
        State.UNCONFIRMED: 0,
    }
    html = response.content.decode()
    assert 'id="dashboard-states"' in html
    assert "Candidates by state (5)" in html
    changelist = reverse("admin:recruiting_candidate_changelist")
    assert f'href="{changelist}?state__exact=sent">Sent <span class="count">3</span>' in html
    # The link leads to exactly those candidates.
    listed = admin_client.get(f"{changelist}?state__exact=sent")
    assert listed.context["cl"].result_count == 3


def test_dashboard_charts_fourteen_days_of_candidates_by_request_outcome(admin_client):
    request_row(days_ago=0, candidates=5)
    request_row(days_ago=0, candidates=2, outcome=Outcome.REJECTED, http_status=400)
    request_row(days_ago=0, candidates=1, outcome=Outcome.RETRY, http_status=503)
    request_row(days_ago=3, candidates=4, outcome=Outcome.UNKNOWN, http_status=502)
    request_row(days_ago=3, candidates=7)
    request_row(days_ago=20, candidates=100)  # older than the chart

    html = admin_client.get(INDEX).content.decode()

    days = chart_data(html)
    assert len(days) == 14
    today = timezone.localdate()
    assert days[-1] == {"day": today.isoformat(), "sent": 5, "failed": 3, "unconfirmed": 0}
    three_days_ago = (today - timedelta(days=3)).isoformat()
    assert {"day": three_days_ago, "sent": 7, "failed": 0, "unconfirmed": 4} in days
    assert sum(day["sent"] + day["failed"] + day["unconfirmed"] for day in days) == 19
    assert days[0]["day"] == (today - timedelta(days=13)).isoformat()
    # The same figures as a table, for readers without JavaScript.
    assert (
        f'<tr data-day="{today.isoformat()}"><td>{today:%a} {today.day} {today:%b}</td>'
        '<td class="sent">5</td><td class="failed">3</td><td class="unconfirmed">0</td></tr>'
    ) in html


def test_dashboard_chart_is_drawn_by_a_local_script_without_any_cdn(admin_client):
    html = admin_client.get(INDEX).content.decode()

    script = re.search(r'<script src="([^"]*delivery_chart\.js)"', html)
    assert script, "the chart script is not on the page"
    assert script.group(1).startswith("/static/")
    assert finders.find("ingestion/delivery_chart.js")
    assert finders.find("ingestion/pages.css")
    assert not re.search(r'(src|href)="(https?:)?//', html)


def test_dashboard_lists_the_latest_failures_with_their_messages(admin_client):
    request_row(candidates=3)
    refused = request_row(
        candidates=2,
        outcome=Outcome.REJECTED,
        http_status=400,
        response_body=json.dumps({"message": "Validation failed.", "errors": {"email": ["bad"]}}),
    )
    unreachable = request_row(
        days_ago=1,
        outcome=Outcome.RETRY,
        http_status=None,
        error_class="ConnectionError",
        error_message="Connection refused",
    )

    response = admin_client.get(INDEX)

    failures = response.context["dashboard"].failures
    assert [failure.request for failure in failures] == [refused, unreachable]
    assert failures[0].message == (
        "InterviewFlowAI refused the candidates (HTTP 400). It said: Validation failed. email: bad"
    )
    assert failures[1].message.startswith("InterviewFlowAI could not be reached (ConnectionError")
    html = response.content.decode()
    link = reverse("admin:ingestion_ingestionrequest_change", args=[refused.pk])
    assert f'href="{link}"' in html
    assert "Validation failed. email: bad" in html


def test_dashboard_says_when_nothing_failed(admin_client):
    request_row()

    html = admin_client.get(INDEX).content.decode()

    assert 'id="no-failures"' in html
    assert 'data-health="unknown"' in html  # no success recorded in DeliveryStatus yet


def test_dashboard_shows_the_last_success_of_a_healthy_api(admin_client):
    DeliveryStatus.objects.create(pk=1, last_success_at=timezone.now() - timedelta(minutes=3))

    html = admin_client.get(INDEX).content.decode()

    assert 'data-health="ok"' in html
    assert "Delivering: the last request succeeded 3\xa0minutes ago." in html


def test_dashboard_says_delivery_is_paused_because_the_key_was_rejected(admin_client):
    DeliveryStatus.objects.create(
        pk=1,
        paused_at=timezone.now(),
        paused_reason="InterviewFlowAI rejected the API key (HTTP 401).",
        last_success_at=timezone.now() - timedelta(days=1),
        last_failure_at=timezone.now(),
    )

    html = admin_client.get(INDEX).content.decode()

    assert 'data-health="paused"' in html
    assert "the API key was rejected" in html
    assert "InterviewFlowAI rejected the API key (HTTP 401)." in html


def test_dashboard_warns_when_the_last_request_failed(admin_client):
    now = timezone.now()
    DeliveryStatus.objects.create(
        pk=1, last_success_at=now - timedelta(hours=2), last_failure_at=now
    )

    html = admin_client.get(INDEX).content.decode()

    assert 'data-health="failing"' in html


def test_dashboard_warns_about_queued_candidates_nobody_sent(admin_client):
    late = timezone.now() - timedelta(hours=1)
    CandidateFactory.create_batch(2, state=State.QUEUED, next_attempt_at=late)
    CandidateFactory(state=State.QUEUED, next_attempt_at=timezone.now())

    html = admin_client.get(INDEX).content.decode()

    assert 'id="health-overdue"' in html
    assert "2 queued candidates should have been sent" in html


def test_dashboard_escapes_names_and_messages(admin_client):
    interviewer = InterviewerFactory(name="<script>alert('i')</script>")
    request_row(
        interviewer=interviewer,
        outcome=Outcome.REJECTED,
        http_status=422,
        response_body=json.dumps({"message": "<script>alert('r')</script>"}),
    )
    DeliveryStatus.objects.create(
        pk=1, paused_at=timezone.now(), paused_reason="<img src=x onerror=alert(1)>"
    )

    html = admin_client.get(INDEX).content.decode()

    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&#x27;r&#x27;)&lt;/script&gt;" in html
    assert "&lt;script&gt;alert(&#x27;i&#x27;)&lt;/script&gt;" in html


def test_dashboard_queries_do_not_grow_with_the_data(admin_client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(INDEX).status_code == 200
        return len(captured)

    request_row(outcome=Outcome.REJECTED, http_status=400)
    CandidateFactory()
    queries()  # the first visit creates the delivery status row
    few = queries()
    for days_ago in range(10):
        request_row(days_ago=days_ago, outcome=Outcome.REJECTED, http_status=400)
        request_row(days_ago=days_ago, candidates=3)
    CandidateFactory.create_batch(20, state=State.SENT)

    assert queries() == few


def test_staff_without_view_permissions_see_only_the_api_health(client):
    client.force_login(staff_with())
    request_row(outcome=Outcome.REJECTED, http_status=400, response_body="secret detail")

    response = client.get(INDEX)

    html = response.content.decode()
    assert 'id="dashboard-health"' in html
    assert 'id="dashboard-states"' not in html
    assert 'id="dashboard-deliveries"' not in html
    assert "secret detail" not in html


def test_a_recruiter_sees_every_part_of_the_dashboard(client):
    client.force_login(staff_with("view_candidate", "view_ingestionrequest"))

    html = client.get(INDEX).content.decode()

    for part in (
        "dashboard-health",
        "dashboard-states",
        "dashboard-deliveries",
        "dashboard-failures",
    ):
        assert f'id="{part}"' in html


def test_the_counts_over_whole_tables_are_kept_a_while_and_say_when_they_were_counted(
    admin_client, monkeypatch
):
    monkeypatch.setattr(dashboard, "KEEP_FROM_ROWS", 1)  # as past 10,000 candidates
    CandidateFactory.create_batch(2)
    first = admin_client.get(reverse("admin:index")).content.decode()
    CandidateFactory()

    kept = admin_client.get(reverse("admin:index")).content.decode()
    cache.clear()
    again = admin_client.get(reverse("admin:index")).content.decode()

    assert "Candidates by state (2)" in first
    assert "Candidates by state (2)" in kept  # counted once for COUNTS_KEPT_SECONDS
    assert "Candidates by state (3)" in again
    assert "Counted at " in again and "kept 30 seconds" in again


def test_small_tables_are_counted_afresh_at_each_visit(admin_client):
    CandidateFactory.create_batch(2)
    first = admin_client.get(reverse("admin:index")).content.decode()
    CandidateFactory()

    again = admin_client.get(reverse("admin:index")).content.decode()

    assert "Candidates by state (2)" in first
    assert "Candidates by state (3)" in again
    assert "Counted at " not in again
