"""Hostile uploads, each built at test time, with what the recruiter must be told about it.

A case is an id, a file name, how its bytes are written, and the message expected (a
substring, in the recruiter's words). Refused files must write nothing; `valid` files are
imported. `limits` lower a setting for the case (rather than writing a 200,000-row file);
`heavy` cases are also read in a fresh process whose peak memory is measured.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.hostile.workbooks import (
    MAIN,
    SHEET,
    Part,
    Stream,
    rows_xml,
    shared_strings_xml,
    sheet_stream,
    sheet_xml,
    styles_xml,
    workbook,
    workbook_xml,
    write_zip,
)

MB = 1024 * 1024
ENTITIES = "declares XML entities"
ELEMENTS = "holds more than 200,000 XML elements"
SWOLLEN = 3_000_000  # elements: 12 to 114 MB unzipped, up to 2 GB once read by openpyxl
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
VALID_ROW = "Ada Lovelace,ada@example.com"
CANDIDATES = [["name", "email"], ["Ada Lovelace", "ada@example.com"]]
Build = Callable[[Path], None]


@dataclass(frozen=True)
class Case:
    id: str
    name: str
    build: Build
    message: str
    valid: bool = False
    limits: dict[str, int] = field(default_factory=dict)
    heavy: bool = False
    imported_name: str = ""  # for valid files: the start of the name imported, as text


def content(data: bytes) -> Build:
    def build(path: Path) -> None:
        path.write_bytes(data)

    return build


def csv_rows(*lines: str, header: str = "name,email") -> Build:
    """A CSV file: the header, one valid candidate, then the hostile lines."""
    text = "\n".join([header, VALID_ROW, *lines]) + "\n"
    return content(text.encode())


def long_line(case_id: str, line: bytes) -> Case:
    """A CSV whose second line is as long as the upload limit allows, read in no time."""
    build = content(b"name,email\n" + line + b"\n")
    return Case(case_id, "candidates.csv", build, "characters long", heavy=True)


def xlsx(**parts: Part) -> Build:
    def build(path: Path) -> None:
        workbook(path, **parts)

    return build


def doctype(root: str, entities: str) -> str:
    return f'<?xml version="1.0"?><!DOCTYPE {root} [{entities}]>'


XXE = '<!ENTITY xxe SYSTEM "file:///etc/passwd">'
LAUGHS = '<!ENTITY lol "lol">' + "".join(
    f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
    for n in range(1, 10)
)
SHARED_CELL_SHEET = sheet_xml(CANDIDATES).replace(
    '<c r="A2" t="inlineStr"><is><t>Ada Lovelace</t></is></c>', '<c r="A2" t="s"><v>0</v></c>'
)


def _sheet_with(cell: str) -> str:
    return sheet_xml(CANDIDATES).replace("</sheetData>", f'<row r="3">{cell}</row></sheetData>')


def _truncated(path: Path) -> None:
    workbook(path, sheet=sheet_xml(CANDIDATES))
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])


def _lying_directory(path: Path) -> None:
    """A sheet inflating to 150 MB whose zip directory says it holds 10 kB."""
    workbook(path, sheet=sheet_stream("", "<row><c/></row>", 10 * MB))
    with zipfile.ZipFile(path) as archive:
        local, directory = archive.getinfo(SHEET).header_offset, archive.start_dir
    data = bytearray(path.read_bytes())
    told = (10_000).to_bytes(4, "little")
    data[local + 22 : local + 26] = told  # the uncompressed size in the local header
    entry = directory
    while data[entry + 46 : entry + 46 + len(SHEET)] != SHEET.encode():
        name, extra, comment = (
            int.from_bytes(data[entry + n : entry + n + 2], "little") for n in (28, 30, 32)
        )
        entry += 46 + name + extra + comment
    data[entry + 24 : entry + 28] = told  # and in the central directory
    path.write_bytes(bytes(data))


def _zip_of(parts: dict[str, Part]) -> Build:
    def build(path: Path) -> None:
        write_zip(path, parts)

    return build


def _big_csv(size: int) -> Build:
    row = "Ada Lovelace,ada.lovelace@example.com,python aws\n"
    return content(("name,email,skills\n" + row * (size // len(row))).encode())


def _shared_strings_declaring(case_id: str, entities: str, entity: str) -> Case:
    """A workbook whose one shared text is an entity its shared strings declare."""
    shared = doctype("sst", entities) + f'<sst xmlns="{MAIN}"><si><t>&{entity};</t></si></sst>'
    return Case(case_id, "candidates.xlsx", xlsx(sheet=SHARED_CELL_SHEET, shared=shared), ENTITIES)


def _swollen(case_id: str, part: str, stream: Stream, message: str) -> Case:
    """A workbook one part of which holds millions of small elements, tiny once zipped."""
    parts: dict[str, Part] = {"sheet": SHARED_CELL_SHEET, "shared": shared_strings_xml(["Ada"])}
    return Case(case_id, "candidates.xlsx", xlsx(**{**parts, part: stream}), message, heavy=True)


def _columns(count: int) -> list[str]:
    return ["name", "email", *(f"column {n}" for n in range(3, count + 1))]


XLSX_CASES = [
    _shared_strings_declaring("xlsx-xxe-in-shared-strings", XXE, "xxe"),
    Case(
        "xlsx-xxe-in-workbook",
        "candidates.xlsx",
        xlsx(
            workbook=doctype("workbook", XXE) + workbook_xml().replace("<sheets>", "&xxe;<sheets>")
        ),
        ENTITIES,
    ),
    Case(
        "xlsx-billion-laughs-in-sheet",
        "candidates.xlsx",
        xlsx(
            sheet=doctype("worksheet", LAUGHS)
            + _sheet_with('<c t="inlineStr"><is><t>&lol9;</t></is></c>')
        ),
        ENTITIES,
    ),
    _shared_strings_declaring("xlsx-billion-laughs-in-shared-strings", LAUGHS, "lol9"),
    Case("xlsx-no-sheet", "candidates.xlsx", xlsx(workbook=workbook_xml("")), "has no sheet"),
    Case(
        "xlsx-text-in-a-number-cell",
        "candidates.xlsx",
        xlsx(sheet=_sheet_with('<c r="A3" t="n"><v>abc</v></c>')),
        "from row 3 on: it is damaged or was not saved by a spreadsheet program (a cell marked "
        "as a number holds text)",
    ),
    Case(
        "xlsx-broken-styles",
        "candidates.xlsx",
        xlsx(sheet=sheet_xml(CANDIDATES), styles=styles_xml()[:60]),
        "cannot be read",
    ),
    Case("xlsx-truncated-zip", "candidates.xlsx", _truncated, "damaged"),
    Case(
        "zip-not-a-workbook",
        "candidates.xlsx",
        _zip_of({"notes.txt": "hello"}),
        "This is not an Excel file",
    ),
    Case(
        "ods-spreadsheet",
        "candidates.ods",
        _zip_of(
            {"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"}
        ),
        "OpenDocument spreadsheet (.ods)",
    ),
    Case(
        "numbers-file",
        "candidates.numbers",
        _zip_of({"Index/Document.iwa": "x", "Metadata/Properties.plist": "x"}),
        "Apple Numbers file",
    ),
    Case(
        "password-protected-xlsx",
        "candidates.xlsx",
        content(OLE_MAGIC + b"\x00" * 4000),
        "password-protected workbook",
    ),
    Case("old-xls", "candidates.xls", content(OLE_MAGIC + b"\x00" * 4000), "old Excel (.xls)"),
    Case(
        "xlsx-zip-bomb",
        "candidates.xlsx",
        xlsx(sheet=sheet_stream("", '<row><c t="inlineStr"><is><t>x</t></is></c></row>', 6 * MB)),
        "The workbook unpacks to",
        heavy=True,
    ),
    Case(
        "xlsx-zip-bomb-lying-directory",
        "candidates.xlsx",
        _lying_directory,
        "cannot be read",
        heavy=True,
    ),
    Case(
        "xlsx-300-mb-shared-string",
        "candidates.xlsx",
        xlsx(
            sheet=SHARED_CELL_SHEET,
            shared=Stream(
                f'<sst xmlns="{MAIN}"><si><t>', "a" * 1024, 300 * 1024, "</t></si></sst>"
            ),
        ),
        "The workbook unpacks to",
        heavy=True,
    ),
    Case(
        "xlsx-declared-dimension-a1-xfd1048576",
        "candidates.xlsx",
        xlsx(sheet=sheet_xml(CANDIDATES, dimension="A1:XFD1048576")),
        "Import finished: 1 new",
        valid=True,
        imported_name="Ada Lovelace",
    ),
    Case(
        "xlsx-5000-columns",
        "candidates.xlsx",
        xlsx(sheet=sheet_xml([_columns(5000), ["Ada", "ada@example.com"]])),
        "Row 1 has 5,000 columns; at most 200",
    ),
    Case(
        "xlsx-ten-million-cells-in-a-row",
        "candidates.xlsx",
        xlsx(sheet=sheet_stream("<row>", "<c/>", 10_000_000, "</row>")),
        "Row 1 of the sheet holds more than 131,072 cells",
        heavy=True,
    ),
    Case(
        "xlsx-rows-padded-to-column-xfd",
        "candidates.xlsx",
        xlsx(
            sheet=sheet_stream(
                '<row><c t="inlineStr"><is><t>name</t></is></c><c t="inlineStr"><is><t>email'
                "</t></is></c></row>",
                '<row><c t="inlineStr"><is><t>x</t></is></c><c r="XFD1"/></row>',
                2000,
            )
        ),
        "Nothing is imported while rows are invalid",
        heavy=True,
    ),
    _swollen(
        "xlsx-styles-of-3-million-elements",
        "styles",
        Stream(f'<styleSheet xmlns="{MAIN}">', "<a/>", SWOLLEN, "</styleSheet>"),
        f"xl/styles.xml {ELEMENTS}",
    ),
    _swollen(
        "xlsx-3-million-defined-names",
        "workbook",
        Stream(
            workbook_xml().replace("</workbook>", "<definedNames>"),
            '<definedName name="x">A1</definedName>',
            SWOLLEN,
            "</definedNames></workbook>",
        ),
        f"xl/workbook.xml {ELEMENTS}",
    ),
    _swollen(
        "xlsx-3-million-merged-cells",
        "sheet",
        Stream(
            sheet_xml(CANDIDATES).replace("</worksheet>", "<mergeCells>"),
            '<mergeCell ref="A1:B2"/>',
            SWOLLEN,
            "</mergeCells></worksheet>",
        ),
        f"xl/worksheets/sheet1.xml {ELEMENTS}",
    ),
    _swollen(
        "xlsx-3-million-column-widths",
        "sheet",
        Stream(
            f'<worksheet xmlns="{MAIN}"><cols>',
            '<col min="1" max="1" width="9"/>',
            SWOLLEN,
            f"</cols><sheetData>{rows_xml(CANDIDATES)}</sheetData></worksheet>",
        ),
        f"xl/worksheets/sheet1.xml {ELEMENTS}",
    ),
    _swollen(
        "xlsx-3-million-shared-strings",
        "shared",
        Stream(f'<sst xmlns="{MAIN}">', "<si><t>a</t></si>", SWOLLEN, "</sst>"),
        "more than 1,000,000 different texts",
    ),
    Case(
        "xlsx-more-rows-than-allowed",
        "candidates.xlsx",
        xlsx(
            sheet=sheet_xml(
                [["name", "email"], *([f"P {n}", f"p{n}@example.com"] for n in range(60))]
            )
        ),
        "more than 50 rows",
        limits={"IMPORT_MAX_ROWS": 50},
    ),
    Case(
        "xlsx-cell-over-the-limit",
        "candidates.xlsx",
        xlsx(
            sheet=sheet_xml([["name", "email", "notes"], ["Ada", "ada@example.com", "n" * 10_001]])
        ),
        "holds 10,001 characters; a cell may hold at most 10,000",
    ),
    Case(
        "xlsx-formula-text-is-imported-as-text",
        "candidates.xlsx",
        xlsx(
            sheet=sheet_xml(
                [["name", "email"], ['=HYPERLINK("http://evil.example","Ada")', "ada@example.com"]]
            )
        ),
        "Import finished: 1 new",
        valid=True,
        imported_name='=HYPERLINK("http://evil.example","Ada")',
    ),
]

CSV_CASES = [
    Case("csv-empty", "candidates.csv", content(b""), "file is empty"),
    Case("csv-only-a-bom", "candidates.csv", content(b"\xef\xbb\xbf"), "file is empty"),
    Case("csv-header-only", "candidates.csv", content(b"name,email\n"), "no row of candidates"),
    Case(
        "csv-latin-1",
        "candidates.csv",
        content("name,email\nAdà Lovelace,ada@example.com\n".encode("latin-1")),
        "not UTF-8 text",
    ),
    Case(
        "csv-utf-16-with-bom",
        "candidates.csv",
        content("name,email\nAda Lovelace,ada@example.com\n".encode("utf-16")),
        "not UTF-8 text",
    ),
    long_line("csv-one-20-mb-line", b"x" * 20_000_000),
    long_line("csv-20-mb-of-separators", b"Ada," + b"," * 20_000_000),
    Case(
        "csv-quoted-cell-past-the-csv-field-limit",
        "candidates.csv",
        csv_rows(f'"{"x" * 200_000}",bob@example.com'),
        "a cell may hold at most 10,000",
    ),
    Case(
        "csv-more-rows-than-allowed",
        "candidates.csv",
        csv_rows(*(f"P {n},p{n}@example.com" for n in range(60))),
        "more than 50 rows",
        limits={"IMPORT_MAX_ROWS": 50},
    ),
    Case(
        "csv-cell-over-the-limit",
        "candidates.csv",
        csv_rows(f"Bob,bob@example.com,{'n' * 10_001}", header="name,email,notes"),
        "Row 3, column 3 holds 10,001 characters; a cell may hold at most 10,000",
    ),
    Case("csv-nul-in-name", "candidates.csv", csv_rows("Bob\x00by,bob@example.com"), "NUL byte"),
    Case("csv-nul-in-email", "candidates.csv", csv_rows("Bob,bob\x00@example.com"), "NUL byte"),
    Case(
        "csv-nul-in-interviewer",
        "candidates.csv",
        csv_rows("Bob,bob@example.com,Back\x00end", header="name,email,interviewer"),
        "No Interviewer has the id or name",
    ),
    Case(
        "csv-10000-character-name",
        "candidates.csv",
        csv_rows(f"{'N' * 10_000},bob@example.com"),
        "The name is 10,000 characters long; at most 200 fit",
    ),
    Case(
        "csv-312-character-email",
        "candidates.csv",
        csv_rows(f"Bob,{'b' * 300}@example.com"),
        "The email address is 312 characters long; at most 254 fit",
    ),
    Case(
        "csv-name-of-a-zero-width-space",
        "candidates.csv",
        csv_rows("\u200b,bob@example.com"),
        "The name is blank",
    ),
    Case("csv-tab-in-name", "candidates.csv", csv_rows("Bob\tby,bob@example.com"), "a tab"),
    Case(
        "csv-newline-in-quoted-name",
        "candidates.csv",
        csv_rows('"Bob\nby",bob@example.com'),
        "a line break",
    ),
    Case(
        "csv-unbalanced-quotes",
        "candidates.csv",
        csv_rows('"Bob,bob@example.com', "Carol,carol@example.com"),
        "quotation mark",
    ),
    Case(
        "csv-duplicated-columns",
        "candidates.csv",
        content(b"name,email,Email\nAda,a@example.com,b@example.com\n"),
        "Two columns are called “Email”",
    ),
    Case(
        "csv-no-name-or-email-column",
        "candidates.csv",
        content(b"who,where\nAda,ada@example.com\n"),
        "no “name” and no “email” column",
    ),
    Case(
        "csv-formula-injection-is-imported-as-text",
        "candidates.csv",
        content(
            b'name,email,skills\n"=HYPERLINK(""http://evil.example"",""Ada"")",ada@example.com,'
            b"+cmd|calc\n"
        ),
        "Import finished: 1 new",
        valid=True,
        imported_name='=HYPERLINK("http://evil.example","Ada")',
    ),
    Case(
        "csv-send-email-after-disagrees-with-metadata",
        "candidates.csv",
        csv_rows(
            "Bob,bob@example.com,24,48",
            header="name,email,send_email_after,metadata:sendEmailAfter",
        ),
        "keep one of the two",
    ),
    Case(
        "csv-over-long-skill",
        "candidates.csv",
        csv_rows(f"Bob,bob@example.com,{'s' * 150}", header="name,email,skills"),
        "skills are words of up to 100 characters",
    ),
    Case(
        "csv-over-the-upload-limit",
        "candidates.csv",
        _big_csv(2 * MB),
        "files of up to 1 MB can be imported",
        limits={"IMPORT_MAX_UPLOAD_MB": 1},
    ),
    Case(
        "csv-interviewer-naming-nobody",
        "candidates.csv",
        csv_rows("Bob,bob@example.com,Nobody Such", header="name,email,interviewer"),
        "No Interviewer has the id or name “Nobody Such”",
    ),
    Case(
        "csv-row-with-more-cells-than-the-header",
        "candidates.csv",
        csv_rows("Bob,bob@example.com,python,aws", header="name,email,skills"),
        "the header names 3 columns",
    ),
    Case(
        "csv-file-name-with-html",
        '<img src=x onerror="alert(1)">.xlsx',
        content(b"name,email\nAda,ada@example.com\n"),
        "but is not an Excel workbook",
    ),
]

CASES = [*XLSX_CASES, *CSV_CASES]
HEAVY_CASES = [case for case in CASES if case.heavy]
