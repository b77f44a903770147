import csv
import io
import re

import openpyxl
import pytest
from django.urls import reverse

from ingestion import payloads
from ingestion.client import Outcome
from ingestion.models import IngestionRequest, Trigger
from recruiting.imports.columns import FIELD_COLUMNS
from recruiting.imports.results import RowAction
from recruiting.models import Candidate
from tests.factories import CandidateFactory
from tests.fixtures import BACKEND_ID, golden, golden_interviewers, run_import
from tests.import_pages import user_with

pytestmark = pytest.mark.django_db

CANDIDATES = reverse("admin:recruiting_candidate_changelist")
EXPORT = reverse("admin:recruiting_candidate_export")
HISTORY = reverse("admin:ingestion_ingestionrequest_changelist")
HISTORY_EXPORT = reverse("admin:ingestion_ingestionrequest_export")
FORMATS = {"csv": "0", "xlsx": "1"}
DANGEROUS = {
    "equals": '=HYPERLINK("http://evil.example","click")',
    "plus": "+1+cmd|' /C calc'!A0",
    "minus": "-2+3",
    "at": "@SUM(A1:A9)",
    "tab": "\t=1+1",
    "carriage return": "\r=1+1",
    "text that looks negative": "-5",
    "text that looks like a number": "72",
    "apostrophe then formula": "'=1+1",
}
HARMLESS = {"negative number": -5, "negative decimal": -0.5, "dutch name": "'t Hart"}


@pytest.fixture
def exporter(client):
    client.force_login(
        user_with(
            "view_candidate", "export_candidate", "view_ingestionrequest", "export_ingestionrequest"
        )
    )
    return client


@pytest.fixture
def backend():
    return golden_interviewers()[0]


def export(client, url: str, fmt: str) -> bytes:
    answer = client.post(url, {"format": FORMATS[fmt], "resource": "0"})
    assert answer.status_code == 200, answer.content[:500]
    assert answer["Content-Disposition"].endswith(f'.{fmt}"')
    return b"".join(answer.streaming_content)


def rows_of(content: bytes, fmt: str) -> list[list]:
    if fmt == "csv":
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imports_back_unchanged(exporter, backend, fmt):
    run_import(golden("candidates_messy.csv"), valid_only=True)
    run_import(golden("candidates_messy.xlsx"), interviewer=backend, valid_only=True)
    values = {**DANGEROUS, **HARMLESS}
    if fmt == "xlsx":
        # XLSX is XML, whose readers turn a carriage return into a line feed.
        del values["carriage return"]
    CandidateFactory(interviewer=backend, additional_fields=values)
    before = list(Candidate.objects.order_by("pk").values())

    content = export(exporter, EXPORT, fmt)
    again = run_import(content, name=f"export.{fmt}", dry_run=True)

    assert again.counts[RowAction.UNCHANGED] == 6
    assert again.total == 6
    assert again.ignored_columns == []
    run_import(content, name=f"export.{fmt}")
    assert list(Candidate.objects.order_by("pk").values()) == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_has_the_import_columns(exporter, backend, fmt):
    run_import(golden("candidates_messy.csv"), valid_only=True)

    header, *rows = rows_of(export(exporter, EXPORT, fmt), fmt)

    assert header[:6] == list(FIELD_COLUMNS)
    assert sorted(header[6:]) == [
        "additional:Manual Score",
        "additional:Rating",
        "metadata:External ID",
        "metadata:Phone",
    ]
    jose = dict(zip(header, next(row for row in rows if "jose" in row[1]), strict=True))
    number = int if fmt == "xlsx" else str  # CSV has text only; XLSX keeps the type
    assert jose == {
        "name": "José Núñez",
        "email": "jose.nunez@example.com",
        "interviewer": BACKEND_ID,
        "status": "draft",
        "skills": "python, django, aws",
        "send_email_after": number(24),
        "additional:Manual Score": number(72),
        "additional:Rating": 4.5 if fmt == "xlsx" else "4.5",
        # A phone number is text: it gets the apostrophe that keeps "+" from running.
        "metadata:Phone": "'+1-555-0100",
        "metadata:External ID": "000123",
    }


def test_every_cell_that_could_run_as_a_formula_is_neutralised_in_csv(exporter, backend):
    CandidateFactory(
        interviewer=backend,
        name="=cmd|' /C calc'!A0",
        additional_fields={**DANGEROUS, **HARMLESS},
    )

    header, row = rows_of(export(exporter, EXPORT, "csv"), "csv")
    cells = dict(zip(header, row, strict=True))

    assert cells["name"] == "'=cmd|' /C calc'!A0"
    for key, value in DANGEROUS.items():
        assert cells[f"additional:{key}"] == "'" + value, key
    assert cells["additional:negative number"] == "-5"  # a number, not a formula
    assert cells["additional:negative decimal"] == "-0.5"
    assert cells["additional:dutch name"] == "'t Hart"


def test_no_xlsx_cell_is_a_formula_and_numbers_stay_numbers(exporter, backend):
    CandidateFactory(interviewer=backend, additional_fields={**DANGEROUS, **HARMLESS})

    sheet = openpyxl.load_workbook(io.BytesIO(export(exporter, EXPORT, "xlsx"))).worksheets[0]
    cells = {sheet.cell(1, cell.column).value: cell for cell in sheet[2]}

    assert not [cell.coordinate for cell in cells.values() if cell.data_type == "f"]
    assert cells["additional:equals"].value == "'" + DANGEROUS["equals"]
    assert cells["additional:negative number"].value == -5
    assert cells["additional:negative number"].data_type == "n"


def test_a_user_without_the_export_permission_gets_no_button_and_a_403(client, backend):
    client.force_login(user_with("view_candidate", "change_candidate", "import_candidate"))

    assert "export_link" not in client.get(CANDIDATES).content.decode()
    assert client.get(EXPORT).status_code == 403
    assert client.post(EXPORT, {"format": "0", "resource": "0"}).status_code == 403


def test_the_export_button_keeps_the_list_filters(exporter, backend):
    page = exporter.get(CANDIDATES, {"state__exact": "new"}).content.decode()

    assert f"{EXPORT}?state__exact=new" in page


def test_history_exports_each_candidate_sent_under_the_import_columns(exporter, backend):
    ada = CandidateFactory(
        interviewer=backend,
        name="Ada",
        email="ada@example.com",
        skills=["python"],
        additional_fields={"Manual Score": 72},
        metadata={"External ID": "000123"},
        send_email_after=24,
    )
    request = IngestionRequest.objects.create(
        interviewer=backend,
        candidate_count=1,
        trigger=Trigger.IMPORT,
        url="http://api.example/ingest",
        request_body=payloads.batch_body([ada]),
        http_status=201,
        outcome=Outcome.ACCEPTED,
    )
    assert "export_link" in exporter.get(HISTORY).content.decode()

    content = export(exporter, HISTORY_EXPORT, "csv")
    header, row = rows_of(content, "csv")

    assert header[:8] == [*FIELD_COLUMNS, "additional:Manual Score", "metadata:External ID"]
    assert row[:8] == [
        "Ada",
        "ada@example.com",
        BACKEND_ID,
        "shortlisted",
        "python",
        "24",
        "72",
        "000123",
    ]
    assert dict(zip(header[8:], row[8:], strict=True)) == {
        "request": str(request.pk),
        "sent at": request.started_at.isoformat(timespec="seconds"),
        "trigger": "Import",
        "outcome": "Accepted",
        "http status": "201",
        "error": "",
    }
    again = run_import(content, name="history.csv", dry_run=True)
    assert again.invalid == 0
    assert again.ignored_columns == list(header[8:])


def test_history_export_needs_its_own_permission(client, backend):
    client.force_login(user_with("view_ingestionrequest", "export_candidate"))

    assert "export_link" not in client.get(HISTORY).content.decode()
    assert client.get(HISTORY_EXPORT).status_code == 403


def test_the_export_page_says_what_it_exports_in_words_with_csv_chosen(exporter, backend):
    CandidateFactory.create_batch(3, interviewer=backend)
    CandidateFactory(interviewer=backend, state=Candidate.State.SENT)
    url = reverse("admin:recruiting_candidate_export")

    whole = exporter.get(url).content.decode()
    filtered = exporter.get(f"{url}?state__exact=sent").content.decode()

    assert "4 candidates will be exported: the whole list." in whole
    assert "1 candidate will be exported: the ones the list shows, with its filters" in filtered
    assert re.search(r'name="format" value="0"[^>]* checked', whole)  # CSV
    assert "CSV (opens in Excel and Google Sheets)" in whole
    assert 'value="Export"' in whole
    assert "This exporter will export" not in whole
    assert "---" not in whole
