"""The admin at scale, where PostgreSQL decides: a trigram index that matches the search,
JSON keys read by jsonb functions, the streamed export and the date hierarchy."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from django.contrib.admin.templatetags.admin_list import date_hierarchy
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from ingestion.models import IngestionRequest
from ingestion.templatetags.history_dates import probed_date_hierarchy
from recruiting import change_lists
from recruiting.json_keys import object_keys
from recruiting.models import Candidate
from tests.admin_pages import changelist_url
from tests.factories import CandidateFactory, IngestionRequestFactory

pytestmark = pytest.mark.django_db


def test_the_suite_runs_these_on_postgresql():
    assert connection.vendor == "postgresql"


def plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # A few rows make a scan cheapest: forbid it, so the plan shows whether an index fits.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_history_search_reads_error_messages_from_their_trigram_index(admin_client):
    IngestionRequestFactory(error_message="Interviewer not found")

    shown = plan(IngestionRequest.objects.order_by().filter(error_message__icontains="not found"))

    assert "request_error_message_trigram" in shown, shown


def test_the_keys_come_from_jsonb_and_odd_values_have_none():
    CandidateFactory(additional_fields={"b": 1, "a": 2})
    Candidate.objects.filter(pk=CandidateFactory().pk).update(additional_fields=[1, 2])
    IngestionRequestFactory(
        request_body={"data": [{"metadata": {"ATS": "x", "sendEmailAfter": 3}}, "odd", 7]}
    )
    IngestionRequestFactory(request_body={"data": {"not": "a list"}})

    requests = IngestionRequest.objects.all()

    assert object_keys(Candidate.objects.all(), column="additional_fields") == ["a", "b"]
    assert object_keys(requests, column="request_body", items="data", member="metadata") == [
        "ATS",
        "sendEmailAfter",
    ]


def test_the_csv_export_streams_every_row_from_postgresql(admin_client):
    CandidateFactory.create_batch(1_100, additional_fields={"Score": 5})

    answer = admin_client.post(
        reverse("admin:recruiting_candidate_export"), {"format": "0", "resource": "0"}
    )
    chunks = list(answer.streaming_content)
    header, *rows = csv.reader(io.StringIO(b"".join(chunks).decode("utf-8-sig")))

    assert len(chunks) >= 3
    assert header[-1] == "additional:Score"
    assert len(rows) == 1_100
    assert {row[-1] for row in rows} == {"5"}


@pytest.mark.parametrize("ceiling", [2, 10_000], ids=["probed periods", "times read"])
def test_the_date_hierarchy_offers_what_djangos_own_offers(admin_client, monkeypatch, ceiling):
    monkeypatch.setattr(change_lists, "COUNT_CEILING", ceiling)
    for month in (1, 4, 4, 11):
        IngestionRequestFactory(started_at=timezone.make_aware(datetime(2025, month, 2, 23)))

    cl = admin_client.get(changelist_url(IngestionRequest)).context["cl"]

    assert probed_date_hierarchy(cl) == date_hierarchy(cl)
    assert [c["title"] for c in probed_date_hierarchy(cl)["choices"]] == [
        "January 2025",
        "April 2025",
        "November 2025",
    ]
