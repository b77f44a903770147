"""Spreadsheet cells in and out: read CSV and XLSX rows, type their values, neutralise formulas.

Imports and exports share these rules so that an export reads back as it was written.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from enum import StrEnum
from typing import IO, Any

# OWASP CSV injection: a spreadsheet may run a cell that starts with one of these.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
# A plain decimal number without a leading zero: 72, -3, 4.5. Longer numbers are identifiers
# (a JSON reader in a browser loses digits beyond 15), as are 000123 and +1-555-0100.
NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?")
MAX_NUMBER_DIGITS = 15
DELIMITERS = (",", ";", "\t")
XLSX_MAGIC = b"PK\x03\x04"


class Format(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


class SpreadsheetError(Exception):
    """The file as a whole cannot be read; the message says why in a recruiter's words."""


# --- reading ----------------------------------------------------------------------------------


def detect_format(file: IO[bytes], filename: str = "") -> Format:
    """Tell XLSX from CSV by the content, whatever the file is called."""
    head = file.read(4)
    file.seek(0)
    if head == XLSX_MAGIC:
        return Format.XLSX
    if filename.lower().endswith(".xls") or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise SpreadsheetError(
            "This is an old Excel (.xls) file. Save it as Excel Workbook (.xlsx) or as CSV UTF-8."
        )
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise SpreadsheetError("This file is called .xlsx but is not an Excel workbook.")
    return Format.CSV


def read_rows(file: IO[bytes], fmt: Format) -> Iterator[list[Any]]:
    """Yield every row of the first sheet, the header row first, blank rows included."""
    if fmt == Format.XLSX:
        return _xlsx_rows(file)
    return _csv_rows(file)


def _csv_rows(file: IO[bytes]) -> Iterator[list[Any]]:
    # utf-8-sig drops a byte order mark when there is one.
    text = codecs.getreader("utf-8-sig")(file, errors="strict")
    try:
        first = text.readline()
        delimiter = max(DELIMITERS, key=first.count) if first.strip() else ","
        lines = _prepend(first, text)
        yield from csv.reader(lines, delimiter=delimiter)
    except UnicodeDecodeError as error:
        raise SpreadsheetError(
            "The file is not UTF-8 text. In Excel, save it as “CSV UTF-8 (Comma delimited)”, "
            "or upload the .xlsx workbook itself."
        ) from error
    except csv.Error as error:
        raise SpreadsheetError(f"The CSV file cannot be read: {error}.") from error


def _prepend(first: str, rest: IO[str]) -> Iterator[str]:
    yield first
    yield from rest


def _xlsx_rows(file: IO[bytes]) -> Iterator[list[Any]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # read_only streams the sheet; data_only gives formulas' last computed values.
        book = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as error:
        raise SpreadsheetError(
            "The Excel file cannot be opened: it may be damaged or password-protected."
        ) from error
    try:
        sheet = book.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    finally:
        book.close()


def is_blank(row: list[Any]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in row)


# --- typing cells -----------------------------------------------------------------------------


def text_cell(value: Any) -> str:
    """A cell as trimmed text: names, emails, statuses, skills, interviewer ids."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _unquoted(value.strip())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return _iso(value)
    return str(value).strip()


def typed_cell(value: Any) -> Any:
    """A cell as the JSON value it stands for: numbers stay numbers, dates become ISO text.

    Blank cells give None. Text that only looks like a number, an identifier such as
    000123 or +1-555-0100, stays text, and so does text marked with a leading apostrophe.
    """
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if isinstance(value, datetime | date | time):
        return _iso(value)
    text = str(value).strip()
    if not text:
        return None
    if _is_quoted(text):
        return text[1:]
    if _reads_as_number(text):
        return float(text) if "." in text else int(text)
    return text


def whole_number_cell(value: Any) -> Any:
    """Hours and other counts: 24, 24.0 and "24" are 24; anything else is returned as it is."""
    value = typed_cell(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _reads_as_number(text: str) -> bool:
    if not NUMBER.fullmatch(text):
        return False
    return len(text) - text.startswith("-") - ("." in text) <= MAX_NUMBER_DIGITS


def _iso(value: datetime | date | time) -> str:
    # Excel has no date type of its own: a date is a date-time at midnight.
    if isinstance(value, datetime) and value.time() == time(0):
        return value.date().isoformat()
    return value.isoformat()


# --- neutralising formulas --------------------------------------------------------------------
#
# As in Excel, a leading apostrophe marks a cell as plain text. An export puts one before
# text a spreadsheet would run as a formula (OWASP CSV injection: = + - @ tab CR) or read
# as a number, and before an apostrophe that would otherwise be taken for such a mark; an
# import takes off exactly that one. So "=SUM(A1)", "-5" (text) and "'t Hart" all survive
# an export and an import, while real numbers such as -5 are written as numbers.


def neutralise(value: Any) -> Any:
    """Make a text cell inert in a spreadsheet; other values are returned as they are."""
    if isinstance(value, str) and _needs_quote(value):
        return QUOTE + value
    return value


def _needs_quote(text: str) -> bool:
    if text[:1] == QUOTE:
        return _needs_quote(text[1:])
    return text[:1] in FORMULA_TRIGGERS or _reads_as_number(text)


def _is_quoted(text: str) -> bool:
    return text[:1] == QUOTE and _needs_quote(text[1:])


def _unquoted(text: str) -> str:
    return text[1:] if _is_quoted(text) else text


def csv_bytes(rows: list[list[Any]]) -> bytes:
    """Rows as UTF-8 CSV with a byte order mark (so Excel reads accents), cells neutralised."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([neutralise(c) for c in r] for r in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")
