"""Spreadsheet cells in and out: type their values, neutralise formulas.

Imports and exports share these rules so that an export reads back as it was written;
`recruiting.reading` reads the rows of an uploaded file.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time
from typing import Any

# OWASP CSV injection: a spreadsheet may run a cell that starts with one of these.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
# A plain decimal number without a leading zero: 72, -3, 4.5. Longer numbers are identifiers
# (a JSON reader in a browser loses digits beyond 15), as are 000123 and +1-555-0100.
NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?")
MAX_NUMBER_DIGITS = 15


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
    return b"".join(csv_chunks([neutralise(cell) for cell in row] for row in rows))


def csv_chunks(
    rows: Iterable[list[Any]], *, encoding: str = "utf-8-sig", rows_per_chunk: int = 500
) -> Iterator[bytes]:
    """Rows as CSV, a few hundred at a time, for a streamed answer; cells written as given.

    The default encoding starts the first chunk with a byte order mark, so that Excel
    reads accents right.
    """
    encoder = codecs.getincrementalencoder(encoding)()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for number, row in enumerate(rows, start=1):
        writer.writerow(row)
        if number % rows_per_chunk == 0:
            yield encoder.encode(_drained(buffer))
    yield encoder.encode(_drained(buffer), final=True)


def _drained(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
