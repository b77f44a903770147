"""recruiting.reading and recruiting.workbook_guard on their own: rows read within limits."""

from __future__ import annotations

import gc
import io
import time
import warnings
from pathlib import Path

import pytest

from recruiting import workbook_guard
from recruiting.reading import Format, SpreadsheetError, read_rows
from tests.fixtures import golden
from tests.hostile.workbooks import MAIN, Stream, sheet_stream, sheet_xml, workbook

CANDIDATES = [["name", "email"], ["Ada Lovelace", "ada@example.com"]]


def rows_of(content: bytes, fmt: Format = Format.CSV) -> list[list[object]]:
    return list(read_rows(io.BytesIO(content), fmt))


def xlsx_rows(path: Path) -> list[list[object]]:
    with path.open("rb") as file:
        return list(read_rows(file, Format.XLSX))


def refusal(content: bytes | Path, fmt: Format = Format.CSV) -> str:
    with pytest.raises(SpreadsheetError) as refused:
        xlsx_rows(content) if isinstance(content, Path) else rows_of(content, fmt)
    return str(refused.value)


# --- CSV ----------------------------------------------------------------------------------------


def test_a_line_longer_than_any_row_within_the_limits_is_refused_before_it_is_parsed(settings):
    settings.IMPORT_MAX_COLUMNS, settings.IMPORT_MAX_CELL_CHARS = 3, 10  # 3 * (2 * 10 + 3) = 69

    fullest = b",".join([b'"' + b'""' * 10 + b'"'] * 3)  # the longest a row within them can be
    assert rows_of(b"name,email\r\n" + fullest + b"\r\n")[1] == ['"' * 10] * 3
    said = refusal(b"name,email\n" + b"," * 70 + b"\n")

    assert said.startswith("Line 2 of the file is more than 69 characters long")


def test_an_unclosed_quotation_mark_is_named_with_the_line_it_opens_on():
    said = refusal(b'name,email\nAda,ada@example.com\n"Bob,bob@example.com\nCy,cy@example.com\n')

    assert said.startswith("A quotation mark opened on line 3 is never closed")


def test_a_value_going_on_after_its_closing_quotation_mark_is_explained():
    said = refusal(b'name,email\n"Ada" Lovelace,ada@example.com\n')

    assert said.startswith("On line 2, a value goes on after its closing quotation mark")


def test_a_cell_past_the_csv_modules_own_limit_gets_the_cell_limit_message():
    said = refusal(b'name,email\n"' + b"x" * 200_000 + b'",ada@example.com\n')

    assert said == "A cell on line 2 is too long: a cell may hold at most 10,000 characters."


def test_millions_of_trailing_separators_are_trimmed_in_linear_time(settings):
    settings.IMPORT_MAX_CELL_CHARS = 10_000  # lines of up to 4,000,600 characters
    started = time.perf_counter()

    rows = rows_of(b"name,email\nAda,ada@example.com" + b"," * 3_000_000 + b"\n")

    assert rows[1] == ["Ada", "ada@example.com"]
    assert time.perf_counter() - started < 5


def test_a_reading_stopped_by_a_refusal_leaves_the_file_open_and_says_nothing_more():
    file = io.BytesIO(b"name,email\n" + b"Ada,ada@example.com\n" * 60)
    rows = read_rows(file, Format.CSV)
    next(rows)

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rows.close()
        gc.collect()
    assert not file.closed


# --- XLSX ---------------------------------------------------------------------------------------


def test_a_workbook_saved_by_a_spreadsheet_program_reads_through_the_guard():
    rows = xlsx_rows(golden("candidates_messy.xlsx"))

    assert [str(cell).lower() for cell in rows[0][:2]] == ["name", "email"]
    assert len(rows) > 3


def test_rows_padded_with_blank_cells_to_column_xfd_are_trimmed(tmp_path):
    padded = '<row><c t="inlineStr"><is><t>x</t></is></c><c r="XFD1"/></row>'
    path = workbook(tmp_path / "padded.xlsx", sheet=sheet_stream("", padded, 300))

    assert xlsx_rows(path) == [["x"]] * 300


def test_a_document_type_is_refused_before_openpyxl_reads_the_part(tmp_path):
    sheet = '<?xml version="1.0"?><!DOCTYPE worksheet []>' + sheet_xml(CANDIDATES)
    said = refusal(workbook(tmp_path / "doctype.xlsx", sheet=sheet))

    assert said.startswith("The workbook's part xl/worksheets/sheet1.xml declares XML entities")


def test_a_row_of_more_elements_than_excel_writes_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(workbook_guard, "UNIT_ELEMENTS", 50)
    path = workbook(tmp_path / "wide.xlsx", sheet=sheet_stream("<row>", "<c/>", 51, "</row>"))

    assert refusal(path).startswith("Row 1 of the sheet holds more than 50 cells")


def test_a_shared_text_of_too_many_parts_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(workbook_guard, "UNIT_ELEMENTS", 50)
    shared = Stream(f'<sst xmlns="{MAIN}"><si>', "<r><t>a</t></r>", 30, "</si></sst>")
    path = workbook(tmp_path / "runs.xlsx", sheet=sheet_xml(CANDIDATES), shared=shared)

    assert refusal(path).startswith("A text of the workbook holds more than 50 cells")


def test_a_part_of_too_many_elements_outside_rows_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(workbook_guard, "PART_ELEMENTS", 100)
    styles = Stream(f'<styleSheet xmlns="{MAIN}">', "<a/>", 100, "</styleSheet>")
    path = workbook(tmp_path / "styles.xlsx", sheet=sheet_xml(CANDIDATES), styles=styles)

    assert refusal(path).startswith("The workbook's part xl/styles.xml holds more than 100 XML")


def test_rows_do_not_count_against_the_elements_of_their_sheet(tmp_path, monkeypatch):
    monkeypatch.setattr(workbook_guard, "PART_ELEMENTS", 100)
    rows = [["name", "email"], *([f"P {n}", f"p{n}@example.com"] for n in range(200))]

    assert len(xlsx_rows(workbook(tmp_path / "long.xlsx", sheet=sheet_xml(rows)))) == 201


def test_more_shared_texts_than_the_limit_are_refused_before_openpyxl_reads_them(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(workbook_guard, "TEXTS_MAX", 10)
    shared = Stream(f'<sst xmlns="{MAIN}">', "<si><t>a</t></si>", 11, "</sst>")
    path = workbook(tmp_path / "texts.xlsx", sheet=sheet_xml(CANDIDATES), shared=shared)

    assert refusal(path).startswith("The workbook holds more than 10 different texts")


def test_a_cell_marked_as_a_number_that_holds_text_is_named_with_its_row(tmp_path):
    sheet = sheet_xml(CANDIDATES).replace(
        "</sheetData>", '<row r="3"><c r="A3"><v>abc</v></c></row></sheetData>'
    )
    said = refusal(workbook(tmp_path / "text.xlsx", sheet=sheet))

    assert said.startswith("The Excel file cannot be read from row 3 on")
    assert "(a cell marked as a number holds text)" in said
