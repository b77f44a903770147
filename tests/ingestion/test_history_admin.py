"""The history of requests in the admin: read-only, its bodies shown safely, its filters."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ingestion.client import Outcome
from ingestion.models import IngestionRequest, Trigger
from recruiting.models import Candidate
from tests.admin_pages import action_choices, changelist_url, run_action
from tests.delivery import pushing
from tests.factories import CandidateFactory, InterviewerFactory
from tests.upstream import accept_pushes

pytestmark = pytest.mark.django_db

HISTORY = changelist_url(IngestionRequest)


def history_row(candidates: list[Candidate], **fields: Any) -> IngestionRequest:
    row = IngestionRequest.objects.create(
        interviewer=candidates[0].interviewer,
        candidate_count=len(candidates),
        trigger=Trigger.ADMIN,
        url="http://127.0.0.1/api/external/ingest/candidates",
        request_body={"data": [{"name": c.name, "email": c.email} for c in candidates]},
        **{"http_status": 201, "outcome": Outcome.ACCEPTED, **fields},
    )
    row.candidates.set(candidates)
    return row


def test_history_is_read_only_even_for_a_superuser(admin_client):
    row = history_row([CandidateFactory()])
    change = reverse("admin:ingestion_ingestionrequest_change", args=[row.pk])

    assert admin_client.get(reverse("admin:ingestion_ingestionrequest_add")).status_code == 403
    assert (
        admin_client.get(
            reverse("admin:ingestion_ingestionrequest_delete", args=[row.pk])
        ).status_code
        == 403
    )
    assert admin_client.post(change, {"http_status": 500, "outcome": "unknown"}).status_code == 403
    page = admin_client.get(change)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert action_choices(admin_client.get(HISTORY)) == []
    row.refresh_from_db()
    assert (row.http_status, row.outcome) == (201, Outcome.ACCEPTED)


@pushing
def test_history_shows_bodies_as_indented_json_with_names_escaped(admin_client, api):
    accept_pushes(api)
    candidate = CandidateFactory(name="<script>alert(1)</script>", additional_fields={"Score": 72})
    run_action(admin_client, Candidate, "push_action", [candidate])
    row = IngestionRequest.objects.get()

    html = admin_client.get(
        reverse("admin:ingestion_ingestionrequest_change", args=[row.pk])
    ).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&quot;name&quot;: &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;" in html
    assert "\n      &quot;additionalFields&quot;: {\n        &quot;Score&quot;: 72\n" in html
    assert "&quot;id&quot;: &quot;c-0&quot;" in html  # the response body too
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;" in html  # the link to the candidate


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("outcome__exact=rejected", {"rejected"}),
        ("http_status=503", {"retry"}),
        ("http_status__isnull=True", {"unknown"}),
        # As the date filter's own links write it: midnight in the site's time zone.
        (
            "started_at__gte=2026-03-01+00:00:00%2B00:00&started_at__lt=2026-03-02+00:00:00%2B00:00",
            {"accepted"},
        ),
        ("started_at__year=2026&started_at__month=2", {"rejected", "retry", "unknown"}),
    ],
)
def test_history_filters_by_outcome_http_status_and_date(admin_client, query, expected):
    candidate = CandidateFactory()
    history_row([candidate], started_at=datetime(2026, 3, 1, 9, tzinfo=UTC))
    february = datetime(2026, 2, 10, 9, tzinfo=UTC)
    history_row([candidate], started_at=february, http_status=400, outcome=Outcome.REJECTED)
    history_row([candidate], started_at=february, http_status=503, outcome=Outcome.RETRY)
    history_row(
        [candidate],
        started_at=february,
        http_status=None,
        outcome=Outcome.UNKNOWN,
        error_class="ReadTimeout",
    )

    response = admin_client.get(f"{HISTORY}?{query}")

    assert {row.outcome for row in response.context["cl"].result_list} == expected


def test_history_links_to_its_candidates(admin_client):
    candidates = CandidateFactory.create_batch(2)
    row = history_row(candidates)

    html = admin_client.get(
        reverse("admin:ingestion_ingestionrequest_change", args=[row.pk])
    ).content.decode()

    for candidate in candidates:
        assert reverse("admin:recruiting_candidate_change", args=[candidate.pk]) in html


def test_history_of_a_large_request_links_to_all_its_candidates(admin_client):
    interviewer = InterviewerFactory()
    candidates = CandidateFactory.create_batch(101, interviewer=interviewer)
    CandidateFactory(interviewer=interviewer)  # another candidate, not in this request
    row = history_row(candidates)

    html = admin_client.get(
        reverse("admin:ingestion_ingestionrequest_change", args=[row.pk])
    ).content.decode()

    link = f"{changelist_url(Candidate)}?ingestion_requests__id__exact={row.pk}"
    assert f'<a href="{link}">all 101</a>' in html
    assert admin_client.get(link).context["cl"].result_count == 101


def test_history_filtered_by_candidate_ids_lists_each_request_once(admin_client):
    pushed = CandidateFactory.create_batch(3, interviewer=InterviewerFactory())
    together = history_row(pushed)
    retried = history_row(pushed[:1], http_status=503, outcome=Outcome.RETRY)
    history_row([CandidateFactory()])  # someone else's push
    ids = ",".join(str(c.pk) for c in pushed)

    response = admin_client.get(f"{HISTORY}?candidates__id__in={ids}")

    assert response.status_code == 200
    assert sorted(row.pk for row in response.context["cl"].result_list) == sorted(
        [together.pk, retried.pk]
    )


@pytest.mark.django_db
def test_the_history_list_reads_without_distinct_and_a_search_lists_each_request_once(
    admin_client,
):
    ada, grace = CandidateFactory.create_batch(2)
    both = history_row([ada, grace])
    history_row([ada])
    url = changelist_url(IngestionRequest)

    with CaptureQueriesContext(connection) as plain:
        admin_client.get(url)
    found = admin_client.get(url, {"q": "@example.com"}).context["cl"].result_list

    assert not [q for q in plain.captured_queries if "DISTINCT" in q["sql"].upper()]
    assert sorted(r.pk for r in found) == sorted(
        IngestionRequest.objects.values_list("pk", flat=True)
    )
    grace_only = admin_client.get(url, {"q": grace.email}).context["cl"].result_list
    assert [r.pk for r in grace_only] == [both.pk]
