"""The header row: which column holds which field, additional field or metadata key.

A column is read, first to last, as the recruiter's mapping says; else by its own header
(`name`, `additional:Manual Score`: exactly as the export writes them); else by the
aliases of `recruiting.imports.aliases`. Anything else is unknown: ignored by the
import, and asked about by the admin's mapping step.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from recruiting.imports.aliases import IDENTIFIERS, alias_target, closest_headers
from recruiting.imports.mapping import NO_MAPPING, ColumnMapping
from recruiting.imports.results import ColumnsError
from recruiting.imports.saved import mapping_for_header
from recruiting.imports.targets import (
    ADDITIONAL_PREFIX,
    FIELD_COLUMNS,
    IGNORE,
    METADATA_PREFIX,
    NAME_PARTS,
    keyed,
)
from recruiting.reading import SpreadsheetError
from recruiting.spreadsheets import is_blank, text_cell

__all__ = ["ADDITIONAL_PREFIX", "FIELD_COLUMNS", "METADATA_PREFIX", "ColumnMapping", "Columns"]
REQUIRED_COLUMNS = ("name", "email")
CHOSEN, ALIASED, UNKNOWN = 0, 1, 2  # how sure a column's target is: the surest wins a tie
KINDS = {ADDITIONAL_PREFIX: "additional", METADATA_PREFIX: "metadata"}


@dataclass(frozen=True)
class Columns:
    fields: dict[str, int]
    additional: list[tuple[str, int]]
    metadata: list[tuple[str, int]]
    names: list[str]
    ignored: list[str]
    width: int  # how many columns the header row has, named or not
    mapped: list[tuple[str, str]] = field(default_factory=list)  # (header, target) of each read
    unknown: list[str] = field(default_factory=list)  # headers neither chosen nor recognised
    mapping: ColumnMapping = NO_MAPPING
    identifiers: frozenset[int] = frozenset()  # columns kept as text: 00123 and 4521 alike


def column_key(header: str) -> str:
    """Compare headers without case and with spaces or hyphens read as underscores."""
    return re.sub(r"[\s\-]+", "_", header.strip().lower())


def header_row(rows: Iterator[tuple[int, list[Any]]]) -> list[str]:
    """The first row that is not blank, as text: the header."""
    for _number, row in rows:
        if not is_blank(row):
            return [text_cell(cell) for cell in row]
    raise SpreadsheetError("The file is empty: it needs a header row and one row per candidate.")


def read_header(
    rows: Iterator[tuple[int, list[Any]]], mapping: ColumnMapping | None = None
) -> Columns:
    """Map the header row by `mapping`, else by the saved mapping made for these headers."""
    header = header_row(rows)
    return map_columns(header, mapping_for_header(header) if mapping is None else mapping)


def map_columns(header: list[str], mapping: ColumnMapping | None = None) -> Columns:
    """Find each column's field or key; raise ColumnsError for a missing or doubled column."""
    found, targets = _resolve(header, mapping or NO_MAPPING)
    unread = [text for index, text in enumerate(header) if index not in targets]
    _check_required(header, found["fields"], unread)
    return _columns(header, found, targets, mapping or NO_MAPPING)


def proposed_targets(header: list[str], mapping: ColumnMapping) -> dict[int, str]:
    """Each named column's target as the mapping and aliases read it; IGNORE when none."""
    try:
        targets = _resolve(header, mapping)[1]
    except ColumnsError:  # choices made for other files may clash here: aliases alone
        targets = _resolve(header, NO_MAPPING)[1]
    return {i: targets.get(i, IGNORE) for i, text in enumerate(header) if text}


def _resolve(
    header: list[str], mapping: ColumnMapping
) -> tuple[dict[str, dict[str, int]], dict[int, str]]:
    """The column of each field and key, and the target of each column read."""
    found: dict[str, dict[str, int]] = {"fields": {}, "additional": {}, "metadata": {}}
    targets: dict[int, str] = {}
    for sureness, index, target in sorted(_candidates(header, mapping)):
        if target := _free_target(header, index, target, found, sureness):
            kind, key = _column_kind(target)
            found[kind][key] = index
            targets[index] = target
    _drop_name_parts(found["fields"], targets)
    return found, targets


def _candidates(header: list[str], mapping: ColumnMapping) -> Iterator[tuple[int, int, str]]:
    """Each named column's target and how sure it is; "" for an unknown one."""
    for index, text in enumerate(header):
        if not text:
            continue
        if (chosen := mapping.choice(text)) is not None:
            yield CHOSEN, index, chosen
        elif own := _own_target(text):
            yield CHOSEN, index, own
        elif aliased := alias_target(text):
            yield ALIASED + aliased[0], index, aliased[1]
        else:
            yield UNKNOWN, index, ""


def _own_target(text: str) -> str:
    """The target a header names in the import's own syntax, as the export writes it."""
    if keyed(text)[0] in KINDS:
        return text
    return key if (key := column_key(text)) in FIELD_COLUMNS else ""


def _free_target(
    header: list[str], index: int, target: str, found: dict[str, dict[str, int]], sureness: int
) -> str:
    """The target, or where the column goes when an earlier column took it; "" for none.

    A header named or chosen twice is a mistake to correct; an alias that another column
    took keeps the column as metadata under its own header.
    """
    if not target or target == IGNORE or not (kind_key := _column_kind(target))[1]:
        return ""
    kind, key = kind_key
    if key not in found[kind]:
        return target
    if sureness == CHOSEN:
        raise ColumnsError(_twice(header[found[kind][key]], header[index], target))
    text = header[index].strip()
    return "" if text in found["metadata"] else METADATA_PREFIX + text


def _column_kind(target: str) -> tuple[str, str]:
    """Whether a target is a field, an additional field or a metadata key, and which."""
    kind, key = keyed(target)
    if kind in KINDS:
        return KINDS[kind], key
    return "fields", kind


def _twice(first: str, second: str, target: str) -> str:
    if column_key(first) == column_key(second):
        return f"Two columns are called “{second}”: keep one of them."
    return f"Two columns, “{first}” and “{second}”, are both read as “{target}”: keep one of them."


def _drop_name_parts(fields: dict[str, int], targets: dict[int, str]) -> None:
    """First and last names make the name only when the file has no name column."""
    if "name" in fields:
        for part in NAME_PARTS:
            if part in fields:
                del targets[fields.pop(part)]


def _check_required(header: list[str], fields: dict[str, int], unread: list[str]) -> None:
    """Raise ColumnsError naming a missing column and, among the unread ones, the closest."""
    names = [name for name in header if name]
    missing = [
        name
        for name in REQUIRED_COLUMNS
        if name not in fields and not (name == "name" and fields.keys() & set(NAME_PARTS))
    ]
    if not missing:
        return
    message = f"The file has no {' and no '.join(f'“{m}”' for m in missing)} column."
    closest = {name: closest_headers(unread, name) for name in missing}
    if any(closest.values()):
        message += "".join(_closest(name, headers) for name, headers in closest.items() if headers)
    else:
        found = ", ".join(f"“{name}”" for name in names) or "none"
        message += f" The first row must name the columns; it has: {found}."
    raise ColumnsError(message, missing=missing, closest=closest)


def _closest(target: str, headers: list[str]) -> str:
    quoted = " or ".join(f"“{header}”" for header in headers)
    return f" The closest of its headers to “{target}”: {quoted}; say which column it is."


def _columns(
    header: list[str],
    found: dict[str, dict[str, int]],
    targets: dict[int, str],
    mapping: ColumnMapping,
) -> Columns:
    """The mapped columns, each list in the file's order."""
    named = [index for index, text in enumerate(header) if text]
    unknown = [header[i] for i in named if i not in targets and _unknown(header[i], mapping)]
    return Columns(
        fields=found["fields"],
        additional=sorted(found["additional"].items(), key=lambda item: item[1]),
        metadata=sorted(found["metadata"].items(), key=lambda item: item[1]),
        names=[header[i] for i in named if i in targets],
        ignored=[header[i] for i in named if i not in targets],
        width=len(header),
        mapped=[(header[i], targets[i]) for i in sorted(targets)],
        unknown=unknown,
        mapping=mapping,
        identifiers=frozenset(i for i, target in targets.items() if _identifier(header[i], target)),
    )


def _identifier(text: str, target: str) -> bool:
    """An id or phone column not named in the import's own syntax, where it was aliased."""
    if _own_target(text):
        return False
    aliased = alias_target(text)
    return target in IDENTIFIERS or (aliased is not None and aliased[1] in IDENTIFIERS)


def _unknown(text: str, mapping: ColumnMapping) -> bool:
    return mapping.choice(text) is None and not _own_target(text) and not alias_target(text)
