"""Exports of applicant tracking systems and hand-made sheets, imported by the command alone."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from recruiting.imports.saved import import_mapping_save
from recruiting.models import Candidate
from recruiting.spreadsheets import typed_cell
from tests.factories import InterviewerFactory
from tests.fixtures import golden

pytestmark = pytest.mark.django_db


@pytest.fixture
def backend():
    return InterviewerFactory(name="Backend Engineer")


def import_with_interviewer(name: str) -> str:
    out = io.StringIO()
    call_command(
        "import_candidates", str(golden(name)), "--interviewer", "Backend Engineer", stdout=out
    )
    return out.getvalue()


def imported() -> dict[str, Candidate]:
    return {candidate.email: candidate for candidate in Candidate.objects.all()}


def test_a_greenhouse_export_imports_with_no_mapping(backend):
    out = import_with_interviewer("greenhouse_export.csv")

    assert "Import finished: 3 new, 0 updated, 0 unchanged." in out
    grace = imported()["grace.hopper@example.com"]
    assert grace.name == "Grace Hopper"
    assert grace.interviewer == backend
    assert grace.metadata == {
        "External ID": "48213007",
        "Phone": "+1-555-0100",
        "Current Stage": "Phone Screen",
        "Job": "Backend Engineer",
        "Source": "LinkedIn",
        "Application ID": "91022001",
        "LinkedIn URL": "https://www.linkedin.com/in/gracehopper",
    }
    assert grace.additional_fields == {"Score": 87}
    assert imported()["alan.turing@example.com"].additional_fields == {"Score": 92.5}
    edith = imported()["edith.piaf@example.fr"]
    assert (edith.name, edith.additional_fields) == ("Édith Piaf", {})
    assert edith.metadata["Phone"] == "0612345678"


def test_a_lever_export_takes_the_first_of_several_addresses_and_says_so(backend):
    out = import_with_interviewer("lever_export.csv")

    assert "Import finished: 2 new, 0 updated, 0 unchanged." in out
    assert (
        "Row 2, email: 2 addresses in one cell: took ada@example.com, left out "
        "ada.lovelace@oldmail.org." in out
    )
    assert "Ignored columns (not imported): “Links”." in out
    ada = imported()["ada@example.com"]
    assert ada.name == "Ada Lovelace"
    assert ada.metadata == {
        "External ID": "7f3e1a2b-5c4d-4e6f-8a9b-0c1d2e3f4a5b",
        "Phone": "+44 20 7946 0958",
        "Stage": "Onsite Interview",
        "Sources": "Referral",
        "Posting": "Platform Engineer",
    }
    assert ada.additional_fields == {"Score": 4.5}
    assert imported()["charles@example.com"].additional_fields == {"Score": 3}


def test_a_hand_made_sheet_with_full_name_and_e_mail_imports(backend):
    out = import_with_interviewer("hand_made.csv")

    assert "Import finished: 2 new, 0 updated, 0 unchanged." in out
    assert "Ignored columns" not in out
    dorothy = imported()["dorothy@example.com"]
    assert dorothy.name == "Dorothy Vaughan"
    assert dorothy.metadata == {"Phone": "+1 555 0102", "External ID": "000418"}
    assert dorothy.additional_fields == {"Score": 8.5}
    assert imported()["katherine@example.com"].additional_fields == {"Score": 9}


def run_command(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_candidates", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_file_without_an_email_column_names_the_closest_and_where_to_map(backend, tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text("Candidate Full Name,Contact Mail,Notes\nAda,ada@example.com,x\n")

    with pytest.raises(CommandError) as refusal:
        run_command(str(path), "--interviewer", "Backend Engineer")

    message = str(refusal.value)
    assert "The file has no “email” column." in message
    assert "The closest of its headers to “email”: “Contact Mail”" in message
    assert "/admin/recruiting/candidate/import/" in message and "--mapping" in message
    assert not Candidate.objects.exists()


def test_without_options_a_mapping_saved_for_the_same_headers_is_used(backend, tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text("Who,Mail,Portfolio\nAda Lovelace,ADA@example.com,https://ada.dev\n")
    import_mapping_save(
        name="Team sheet",
        header=["who", "MAIL", "Portfolio "],  # compared without case or spaces
        columns={"Who": "name", "Mail": "email", "Portfolio": "metadata:Portfolio"},
        statuses={},
        interviewer=backend,
    )

    out, _ = run_command(str(path))

    assert "Columns read by the saved mapping “Team sheet”." in out
    ada = Candidate.objects.get()
    assert (ada.name, ada.email, ada.interviewer) == ("Ada Lovelace", "ada@example.com", backend)
    assert ada.metadata == {"Portfolio": "https://ada.dev"}


def test_a_mapping_named_on_the_command_line_reads_other_headers_too(backend, tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text("Who,Mail,Stage\nAda,ada@example.com,Phone Screen\nAlan,alan@x.org,Applied\n")
    import_mapping_save(
        name="Stages",
        header=["Who", "Mail"],
        columns={"Who": "name", "Mail": "email", "Stage": "status"},
        statuses={"phone screen": "shortlisted", "Applied": "draft"},
        interviewer=None,
    )

    run_command(str(path), "--mapping", "stages", "--interviewer", "Backend Engineer")

    assert dict(Candidate.objects.values_list("name", "status")) == {
        "Ada": "shortlisted",
        "Alan": "draft",
    }


def test_an_unknown_mapping_name_lists_the_saved_ones(backend):
    import_mapping_save(name="Greenhouse", header=["a"], columns={}, statuses={}, interviewer=None)

    with pytest.raises(
        CommandError,
        match=re.escape("No saved mapping is called “Lever”. Saved mappings: “Greenhouse”."),
    ):
        run_command(str(golden("lever_export.csv")), "--mapping", "Lever")


def test_a_greenhouse_export_saved_as_xlsx_reads_the_same(backend, tmp_path):
    rows = list(csv.reader(golden("greenhouse_export.csv").open(encoding="utf-8")))
    workbook = openpyxl.Workbook()
    for row in rows:  # numbers as Excel keeps them: ids and scores as numbers
        workbook.active.append([typed_cell(cell) for cell in row])
    path = tmp_path / "greenhouse.xlsx"
    workbook.save(path)

    run_command(str(path), "--interviewer", "Backend Engineer")

    grace = imported()["grace.hopper@example.com"]
    assert grace.metadata["External ID"] == "48213007"
    assert grace.metadata["Application ID"] == "91022001"
    assert grace.additional_fields == {"Score": 87}
    assert imported()["alan.turing@example.com"].additional_fields == {"Score": 92.5}
