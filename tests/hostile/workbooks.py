"""Workbooks and other zips built part by part, so that any part can be made hostile.

`workbook()` writes a minimal .xlsx that openpyxl reads: content types, relationships, a
workbook with one sheet, the sheet, and optionally shared strings and styles. Each part
is text or a `Stream` (chunks written one after the other), so that a part inflating to
hundreds of MB is written, compressed, without ever being held in memory.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
SHEET_ML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
SHEET = "xl/worksheets/sheet1.xml"
SHARED = "xl/sharedStrings.xml"
STYLES = "xl/styles.xml"
WORKBOOK = "xl/workbook.xml"
CHUNK_REPEAT = 4096  # copies of a repeated piece written at once


@dataclass(frozen=True)
class Stream:
    """A part written as a head, `count` copies of `piece`, and a tail."""

    head: str
    piece: str
    count: int
    tail: str

    def chunks(self) -> Iterator[bytes]:
        yield self.head.encode()
        block = (self.piece * CHUNK_REPEAT).encode()
        whole, rest = divmod(self.count, CHUNK_REPEAT)
        for _ in range(whole):
            yield block
        yield (self.piece * rest + self.tail).encode()


Part = str | bytes | Stream


def write_zip(path: Path, parts: dict[str, Part]) -> Path:
    """A zip of the parts, deflated; streams are written chunk by chunk."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, part in parts.items():
            if isinstance(part, Stream):
                with archive.open(name, "w") as out:
                    for chunk in part.chunks():
                        out.write(chunk)
            else:
                archive.writestr(name, part)
    return path


KINDS = {
    WORKBOOK: "sheet.main+xml",
    SHEET: "worksheet+xml",
    SHARED: "sharedStrings+xml",
    STYLES: "styles+xml",
}


def content_types(parts: Iterable[str]) -> str:
    items = "".join(
        f'<Override PartName="/{name}" ContentType="{SHEET_ML}.{KINDS[name]}"/>'
        for name in parts
        if name in KINDS
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{CT}">'
        f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        f'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f"{items}</Types>"
    )


def workbook_xml(sheets: str = '<sheet name="Candidates" sheetId="1" r:id="rId1"/>') -> str:
    return f'<workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}"><sheets>{sheets}</sheets></workbook>'


def _relationships(targets: list[tuple[str, str]]) -> str:
    items = "".join(
        f'<Relationship Id="rId{n}" Type="{DOC_RELS}/{kind}" Target="{target}"/>'
        for n, (kind, target) in enumerate(targets, start=1)
    )
    return f'<Relationships xmlns="{RELS}">{items}</Relationships>'


def styles_xml() -> str:
    return (
        f'<styleSheet xmlns="{MAIN}"><fonts count="1"><font/></fonts><fills count="1"><fill/>'
        '</fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/>'
        '</cellStyleXfs><cellXfs count="1"><xf xfId="0"/></cellXfs></styleSheet>'
    )


def shared_strings_xml(strings: Iterable[str]) -> str:
    items = "".join(f"<si><t>{escape(text)}</t></si>" for text in strings)
    return f'<sst xmlns="{MAIN}">{items}</sst>'


def sheet_xml(rows: Iterable[Iterable[object]], *, dimension: str = "") -> str:
    """A sheet of inline strings and numbers, each cell at its own reference."""
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<worksheet xmlns="{MAIN}">{declared}<sheetData>{rows_xml(rows)}</sheetData></worksheet>'
    )


def rows_xml(rows: Iterable[Iterable[object]]) -> str:
    return "".join(_row(number, cells) for number, cells in enumerate(rows, start=1))


def _row(number: int, cells: Iterable[object]) -> str:
    xml = "".join(_cell(f"{get_column_letter(n)}{number}", v) for n, v in enumerate(cells, 1))
    return f'<row r="{number}">{xml}</row>'


def _cell(reference: str, value: object) -> str:
    if isinstance(value, int | float):
        return f'<c r="{reference}"><v>{value}</v></c>'
    return f'<c r="{reference}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def sheet_stream(head_rows: str, piece: str, count: int, tail_rows: str = "") -> Stream:
    """A sheet whose sheetData holds `piece` `count` times between some rows."""
    return Stream(
        head=f'<worksheet xmlns="{MAIN}"><sheetData>{head_rows}',
        piece=piece,
        count=count,
        tail=f"{tail_rows}</sheetData></worksheet>",
    )


def workbook(path: Path, **parts: Part) -> Path:
    """A minimal .xlsx; keyword arguments replace or add its parts (sheet, shared, ...)."""
    names = {"sheet": SHEET, "shared": SHARED, "styles": STYLES, "workbook": WORKBOOK}
    chosen = {names.get(key, key): part for key, part in parts.items()}
    targets = [("worksheet", "worksheets/sheet1.xml")]
    if SHARED in chosen:
        targets.append(("sharedStrings", "sharedStrings.xml"))
    if STYLES in chosen:
        targets.append(("styles", "styles.xml"))
    chosen.setdefault(WORKBOOK, workbook_xml())
    chosen.setdefault(SHEET, sheet_xml([]))
    return write_zip(
        path,
        {
            "[Content_Types].xml": content_types(chosen),
            "_rels/.rels": _relationships([("officeDocument", WORKBOOK)]),
            "xl/_rels/workbook.xml.rels": _relationships(targets),
            **chosen,
        },
    )
