"""Every XML part openpyxl reads from an uploaded workbook, measured before it is parsed.

defusedxml keeps openpyxl from expanding entities, and the zip's directory bounds how much
a workbook inflates to; neither bounds how many XML elements a part holds, and that is
what costs memory: openpyxl keeps a whole part as a tree (the workbook, its styles), or
one row of a sheet at a time, at a few hundred bytes an element. Forty kilobytes of zip
can hold a row of ten million empty cells, several gigabytes once read.

`GuardedZip` is the zip openpyxl is given. Each part it opens is scanned by expat first,
through to its end, except a sheet, which is scanned as openpyxl streams it, a chunk
ahead of openpyxl's own parser. A part is refused, with `PartRefused` and a message for
the recruiter, when it

- declares a document type (spreadsheet programs never write one; entities need one);
- holds a row, or a shared text, of more than UNIT_ELEMENTS elements (a few for each of
  Excel's 16,384 columns);
- holds more than PART_ELEMENTS elements outside its rows and texts (styles, names,
  merged cells: what openpyxl keeps whole), or more than TEXTS_MAX shared texts.

A part that is not well-formed XML is left to openpyxl, whose parser (expat too) stops
at the same place and says so.
"""

from __future__ import annotations

import zipfile
from typing import IO, Any
from xml.parsers import expat

EXCEL_COLUMNS = 16_384
UNIT_ELEMENTS = EXCEL_COLUMNS * 8
PART_ELEMENTS = 200_000
TEXTS_MAX = 1_000_000
UNITS = ("row", "si")  # a sheet's rows and the shared strings' texts, parsed one by one
SHEETS = ("worksheet", "chartsheet", "dialogsheet", "macrosheet")
CHUNK = 64 * 1024
SAVE_AGAIN = "Open it in Excel and save it again as .xlsx, or save it as CSV UTF-8."


class PartRefused(Exception):
    """A part of the workbook is not read; the message says why in a recruiter's words."""


class _Streamed(Exception):
    """The part is a sheet: it is scanned as it is read, not ahead."""


class _Scan:
    """One part's elements, counted as its bytes arrive."""

    def __init__(self, name: str, *, ahead: bool) -> None:
        self.name = name
        self.ahead = ahead
        self.depth = self.unit_depth = self.in_unit = 0
        self.held = self.texts = self.rows = 0
        self.started = self.broken = False
        self.parser = expat.ParserCreate()
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.StartDoctypeDeclHandler = self._doctype

    def feed(self, data: bytes, *, final: bool = False) -> None:
        if self.broken:
            return
        try:
            self.parser.Parse(data, final)
        except expat.ExpatError:
            self.broken = True  # openpyxl's parser finds the same fault

    def _start(self, name: str, attributes: Any) -> None:
        local = name.rpartition(":")[2]
        self.depth += 1
        if not self.started:
            self.started = True
            if self.ahead and local in SHEETS:
                raise _Streamed
        if self.unit_depth:
            self.in_unit += 1
            if self.in_unit > UNIT_ELEMENTS:
                raise PartRefused(self._unit_too_large())
        elif local in UNITS:
            self._unit(local)
        else:
            self.held += 1
            if self.held > PART_ELEMENTS:
                raise PartRefused(
                    f"The workbook's part {self.name} holds more than {PART_ELEMENTS:,} XML "
                    "elements (styles, names, merged cells or other settings), far more than "
                    "a spreadsheet program writes. Copy the candidates into a new workbook, or "
                    "save the sheet as CSV UTF-8."
                )

    def _unit(self, local: str) -> None:
        self.unit_depth, self.in_unit = self.depth, 0
        if local == "row":
            self.rows += 1
            return
        self.texts += 1
        if self.texts > TEXTS_MAX:
            raise PartRefused(
                f"The workbook holds more than {TEXTS_MAX:,} different texts. Save the sheet "
                "as CSV UTF-8, or split it into smaller files."
            )

    def _unit_too_large(self) -> str:
        where = f"Row {self.rows:,} of the sheet" if self.rows else "A text of the workbook"
        return (
            f"{where} holds more than {UNIT_ELEMENTS:,} cells or parts of cells, more than a "
            f"spreadsheet program writes (Excel has {EXCEL_COLUMNS:,} columns): the file was "
            f"not read. {SAVE_AGAIN}"
        )

    def _end(self, name: str) -> None:
        if self.depth == self.unit_depth:
            self.unit_depth = 0
        self.depth -= 1

    def _doctype(self, *args: Any) -> None:
        raise PartRefused(
            f"The workbook's part {self.name} declares XML entities, which spreadsheet "
            "programs never write and which can make a server read its own files or run out "
            f"of memory: the file was not read. {SAVE_AGAIN}"
        )


class _ScannedStream:
    """A sheet as openpyxl reads it, each chunk scanned before openpyxl parses it."""

    def __init__(self, stream: IO[bytes], scan: _Scan) -> None:
        self._stream = stream
        self._scan = scan

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self._scan.feed(data, final=not data)
        return data

    def close(self) -> None:
        self._stream.close()

    def __enter__(self) -> _ScannedStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class GuardedZip(zipfile.ZipFile):
    """A workbook's zip whose parts are measured before openpyxl parses them."""

    def open(self, name: Any, mode: str = "r", pwd: bytes | None = None, **kwargs: Any) -> Any:
        if mode != "r":
            return super().open(name, mode, pwd, **kwargs)
        with super().open(name, pwd=pwd) as part:
            scan = _Scan(part.name, ahead=True)
            try:
                while data := part.read(CHUNK):
                    scan.feed(data)
                scan.feed(b"", final=True)
            except _Streamed:
                sheet = super().open(name, pwd=pwd)
                return _ScannedStream(sheet, _Scan(part.name, ahead=False))
        return super().open(name, pwd=pwd)
