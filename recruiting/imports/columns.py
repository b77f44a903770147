"""The header row: which column holds which field, additional field or metadata key."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from recruiting.imports.results import ColumnsError
from recruiting.reading import SpreadsheetError
from recruiting.spreadsheets import is_blank, text_cell

FIELD_COLUMNS = ("name", "email", "interviewer", "status", "skills", "send_email_after")
REQUIRED_COLUMNS = ("name", "email")
ADDITIONAL_PREFIX = "additional:"
METADATA_PREFIX = "metadata:"


@dataclass(frozen=True)
class Columns:
    fields: dict[str, int]
    additional: list[tuple[str, int]]
    metadata: list[tuple[str, int]]
    names: list[str]
    ignored: list[str]
    width: int  # how many columns the header row has, named or not


def column_key(header: str) -> str:
    """Compare headers without case and with spaces or hyphens read as underscores."""
    return re.sub(r"[\s\-]+", "_", header.strip().lower())


def read_header(rows: Iterator[tuple[int, list[Any]]]) -> Columns:
    for _number, row in rows:
        if not is_blank(row):
            return map_columns([text_cell(cell) for cell in row])
    raise SpreadsheetError("The file is empty: it needs a header row and one row per candidate.")


def map_columns(header: list[str]) -> Columns:
    """Find each column's field or key; raise ColumnsError for a missing or doubled column."""
    found: dict[str, dict[str, int]] = {"fields": {}, "additional": {}, "metadata": {}}
    names: list[str] = []
    ignored: list[str] = []
    for index, text in enumerate(header):
        kind, key = _column_kind(text)
        if kind is None or not key:
            if text:
                ignored.append(text)
            continue
        if key in found[kind]:
            raise ColumnsError(f"Two columns are called “{text}”: keep one of them.")
        found[kind][key] = index
        names.append(text)
    _check_required(header, found["fields"])
    additional, metadata = list(found["additional"].items()), list(found["metadata"].items())
    return Columns(found["fields"], additional, metadata, names, ignored, len(header))


def _column_kind(text: str) -> tuple[str | None, str]:
    """Whether a header names a field, an additional field or a metadata key, and which."""
    lowered = text.lower()
    if lowered.startswith(ADDITIONAL_PREFIX):
        return "additional", text[len(ADDITIONAL_PREFIX) :].strip()
    if lowered.startswith(METADATA_PREFIX):
        return "metadata", text[len(METADATA_PREFIX) :].strip()
    if (key := column_key(text)) in FIELD_COLUMNS:
        return "fields", key
    return None, ""


def _check_required(header: list[str], fields: dict[str, int]) -> None:
    if missing := [name for name in REQUIRED_COLUMNS if name not in fields]:
        found = ", ".join(f"“{name}”" for name in header if name) or "none"
        raise ColumnsError(
            f"The file has no {' and no '.join(f'“{m}”' for m in missing)} column. "
            f"The first row must name the columns; it has: {found}."
        )
