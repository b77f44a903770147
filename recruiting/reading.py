"""Read the rows of an uploaded spreadsheet, bounded in size, time and memory.

Uploads come from outside: a file may be damaged, of another kind, or made to hurt (an XML
entity bomb, a zip bomb, a sheet declaring a million columns, one endless line). Each limit
is a setting with its own message, checked before the work it bounds: the upload's size
before it is read, an XLSX's uncompressed size from its zip directory before anything is
inflated, each XML part's elements before openpyxl parses them (`workbook_guard`), a CSV
line's length before it is parsed, columns, cells and rows as they stream. XML is parsed by
openpyxl through defusedxml, which refuses entities. Whatever goes wrong ends in a
SpreadsheetError saying what to do, never in a traceback.
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import zipfile
from collections.abc import Generator, Iterator
from enum import StrEnum
from typing import IO, Any

from defusedxml import DefusedXmlException
from django.conf import settings

from recruiting.wording import plural
from recruiting.workbook_guard import SAVE_AGAIN, GuardedZip, PartRefused

DELIMITERS = (",", ";", "\t")
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old Excel, and encrypted (password-protected) workbooks
MB = 1024 * 1024
NOT_UTF8 = (
    "The file is not UTF-8 text. In Excel, save it as “CSV UTF-8 (Comma delimited)”, "
    "or upload the .xlsx workbook itself."
)
NOT_A_NUMBER = ("invalid literal for int()", "could not convert string to float")
ENTITIES = (
    "The workbook declares XML entities, which spreadsheet programs never write and which can "
    f"make a server read its own files or run out of memory: the file was not read. {SAVE_AGAIN}"
)


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


def read_rows(file: IO[bytes], fmt: Format) -> Generator[list[Any], None, None]:
    """Yield every row of the first sheet, the header row first, blank rows included."""
    rows = _xlsx_rows(file) if fmt == Format.XLSX else _csv_rows(file)
    return _bounded(rows)


def _bounded(rows: Generator[list[Any], None, None]) -> Generator[list[Any], None, None]:
    try:
        for number, row in enumerate(rows, start=1):
            yield _checked(number, row)
    finally:
        rows.close()  # now, while the caller's file is still open


def _checked(number: int, row: list[Any]) -> list[Any]:
    """The row without trailing blanks, if it is within the limits on rows, columns, cells."""
    max_rows, max_columns = settings.IMPORT_MAX_ROWS, settings.IMPORT_MAX_COLUMNS
    max_chars = settings.IMPORT_MAX_CELL_CHARS
    if number > max_rows + 1:  # the header, then the candidates
        raise SpreadsheetError(
            f"The file has more than {plural(max_rows, 'row')} of candidates. Split it "
            "into smaller files."
        )
    row = _trimmed(row, max_columns)
    if len(row) > max_columns:
        raise SpreadsheetError(
            f"Row {number:,} has {len(row):,} columns; at most {max_columns:,} can be imported."
        )
    for index, cell in enumerate(row):
        if isinstance(cell, str) and len(cell) > max_chars:
            raise SpreadsheetError(
                f"Row {number:,}, column {index + 1:,} holds {len(cell):,} characters; a "
                f"cell may hold at most {max_chars:,}."
            )
    return row


def _trimmed(row: list[Any], width: int) -> list[Any]:
    """The row without its trailing blank cells, however many there are, in linear time."""
    if len(row) > width:
        # Counted in C: a sheet's rows may be padded with blanks up to column XFD.
        tail = row[width:]
        if tail.count(None) == len(tail) or tail.count("") == len(tail):
            row = row[:width]
    end = len(row)
    while end and row[end - 1] in (None, ""):
        end -= 1
    return row[:end] if end < len(row) else row


def _csv_rows(file: IO[bytes]) -> Generator[list[Any], None, None]:
    # A buffered text stream reads in linear time, however long a line is; utf-8-sig drops
    # a byte order mark when there is one.
    text = io.TextIOWrapper(file, encoding="utf-8-sig", errors="strict", newline="")
    try:
        yield from _csv_records(_lines(text))
    except UnicodeDecodeError as error:
        raise SpreadsheetError(NOT_UTF8) from error
    finally:
        with contextlib.suppress(ValueError):  # the caller may have closed the file already
            text.detach()  # or the wrapper would close the caller's file when collected


def _lines(text: IO[str]) -> Iterator[str]:
    """The file's lines, each read only as far as a row within the limits can reach."""
    max_columns, max_chars = settings.IMPORT_MAX_COLUMNS, settings.IMPORT_MAX_CELL_CHARS
    # Every cell quoted, every character a doubled quotation mark, a separator after each.
    limit = max_columns * (2 * max_chars + 3)
    for number in itertools.count(1):
        if not (line := text.readline(limit + 2)):  # and a line break, \n or \r\n
            return
        if len(line.rstrip("\r\n")) > limit:
            raise SpreadsheetError(
                f"Line {number:,} of the file is more than {limit:,} characters long, more "
                f"than {plural(max_columns, 'column')} of {max_chars:,} characters can be: "
                "this is not a list of candidates. Check the file, or split the line."
            )
        yield line


def _csv_records(lines: Iterator[str]) -> Iterator[list[str]]:
    first = next(lines, "")
    delimiter = max(DELIMITERS, key=first.count) if first.strip() else ","
    # strict: an unclosed quotation mark is an error, not the rest of the file in one cell.
    reader = csv.reader(itertools.chain([first], lines), delimiter=delimiter, strict=True)
    start = 1  # the line the record being read starts on
    try:
        for record in reader:
            yield record
            start = reader.line_num + 1
    except csv.Error as error:
        raise SpreadsheetError(_csv_problem(str(error), start, reader.line_num)) from error


def _csv_problem(error: str, start: int, line: int) -> str:
    """What the csv module's complaint means, with the line it is about."""
    if "field larger than field limit" in error:
        return (
            f"A cell on line {line:,} is too long: a cell may hold at most "
            f"{settings.IMPORT_MAX_CELL_CHARS:,} characters."
        )
    if "unexpected end of data" in error:
        return (
            f"A quotation mark opened on line {start:,} is never closed, so the rest of the "
            "file would be read as one cell. Close the quotation marks around that value, or "
            "remove the one that opens it."
        )
    if "expected after" in error:
        return (
            f"On line {line:,}, a value goes on after its closing quotation mark. Put the "
            'whole value in quotation marks and double those inside it ("").'
        )
    return f"The CSV file cannot be read at line {line:,}: {error}."


def _xlsx_rows(file: IO[bytes]) -> Generator[list[Any], None, None]:
    _check_inflated_size(file)
    book = _open_workbook(file)
    read = 0
    try:
        if not book.worksheets:
            raise SpreadsheetError("The workbook has no sheet. Put the candidates on its first.")
        sheet = book.worksheets[0]
        # Read the rows the sheet has, not the dimension it declares.
        sheet.reset_dimensions()
        for row in sheet.iter_rows(values_only=True):
            read += 1
            yield list(row)
    except SpreadsheetError:
        raise
    except Exception as error:  # a hostile or broken part of the workbook, found as it streams
        raise _unreadable(error, row=read + 1) from error
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
    from openpyxl.reader.excel import ExcelReader

    try:
        # read_only streams the sheet; data_only gives formulas' last computed values.
        reader = ExcelReader(file, read_only=True, data_only=True, keep_links=False)
        reader.archive.close()  # the file stays open: it is the caller's
        # load_workbook, but with every part measured by workbook_guard before it is parsed.
        reader.archive = GuardedZip(file)
        reader.valid_files = reader.archive.namelist()
        reader.read()
    except Exception as error:  # openpyxl raises whatever its parts' parsers raise
        raise _unreadable(error) from error
    return reader.wb


def _unreadable(error: Exception, *, row: int = 0) -> SpreadsheetError:
    """Why the workbook cannot be read: a refused part, entities, or damage of some kind."""
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, PartRefused):
            return SpreadsheetError(str(cause))
        if isinstance(cause, DefusedXmlException):
            return SpreadsheetError(ENTITIES)
        cause = cause.__cause__ or cause.__context__
    where = f" from row {row:,} on" if row else ""
    return SpreadsheetError(
        f"The Excel file cannot be read{where}: it is damaged or was not saved by a "
        f"spreadsheet program ({_fault(error)}). Open it in Excel and save it again as .xlsx, "
        "or as CSV UTF-8."
    )


def _fault(error: Exception) -> str:
    # openpyxl reads a number cell with int() or float(), whatever its text.
    if isinstance(error, ValueError) and str(error).startswith(NOT_A_NUMBER):
        return "a cell marked as a number holds text"
    return type(error).__name__
