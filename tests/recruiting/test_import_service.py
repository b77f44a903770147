import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recruiting.imports.messages import import_messages
from recruiting.imports.results import RowAction
from recruiting.models import Candidate
from recruiting.reading import SpreadsheetError
from tests.factories import CandidateFactory
from tests.fixtures import BACKEND_ID, golden, golden_interviewers, run_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def interviewers():
    return golden_interviewers()


@pytest.fixture
def backend(interviewers):
    return interviewers[0]


def problems_of(result) -> dict[int, list[tuple[str, str]]]:
    found: dict[int, list[tuple[str, str]]] = {}
    for note in result.problems:
        found.setdefault(note.row, []).append((note.column, note.message))
    return found


# --- the golden files ---------------------------------------------------------------------------


def test_messy_csv_is_read_as_a_recruiter_means_it(backend):
    result = run_import(golden("candidates_messy.csv"), valid_only=True)

    assert result.written
    assert result.counts[RowAction.NEW] == 3
    assert result.ignored_columns == ["Notes"]
    jose = Candidate.objects.get(email="jose.nunez@example.com")
    assert jose.name == "José Núñez"
    assert jose.interviewer == backend
    assert jose.status == "draft"
    assert jose.skills == ["python", "django", "aws"]
    assert jose.send_email_after == 24
    assert jose.additional_fields == {"Manual Score": 72, "Rating": 4.5}
    assert jose.metadata == {"Phone": "+1-555-0100", "External ID": "000123"}
    li = Candidate.objects.get(email="li.lei@example.cn")
    assert (li.name, li.interviewer, li.status, li.skills) == ("李雷", backend, "", ["Go"])
    assert li.metadata == {"External ID": "c_42"}
    zoe = Candidate.objects.get(email="zoe@example.se")
    assert (zoe.name, zoe.status, zoe.send_email_after) == ("Zoë Ångström", "shortlisted", 96)
    assert zoe.additional_fields == {"Manual Score": -3}
    assert zoe.metadata == {"External ID": "00042"}


def test_messy_csv_flags_the_duplicate_row_by_its_spreadsheet_row_number(backend):
    result = run_import(golden("candidates_messy.csv"), dry_run=True)

    # Row 1 is the header; the blank line (row 4) and the row of empty cells (row 6) count
    # as rows, as they do when the file is opened in Excel, but are not imported.
    assert result.total == 4
    assert problems_of(result) == {
        7: [
            (
                "email",
                "Duplicate row: row 2 already has jose.nunez@example.com for “Backend Engineer”. "
                "Keep one of the two rows.",
            )
        ]
    }


def test_messy_xlsx_keeps_excel_numbers_and_dates(backend):
    result = run_import(golden("candidates_messy.xlsx"), interviewer=backend, valid_only=True)

    assert result.counts[RowAction.NEW] == 2
    assert result.ignored_columns == ["Recruiter notes"]
    assert [(note.row, note.column) for note in result.problems] == [(5, "email")]
    ana = Candidate.objects.get(email="ana@example.com")
    assert (ana.name, ana.status, ana.skills) == ("Ana Lúcia", "draft", ["python", "sql"])
    assert ana.send_email_after == 12
    assert ana.additional_fields == {"Manual Score": 72, "Interview Date": "2024-03-05"}
    assert ana.metadata == {"Phone": "+1-555-0100", "External ID": "000123"}
    emile = Candidate.objects.get(email="emile@example.fr")
    assert emile.interviewer == backend  # the default: its interviewer cell is blank
    assert emile.send_email_after == 48
    assert emile.additional_fields == {"Manual Score": 4.5, "Interview Date": "2024-03-05T14:30:00"}
    assert emile.metadata == {"Phone": 5550100, "External ID": "A-7"}


# --- each kind of error -------------------------------------------------------------------------


def test_every_kind_of_invalid_row_is_named_with_its_row_column_and_a_plain_message(interviewers):
    result = run_import(golden("candidates_errors.csv"), dry_run=True)
    problems = problems_of(result)

    assert result.counts[RowAction.NEW] == 1
    assert result.invalid == 10
    assert problems[3] == [("email", "“not-an-email” is not a valid email address.")]
    assert problems[4] == [
        ("name", "The name is blank: InterviewFlowAI rejects candidates without a name.")
    ]
    assert problems[5][0][0] == "status"
    assert "Resume Screening turned on" in problems[5][0][1]
    assert problems[6] == [
        (
            "send_email_after",
            "The invitation delay (send_email_after) must be between 1 and 96 hours, not 97.",
        )
    ]
    assert problems[7][0][0] == "send_email_after" and "not 0" in problems[7][0][1]
    assert problems[8] == [
        (
            "send_email_after",
            "The invitation delay (send_email_after) must be a whole number of hours.",
        )
    ]
    assert problems[9] == [("interviewer", "No Interviewer has the id or name “Recruiting Robot”.")]
    assert problems[10][0][0] == "email" and "Duplicate row: row 2" in problems[10][0][1]
    assert problems[11] == [
        ("status", "The status must be shortlisted, draft or blank, not “maybe”.")
    ]
    assert problems[12][0][0] == "status"
    assert problems[12][0][1].startswith("A blank status means shortlisted for a public")


def test_nothing_is_written_while_any_row_is_invalid(interviewers):
    result = run_import(golden("candidates_errors.csv"))

    assert not result.written
    assert not Candidate.objects.exists()
    level, text = import_messages(result)[0]
    assert level == "error"
    assert text.startswith("Nothing is imported while rows are invalid: 10 rows are invalid.")


def test_choosing_valid_rows_only_imports_them_and_names_the_rows_left_out(interviewers):
    result = run_import(golden("candidates_errors.csv"), valid_only=True)

    assert result.written
    assert list(Candidate.objects.values_list("email", flat=True)) == ["ada@example.com"]
    assert ("warning", "10 invalid rows left out: rows 3, 4, 5, 6, 7, 8, 9, 10, 11, 12.") in (
        import_messages(result)
    )


def test_a_send_email_after_in_the_metadata_columns_is_checked_too(backend):
    result = run_import(
        b"name,email,metadata:sendEmailAfter\nAda,ada@example.com,200\n", interviewer=backend
    )

    assert not result.written
    assert [(note.column, note.message) for note in result.problems] == [
        (
            "metadata:sendEmailAfter",
            "The sendEmailAfter in the metadata must be a number of hours from 1 to 96, not 200.",
        )
    ]


def test_a_row_without_any_interviewer_asks_for_one(interviewers):
    result = run_import(b"name,email\nAda,ada@example.com\n", dry_run=True)

    assert problems_of(result) == {
        2: [
            (
                "interviewer",
                "No Interviewer for this row: fill in its interviewer column, or choose a "
                "default Interviewer for the import.",
            )
        ]
    }


def test_an_interviewer_name_shared_by_two_interviewers_asks_for_the_id(interviewers):
    from tests.factories import InterviewerFactory

    InterviewerFactory(name="Backend Engineer")
    result = run_import(b"name,email,interviewer\nAda,ada@example.com,backend engineer\n")

    assert "2 Interviewers are called “backend engineer”" in result.problems[0].message


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty"),
        (b"\n\n", "The file is empty"),
        (b"who,where\nAda,ada@example.com\n", "no “name” and no “email” column"),
        (b"name,email,Email\nAda,a@example.com,b@example.com\n", "Two columns are called"),
        ("name,email\nAdà,ada@example.com\n".encode("latin-1"), "not UTF-8 text"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old excel", "old Excel (.xls) file"),
        (b"PK\x03\x04not really a zip", "cannot be opened"),
        (b"name,email\n", "a header row but no row of candidates"),
        (b"name,email\n\n,\n", "a header row but no row of candidates"),
    ],
)
def test_a_file_that_cannot_be_imported_says_why(backend, content, message):
    with pytest.raises(SpreadsheetError, match=re.escape(message)):
        run_import(content, interviewer=backend)


def test_a_header_without_rows_writes_nothing_either(backend):
    with pytest.raises(SpreadsheetError, match="no row of candidates"):
        run_import(b"name,email\n", interviewer=backend, valid_only=True)

    assert not Candidate.objects.exists()


def test_a_row_with_more_cells_than_the_header_is_invalid_rather_than_cut(backend):
    result = run_import(
        b"name,email,skills\nAda,ada@example.com,python\nBob,bob@example.com,python,aws\n",
        interviewer=backend,
    )

    assert problems_of(result) == {
        3: [
            (
                "cells",
                "This row has 4 cells but the header names 3 columns, so some of its values "
                "would be lost: put quotation marks around a value that holds a comma or a "
                "semicolon, or name the extra column in the first row.",
            )
        ]
    }
    assert not Candidate.objects.exists()


def test_blank_cells_past_the_header_are_not_extra_cells(backend):
    result = run_import(b"name,email\nAda,ada@example.com,,\n", interviewer=backend)

    assert result.written and not result.problems


def test_a_refused_email_is_never_looked_up_in_the_database(backend):
    with CaptureQueriesContext(connection) as queries:
        result = run_import(b"name,email\nBob,bob\x00@example.com\n", interviewer=backend)

    assert problems_of(result)[2][0][0] == "email"
    assert not any('FROM "recruiting_candidate"' in q["sql"] for q in queries.captured_queries)


# --- matching on interviewer and email ----------------------------------------------------------


def test_importing_the_same_file_again_creates_nothing_and_reports_unchanged(backend):
    run_import(golden("candidates_messy.csv"), valid_only=True)
    again = run_import(golden("candidates_messy.csv"), valid_only=True)

    assert again.counts[RowAction.NEW] == 0
    assert again.counts[RowAction.UNCHANGED] == 3
    assert Candidate.objects.count() == 3


def test_a_changed_row_updates_a_draft_not_yet_sent(backend):
    draft = CandidateFactory(
        interviewer=backend,
        email="ada@example.com",
        name="Ada",
        skills=["python"],
        additional_fields={"Manual Score": 60, "Source": "referral"},
    )
    result = run_import(
        "name,email,interviewer,additional:Manual Score\n"
        f"Ada Lovelace,ADA@example.com,{BACKEND_ID},72\n".encode()
    )

    draft.refresh_from_db()
    assert result.counts[RowAction.UPDATE] == 1
    assert result.preview[0].changes == ["name", "additional_fields"]
    assert draft.name == "Ada Lovelace"
    # Columns the file does not have are left as they were.
    assert draft.skills == ["python"]
    assert draft.additional_fields == {"Manual Score": 72, "Source": "referral"}


def test_a_blank_cell_removes_that_additional_field(backend):
    draft = CandidateFactory(
        interviewer=backend, email="ada@example.com", additional_fields={"Manual Score": 60}
    )
    run_import(b"name,email,additional:Manual Score\nAda,ada@example.com,\n", interviewer=backend)

    draft.refresh_from_db()
    assert draft.additional_fields == {}


def test_a_changed_row_for_a_sent_candidate_is_reported_and_not_applied(backend):
    sent = CandidateFactory(
        interviewer=backend, email="ada@example.com", name="Ada", state=Candidate.State.SENT
    )
    result = run_import(b"name,email\nAda Lovelace,ada@example.com\n", interviewer=backend)

    sent.refresh_from_db()
    assert sent.name == "Ada"
    assert result.written
    assert result.counts[RowAction.SKIPPED] == 1
    assert result.skipped[0].row == 2
    assert "was already sent to InterviewFlowAI" in result.skipped[0].message
    assert (
        "warning",
        "1 row not applied because the candidate was already sent or is being sent: row 2.",
    ) in import_messages(result)


def test_an_unchanged_row_for_a_sent_candidate_is_simply_unchanged(backend):
    CandidateFactory(interviewer=backend, email="ada@example.com", name="Ada", state="sent")
    result = run_import(b"name,email\nAda,ada@example.com\n", interviewer=backend)

    assert result.counts[RowAction.UNCHANGED] == 1
    assert not result.skipped


# --- choices applied to every row ---------------------------------------------------------------


def test_status_and_skills_chosen_for_the_import_apply_to_every_row(backend):
    run_import(
        b"name,email,status,skills\nAda,ada@example.com,shortlisted,python\nBob,bob@example.com,,\n",
        interviewer=backend,
        status="draft",
        skills=("aws", "Python"),
    )

    assert dict(Candidate.objects.values_list("email", "status")) == {
        "ada@example.com": "draft",
        "bob@example.com": "draft",
    }
    assert Candidate.objects.get(email="ada@example.com").skills == ["python", "aws"]
    assert Candidate.objects.get(email="bob@example.com").skills == ["aws", "Python"]


def test_a_comma_separated_file_is_read_as_well_as_a_semicolon_one(backend):
    result = run_import(
        b'name,email,skills\n"Lovelace, Ada",ada@example.com,"python;aws"\n', interviewer=backend
    )

    assert result.written
    candidate = Candidate.objects.get()
    assert (candidate.name, candidate.skills) == ("Lovelace, Ada", ["python", "aws"])


def test_numbers_stay_numbers_and_identifiers_stay_text(backend):
    run_import(
        b"name,email,additional:a,additional:b,additional:c,additional:d,additional:e,"
        b"additional:f,additional:g\n"
        b"Ada,ada@example.com,72,-4.5,000123,+1-555-0100,0,12345678901234567890,1e5\n",
        interviewer=backend,
    )

    assert Candidate.objects.get().additional_fields == {
        "a": 72,
        "b": -4.5,
        "c": "000123",
        "d": "+1-555-0100",
        "e": 0,
        "f": "12345678901234567890",
        "g": "1e5",
    }


def test_the_preview_keeps_one_page_of_rows_but_counts_them_all(backend):
    rows = "".join(f"Person {n},person{n}@example.com\n" for n in range(250))
    result = run_import(f"name,email\n{rows}".encode(), interviewer=backend, dry_run=True)

    assert result.counts[RowAction.NEW] == 250
    assert len(result.preview) == 100
    assert not Candidate.objects.exists()
