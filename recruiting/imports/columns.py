"""The header row: which column holds which field, additional field or metadata key."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from recruiting.imports.results import ColumnsError
from recruiting.spreadsheets import SpreadsheetError, is_blank, text_cell

FIELD_COLUMNS = ("name", "email", "interviewer", "status", "skills", "send_email_after")
REQUIRED_COLUMNS = ("name", "email")
ADDITIONAL_PREFIX = "additional:"
METADATA_PREFIX = "metadata:"
SEND_EMAIL_AFTER_KEY = "sendEmailAfter"  # the metadata key the Ingestion API reads


@dataclass(frozen=True)
class Columns:
    fields: dict[str, int]
    additional: list[tuple[str, int]]
    metadata: list[tuple[str, int]]
    names: list[str]
    ignored: list[str]


def column_key(header: str) -> str:
    """Compare headers without case and with spaces or hyphens read as underscores."""
    return re.sub(r"[\s\-]+", "_", header.strip().lower())


def read_header(rows: Iterator[tuple[int, list[Any]]]) -> Columns:
    for _number, row in rows:
        if not is_blank(row):
            return map_columns([text_cell(cell) for cell in row])
    raise SpreadsheetError("The file is empty: it needs a header row and one row per candidate.")


def map_columns(header: list[str]) -> Columns:
    fields: dict[str, int] = {}
    additional: dict[str, int] = {}
    metadata: dict[str, int] = {}
    names: list[str] = []
    ignored: list[str] = []
    for index, text in enumerate(header):
        lowered = text.lower()
        target: dict[str, int] | None = None
        if lowered.startswith(ADDITIONAL_PREFIX):
            target, key = additional, text[len(ADDITIONAL_PREFIX) :].strip()
        elif lowered.startswith(METADATA_PREFIX):
            target, key = metadata, text[len(METADATA_PREFIX) :].strip()
        elif column_key(text) in FIELD_COLUMNS:
            target, key = fields, column_key(text)
        if target is None or not key:
            if text:
                ignored.append(text)
            continue
        if key in target:
            raise ColumnsError(f"Two columns are called “{text}”: keep one of them.")
        target[key] = index
        names.append(text)
    if missing := [name for name in REQUIRED_COLUMNS if name not in fields]:
        found = ", ".join(f"“{name}”" for name in header if name) or "none"
        raise ColumnsError(
            f"The file has no {' and no '.join(f'“{m}”' for m in missing)} column. "
            f"The first row must name the columns; it has: {found}."
        )
    return Columns(fields, list(additional.items()), list(metadata.items()), names, ignored)
