"""What the mapping step shows: every column of a file, a few of its values, a target.

Only the first rows are read, and only so many values kept, whatever the file's size.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from itertools import islice
from typing import IO, Any

from recruiting import rules
from recruiting.imports.aliases import header_key
from recruiting.imports.columns import header_row, map_columns, proposed_targets
from recruiting.imports.mapping import NO_MAPPING, STATUS_VALUES_MAX, ColumnMapping
from recruiting.imports.results import ColumnsError
from recruiting.imports.saved import choices_for_header, mapping_for_header
from recruiting.reading import Format, read_rows
from recruiting.spreadsheets import is_blank, text_cell

SAMPLE_ROWS = 50  # rows read for the sample values
SAMPLES = 3  # values shown for each column
SAMPLE_CHARS = 60
STATUS_ROWS = 5_000  # rows read for the values of the status column
OUR_STATUSES = {header_key(status) for status in ("", rules.SHORTLISTED, rules.DRAFT)}


@dataclass(frozen=True)
class FileColumn:
    index: int
    header: str
    samples: list[str]
    target: str  # proposed: by a saved mapping's choice, else the header itself or an alias


@dataclass(frozen=True)
class ColumnsProposal:
    header: list[str]
    columns: list[FileColumn]
    mapping: ColumnMapping  # the one saved for these headers, else none: aliases alone
    problem: ColumnsError | None  # why the file cannot be read as it is
    unknown: list[str]  # headers nothing recognises
    hints: ColumnMapping  # the choices the step starts from
    has_rows: bool = True  # whether any row below the header holds a value

    @property
    def names_interviewer(self) -> bool:
        """Whether a column is read as the interviewer, or the saved mapping gives one."""
        targets = {column.target for column in self.columns}
        return "interviewer" in targets or self.mapping.interviewer is not None

    @property
    def needs_choices(self) -> bool:
        """Whether to ask the recruiter before the preview: nothing saved, and gaps."""
        return not self.mapping.name and bool(self.problem or self.unknown)


def columns_propose(
    *, file: IO[bytes], fmt: Format, hints: ColumnMapping | None = None
) -> ColumnsProposal:
    """Read the header and the first rows; say how each column would be read.

    `hints` are choices made for this file already; without them the step starts from the
    mapping saved for these headers, else from what saved mappings chose for any of them.
    """
    with closing(read_rows(file, fmt)) as source:
        rows = enumerate(source, start=1)
        header = header_row(rows)
        filled = [row for _number, row in islice(_filled(rows), SAMPLE_ROWS)]
    samples = _samples(filled, len(header))
    mapping = mapping_for_header(header) or NO_MAPPING
    if hints is None or not hints.columns:
        hints = mapping if mapping.name else choices_for_header(header)
    problem, unknown = None, []
    try:
        unknown = map_columns(header, mapping).unknown
    except ColumnsError as error:
        problem = error
    targets = proposed_targets(header, hints)
    columns = [FileColumn(i, header[i], samples[i], target) for i, target in targets.items()]
    return ColumnsProposal(header, columns, mapping, problem, unknown, hints, bool(filled))


def status_values(*, file: IO[bytes], fmt: Format, index: int) -> list[str]:
    """The distinct values of a column in the file's first rows, other than our statuses."""
    return columns_values(file=file, fmt=fmt).get(index, [])


def columns_values(*, file: IO[bytes], fmt: Format) -> dict[int, list[str]]:
    """The distinct values of each column in the file's first rows, other than our statuses."""
    found: dict[int, dict[str, str]] = {}
    with closing(read_rows(file, fmt)) as source:
        rows = enumerate(source, start=1)
        width = len(header_row(rows))
        for _number, row in islice(rows, STATUS_ROWS):
            for index, cell in enumerate(row[:width]):
                values = found.setdefault(index, {})
                if len(values) < STATUS_VALUES_MAX and (key := header_key(text_cell(cell))):
                    values.setdefault(key, text_cell(cell))
    return {
        i: [v for k, v in values.items() if k not in OUR_STATUSES] for i, values in found.items()
    }


def _filled(rows: Iterator[tuple[int, list[Any]]]) -> Iterator[tuple[int, list[Any]]]:
    return (numbered for numbered in rows if not is_blank(numbered[1]))


def _samples(rows: list[list[Any]], width: int) -> list[list[str]]:
    found: list[list[str]] = [[] for _ in range(width)]
    for row in rows:
        for index, cell in enumerate(row[:width]):
            text = text_cell(cell)
            if text and len(found[index]) < SAMPLES and text not in found[index]:
                found[index].append(text[:SAMPLE_CHARS])
    return found
