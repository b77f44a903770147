"""Read the rows of an uploaded spreadsheet, bounded in size, time and memory.

Uploads come from outside: a file may be damaged, of another kind, or made to hurt (an XML
entity bomb, a zip bomb, a sheet declaring a million columns, one endless line). Each limit
is a setting with its own message, checked before the work it bounds: the upload's size
before it is read, an XLSX's uncompressed size from its zip directory before anything is
inflated, columns, cells and rows as they stream. XML is parsed by openpyxl through
defusedxml, which refuses entities. Whatever goes wrong ends in a SpreadsheetError saying
what to do, never in a traceback.
"""

from __future__ import annotations

import contextlib
import csv
import io
import zipfile
from collections.abc import Iterator
from enum import StrEnum
from typing import IO, Any

from django.conf import settings

from recruiting.wording import plural

DELIMITERS = (",", ";", "\t")
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old Excel, and encrypted (password-protected) workbooks
MB = 1024 * 1024


class Format(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


class SpreadsheetError(Exception):
    """The file as a whole cannot be read; the message says why in a recruiter's words."""


def size_problem(size: int) -> str | None:
    """Why an upload of this many bytes is refused, before anything of it is read."""
    limit = settings.IMPORT_MAX_UPLOAD_MB
    if size > limit * MB:
        return (
            f"The file is {size / MB:.1f} MB; files of up to {limit} MB can be imported. "
            "Split it into smaller files."
        )
    return None


def detect_format(file: IO[bytes], filename: str = "") -> Format:
    """Tell XLSX from CSV by the content, whatever the file is called."""
    head = file.read(8)
    file.seek(0)
    name = filename.lower()
    if head.startswith(XLSX_MAGIC):
        _refuse_other_zips(file, name)
        return Format.XLSX
    if head.startswith(OLE_MAGIC):
        raise SpreadsheetError(
            "This is an old Excel (.xls) file or a password-protected workbook. Remove the "
            "password, or save it as Excel Workbook (.xlsx) or as CSV UTF-8."
        )
    if name.endswith((".xls", ".xlsx", ".xlsm", ".ods", ".numbers")):
        raise SpreadsheetError(
            f"This file is called {filename} but is not an Excel workbook. Save it as Excel "
            "Workbook (.xlsx) or as CSV UTF-8."
        )
    return Format.CSV


def _refuse_other_zips(file: IO[bytes], name: str) -> None:
    """OpenDocument and Numbers files are zips too: name them rather than call them damaged."""
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile as error:
        raise SpreadsheetError(
            "The Excel file cannot be opened: it is damaged. Save it again as .xlsx or CSV UTF-8."
        ) from error
    finally:
        file.seek(0)
    if "[Content_Types].xml" in names:
        return
    kind = "an OpenDocument spreadsheet (.ods)" if "mimetype" in names else "not an Excel file"
    if name.endswith(".numbers") or any(n.startswith("Index/") for n in names):
        kind = "an Apple Numbers file"
    raise SpreadsheetError(f"This is {kind}. Export it as Excel Workbook (.xlsx) or as CSV UTF-8.")


def read_rows(file: IO[bytes], fmt: Format) -> Iterator[list[Any]]:
    """Yield every row of the first sheet, the header row first, blank rows included."""
    rows = _xlsx_rows(file) if fmt == Format.XLSX else _csv_rows(file)
    return _bounded(rows)


def _bounded(rows: Iterator[list[Any]]) -> Iterator[list[Any]]:
    max_rows, max_columns = settings.IMPORT_MAX_ROWS, settings.IMPORT_MAX_COLUMNS
    max_chars = settings.IMPORT_MAX_CELL_CHARS
    for number, row in enumerate(rows, start=1):
        if number > max_rows + 1:  # the header, then the candidates
            raise SpreadsheetError(
                f"The file has more than {plural(max_rows, 'row')} of candidates. Split it "
                "into smaller files."
            )
        while row and row[-1] in (None, ""):
            row = row[:-1]
        if len(row) > max_columns:
            raise SpreadsheetError(
                f"Row {number} has {len(row)} columns; at most {max_columns} can be imported."
            )
        for index, cell in enumerate(row):
            if isinstance(cell, str) and len(cell) > max_chars:
                raise SpreadsheetError(
                    f"Row {number}, column {index + 1} holds {len(cell):,} characters; a cell "
                    f"may hold at most {max_chars:,}."
                )
        yield row


def _csv_rows(file: IO[bytes]) -> Iterator[list[Any]]:
    # A buffered text stream reads in linear time, however long a line is; utf-8-sig drops
    # a byte order mark when there is one.
    text = io.TextIOWrapper(file, encoding="utf-8-sig", errors="strict", newline="")
    try:
        first = text.readline(settings.IMPORT_MAX_CELL_CHARS * settings.IMPORT_MAX_COLUMNS)
        delimiter = max(DELIMITERS, key=first.count) if first.strip() else ","
        yield from csv.reader(_prepend(first, text), delimiter=delimiter)
    except UnicodeDecodeError as error:
        raise SpreadsheetError(
            "The file is not UTF-8 text. In Excel, save it as “CSV UTF-8 (Comma delimited)”, "
            "or upload the .xlsx workbook itself."
        ) from error
    except csv.Error as error:
        raise SpreadsheetError(f"The CSV file cannot be read: {error}.") from error
    finally:
        with contextlib.suppress(ValueError):  # the caller may have closed the file already
            text.detach()  # or the wrapper would close the caller's file when collected


def _prepend(first: str, rest: IO[str]) -> Iterator[str]:
    yield first
    yield from rest


def _xlsx_rows(file: IO[bytes]) -> Iterator[list[Any]]:
    _check_inflated_size(file)
    book = _open_workbook(file)
    try:
        if not book.worksheets:
            raise SpreadsheetError("The workbook has no sheet. Put the candidates on its first.")
        sheet = book.worksheets[0]
        # Read the rows the sheet has, not the dimension it declares.
        sheet.reset_dimensions()
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    except SpreadsheetError:
        raise
    except Exception as error:  # a hostile or broken part of the workbook, found as it streams
        raise _unreadable(error) from error
    finally:
        book.close()


def _check_inflated_size(file: IO[bytes]) -> None:
    """Refuse a zip bomb from its directory, before anything is inflated."""
    limit = settings.IMPORT_MAX_XLSX_UNCOMPRESSED_MB
    try:
        with zipfile.ZipFile(file) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise _unreadable(error) from error
    finally:
        file.seek(0)
    if inflated > limit * MB:
        raise SpreadsheetError(
            f"The workbook unpacks to {inflated / MB:,.0f} MB; at most {limit} MB can be "
            "read. Save the sheet as CSV UTF-8, or split it into smaller files."
        )


def _open_workbook(file: IO[bytes]) -> Any:
    import openpyxl

    try:
        # read_only streams the sheet; data_only gives formulas' last computed values.
        return openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises whatever its parts' parsers raise
        raise _unreadable(error) from error


def _unreadable(error: Exception) -> SpreadsheetError:
    return SpreadsheetError(
        "The Excel file cannot be read: it is damaged or was not saved by a spreadsheet "
        f"program ({type(error).__name__}). Open it in Excel and save it again as .xlsx, or as "
        "CSV UTF-8."
    )
