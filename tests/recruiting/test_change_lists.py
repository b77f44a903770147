"""Lists at scale: bounded counts, no 'Show all' on a whole list, no DISTINCT, dates probed."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.contrib.admin.templatetags.admin_list import date_hierarchy
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ingestion.delivery.queueing import push_batch_create
from ingestion.models import IngestionRequest, PushBatch
from ingestion.templatetags.history_dates import probed_date_hierarchy
from recruiting import change_lists
from recruiting.models import Candidate, Interviewer
from tests.admin_pages import changelist_url, query_count
from tests.factories import CandidateFactory, IngestionRequestFactory, InterviewerFactory
from tests.import_pages import user_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def ceiling_of_five(monkeypatch):
    monkeypatch.setattr(change_lists, "COUNT_CEILING", 5)


def test_a_list_longer_than_the_ceiling_says_so_and_counts_no_further(
    admin_client, ceiling_of_five
):
    CandidateFactory.create_batch(8)

    with CaptureQueriesContext(connection) as queries:
        page = admin_client.get(changelist_url(Candidate))

    assert str(page.context["cl"].result_count) == "5+"
    assert "5+ candidates" in page.content.decode()
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]
    assert counts and all("LIMIT 6" in sql for sql in counts)


def test_a_list_within_the_ceiling_gives_its_exact_count(admin_client, ceiling_of_five):
    CandidateFactory.create_batch(4)

    page = admin_client.get(changelist_url(Candidate))

    assert page.context["cl"].result_count == 4
    assert "4 candidates" in page.content.decode()


@pytest.mark.parametrize("model", [Candidate, Interviewer, IngestionRequest])
def test_a_whole_list_offers_no_show_all_and_a_narrowed_one_does(admin_client, model):
    CandidateFactory.create_batch(2)
    IngestionRequestFactory.create_batch(2)

    whole = admin_client.get(changelist_url(model)).content.decode()
    narrowed = admin_client.get(changelist_url(model), {"q": "no such thing"}).content.decode()

    assert "Show all" not in whole
    assert "0 results" in narrowed
    assert "Show all" in narrowed


def interviewers_with_candidates(count: int) -> None:
    for interviewer in InterviewerFactory.create_batch(count):
        for state in (Candidate.State.NEW, Candidate.State.SENT):
            CandidateFactory(interviewer=interviewer, state=state)


def pages() -> list[str]:
    batch = PushBatch.objects.order_by("-candidate_count").first()
    return [
        changelist_url(Candidate),
        changelist_url(Candidate) + "?state__exact=sent",
        changelist_url(Candidate) + "?q=example",
        changelist_url(IngestionRequest),
        changelist_url(IngestionRequest) + f"?candidates__push_batches__id__exact={batch.pk}",
        changelist_url(IngestionRequest) + "?q=example",
        changelist_url(Interviewer),
        changelist_url(PushBatch),
        reverse("admin:index"),
        reverse("admin:ingestion_push_progress_json", args=[batch.pk]),
    ]


def grow(interviewers: int, requests_per_candidate: int) -> None:
    interviewers_with_candidates(interviewers)
    candidates = list(Candidate.objects.all())
    for candidate in candidates:
        IngestionRequestFactory.create_batch(
            requests_per_candidate, interviewer=candidate.interviewer, candidates=[candidate]
        )
    push_batch_create(candidate_ids=[c.pk for c in candidates])


def test_no_page_asks_more_queries_with_more_rows_or_more_pages(admin_client):
    grow(interviewers=2, requests_per_candidate=1)
    admin_client.get(reverse("admin:index"))  # the first page creates the delivery status
    small = [query_count(admin_client, url) for url in pages()]

    grow(interviewers=30, requests_per_candidate=2)  # more than a page of each
    large = [query_count(admin_client, url) for url in pages()]

    assert large == small


def test_a_filter_through_the_candidates_reads_no_distinct_and_lists_each_request_once(
    admin_client,
):
    ada, grace = CandidateFactory.create_batch(2)
    both = IngestionRequestFactory(candidates=[ada, grace])
    IngestionRequestFactory(candidates=[CandidateFactory()])
    batch = push_batch_create(candidate_ids=[ada.pk, grace.pk])
    url = changelist_url(IngestionRequest) + f"?candidates__push_batches__id__exact={batch.pk}"

    with CaptureQueriesContext(connection) as queries:
        listed = admin_client.get(url).context["cl"].result_list

    assert [row.pk for row in listed] == [both.pk]
    assert not [q for q in queries.captured_queries if "DISTINCT" in q["sql"].upper()]


def at(year: int, month: int, day: int) -> datetime:
    return timezone.make_aware(datetime(year, month, day, 12))


HIERARCHY_QUERIES = [
    {},
    {"started_at__year": "2025"},
    {"started_at__year": "2025", "started_at__month": "3"},
    {"started_at__year": "2025", "started_at__month": "3", "started_at__day": "9"},
]


@pytest.mark.parametrize("ceiling", [2, 10_000], ids=["probed periods", "times read"])
@pytest.mark.parametrize("query", HIERARCHY_QUERIES, ids=lambda q: "&".join(q) or "all")
def test_the_date_hierarchy_offers_what_djangos_own_offers(
    admin_client, monkeypatch, ceiling, query
):
    monkeypatch.setattr(change_lists, "COUNT_CEILING", ceiling)
    for moment in (at(2024, 11, 30), at(2025, 3, 9), at(2025, 3, 9), at(2025, 3, 28)):
        IngestionRequestFactory(started_at=moment)
    IngestionRequestFactory(started_at=at(2025, 7, 1))

    cl = admin_client.get(changelist_url(IngestionRequest), query).context["cl"]

    assert probed_date_hierarchy(cl) == date_hierarchy(cl)
    assert probed_date_hierarchy(cl)["choices"]


def test_a_month_of_one_year_skips_the_months_without_requests(admin_client, ceiling_of_five):
    for month in (1, 2, 5, 5, 5, 5, 12):
        IngestionRequestFactory(started_at=at(2025, month, 3))

    page = admin_client.get(changelist_url(IngestionRequest)).content.decode()

    assert "January 2025" in page and "May 2025" in page and "December 2025" in page
    assert "March 2025" not in page


def test_the_http_status_filter_lists_the_apis_answers_without_reading_the_rows(admin_client):
    IngestionRequestFactory(http_status=201)
    timed_out = IngestionRequestFactory(http_status=None, outcome="unknown")

    with CaptureQueriesContext(connection) as queries:
        page = admin_client.get(changelist_url(IngestionRequest)).content.decode()
    no_answer = admin_client.get(changelist_url(IngestionRequest), {"http_status": "none"})

    assert "503 Service Unavailable" in page and "422 Unprocessable" in page
    assert not [q for q in queries.captured_queries if "http_status" in q["sql"].split("FROM")[0]]
    assert [row.pk for row in no_answer.context["cl"].result_list] == [timed_out.pk]


def test_the_history_search_finds_an_error_message_and_an_email(admin_client):
    carried = IngestionRequestFactory(candidates=[CandidateFactory(email="ada@example.com")])
    refused = IngestionRequestFactory(error_message="Interviewer not found", outcome="rejected")
    IngestionRequestFactory(error_message="Too many requests")

    def found(term: str) -> list[int]:
        listed = admin_client.get(changelist_url(IngestionRequest), {"q": term})
        return [row.pk for row in listed.context["cl"].result_list]

    assert found("ADA@example") == [carried.pk]
    assert found("not found") == [refused.pk]
    assert found('"interviewer not"') == [refused.pk]
    assert found("nobody") == []


def test_the_candidate_search_finds_each_column_it_names(admin_client):
    backend = InterviewerFactory(name="Zebra Team")
    ada = CandidateFactory(name="Ada Lovelace", email="ada@example.com", interviewer=backend)
    grace = CandidateFactory(upstream_id="ifa_991", metadata={"ATS id": "c_4242"})
    other = CandidateFactory(name="Someone Else")

    def found(term: str) -> set[int]:
        listed = admin_client.get(changelist_url(Candidate), {"q": term})
        return {row.pk for row in listed.context["cl"].result_list}

    assert found("lovelace") == {ada.pk}
    assert found("zebra") == {ada.pk}
    assert found("ifa_991") == {grace.pk}
    assert found("c_4242") == {grace.pk}
    assert found("ada example") == {ada.pk}
    assert other.pk not in found("ada")


def test_the_push_list_links_each_push_to_its_progress_for_those_who_may_push(client):
    batch = push_batch_create(candidate_ids=[CandidateFactory().pk])
    client.force_login(user_with("view_candidate", "push_candidate"))

    page = client.get(changelist_url(PushBatch)).content.decode()

    assert reverse("admin:ingestion_push_progress", args=[batch.pk]) in page
    assert f"Push #{batch.pk}" in page


def test_the_push_list_is_closed_to_those_who_may_not_push(client):
    client.force_login(user_with("view_candidate", "view_ingestionrequest"))

    assert client.get(changelist_url(PushBatch)).status_code == 403
    assert "Pushes" not in client.get(reverse("admin:index")).content.decode()


def test_a_period_is_a_local_midnight_whatever_daylight_saving_did(settings):
    settings.TIME_ZONE = "Europe/Amsterdam"
    with timezone.override("Europe/Amsterdam"):
        first = timezone.make_aware(datetime(2025, 3, 29, 10))
        days = change_lists.periods(first, first + timedelta(days=2), "day")

    assert [(d.day, d.hour, d.utcoffset()) for d in days] == [
        (29, 0, timedelta(hours=1)),
        (30, 0, timedelta(hours=1)),
        (31, 0, timedelta(hours=2)),
    ]
