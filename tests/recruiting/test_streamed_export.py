"""Exports streamed as they are read: chunks, the keys found by the database, XLSX as a file."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from ingestion.models import IngestionRequest
from recruiting.json_keys import object_keys
from recruiting.models import Candidate
from recruiting.spreadsheets import csv_bytes, csv_chunks
from tests.factories import CandidateFactory, IngestionRequestFactory, InterviewerFactory

pytestmark = pytest.mark.django_db

EXPORT = reverse("admin:recruiting_candidate_export")


def test_the_csv_export_streams_its_rows_a_few_hundred_at_a_time(admin_client):
    interviewer = InterviewerFactory()
    Candidate.objects.bulk_create(
        Candidate(interviewer=interviewer, name=f"C {n}", email=f"c{n}@example.com")
        for n in range(1_200)
    )

    answer = admin_client.post(EXPORT, {"format": "0", "resource": "0"})
    chunks = list(answer.streaming_content)

    assert answer.streaming
    assert len(chunks) >= 3
    assert chunks[0].startswith("\ufeffname,email".encode())
    assert not any(chunk.startswith(b"\xef\xbb\xbf") for chunk in chunks[1:])
    rows = list(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8-sig"))))
    assert len(rows) == 1_201


def test_the_xlsx_export_is_a_whole_workbook_with_a_bold_frozen_header(admin_client):
    CandidateFactory(name="=1+1", additional_fields={"Score": 72})

    answer = admin_client.post(EXPORT, {"format": "1", "resource": "0"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(answer.streaming_content)))
    sheet = book.worksheets[0]

    assert answer["Content-Disposition"].startswith('attachment; filename="candidates-')
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
    assert sheet["A2"].value == "'=1+1"
    assert sheet.cell(2, 7).value == 72


def test_the_keys_of_json_objects_come_from_the_database_sorted_and_filtered():
    CandidateFactory(additional_fields={"b": 1, "a": 2}, metadata={"x": "1"})
    CandidateFactory(additional_fields={"c": None}, name="Filtered Out")
    # Written around the model's checks: a value that is not an object has no keys.
    CandidateFactory().__class__.objects.filter(name="Filtered Out").update(metadata=[1, 2])

    everyone = Candidate.objects.all()
    kept = Candidate.objects.exclude(name="Filtered Out")

    assert object_keys(everyone, column="additional_fields") == ["a", "b", "c"]
    assert object_keys(kept, column="additional_fields") == ["a", "b"]
    assert object_keys(everyone, column="metadata") == ["x"]


def test_the_keys_of_the_items_a_request_body_carried():
    IngestionRequestFactory(
        request_body={"data": [{"additionalFields": {"Score": 1}}, {"additionalFields": {}}]}
    )
    IngestionRequestFactory(request_body={"data": [{"additionalFields": {"Rating": 4}}, "odd"]})
    IngestionRequestFactory(request_body={"data": "not a list"})
    IngestionRequestFactory(request_body=["not an object"])

    requests = IngestionRequest.objects.all()
    keys = object_keys(requests, column="request_body", items="data", member="additionalFields")

    assert keys == ["Rating", "Score"]


def test_csv_chunks_write_what_csv_bytes_writes_in_pieces():
    rows = [["=cmd", "-5", "ok"], ["a,b", 'say "hi"', "é"]] * 300

    assert b"".join(csv_chunks([list(map(str, r)) for r in rows], rows_per_chunk=7)) == (
        b"".join(csv_chunks(rows, rows_per_chunk=1000))
    )
    assert csv_bytes(rows[:1]) == "\ufeff'=cmd,'-5,ok\r\n".encode()
