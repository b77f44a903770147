"""Saved mappings: found again by the headers they were made for, or by their name."""

from __future__ import annotations

import hashlib

from recruiting.imports.aliases import header_key
from recruiting.imports.mapping import ColumnMapping
from recruiting.models import ImportMapping, Interviewer

HINTS_READ = 200  # the saved mappings whose choices are proposed for a new file


class MappingNotFound(ValueError):
    """No saved mapping has the name given; the message names those there are."""


def header_signature(header: list[str]) -> str:
    """The headers as compared: in order, without case, accents, spaces or punctuation."""
    keys = "\x1f".join(header_key(text) for text in header)
    return hashlib.sha256(keys.rstrip("\x1f").encode()).hexdigest()


def mapping_for_header(header: list[str]) -> ColumnMapping | None:
    """The mapping saved most recently for exactly these headers; None if there is none."""
    saved = ImportMapping.objects.filter(signature=header_signature(header))
    found = saved.select_related("interviewer").order_by("-updated_at", "-pk").first()
    return column_mapping(found) if found else None


def mapping_named(name: str) -> ColumnMapping:
    """The saved mapping of that name, whatever its case; raise MappingNotFound if none."""
    found = ImportMapping.objects.filter(name__iexact=name.strip()).first()
    if found is None:
        names = ", ".join(f"“{m}”" for m in ImportMapping.objects.values_list("name", flat=True))
        raise MappingNotFound(
            f"No saved mapping is called “{name}”. Saved mappings: {names or 'none yet'}."
        )
    return column_mapping(found)


def column_mapping(saved: ImportMapping) -> ColumnMapping:
    return ColumnMapping.of(saved.columns, saved.statuses, saved.name, saved.interviewer)


def import_mapping_save(
    *,
    name: str,
    header: list[str],
    columns: dict[str, str],
    statuses: dict[str, str],
    interviewer: Interviewer | None,
) -> ImportMapping:
    """Keep the choices under `name` (replacing a mapping of that name) for these headers."""
    saved, _ = ImportMapping.objects.update_or_create(
        name=name.strip(),
        defaults={
            "signature": header_signature(header),
            "headers": header,
            "columns": columns,
            "statuses": statuses,
            "interviewer": interviewer,
        },
    )
    return saved


def choices_for_header(header: list[str]) -> ColumnMapping:
    """What the latest saved mappings chose for any of these headers, to propose again."""
    keys = {header_key(text) for text in header if text}
    columns: dict[str, str] = {}
    statuses: dict[str, str] = {}
    latest = ImportMapping.objects.order_by("-updated_at", "-pk")[:HINTS_READ]
    for saved in reversed(latest.values("columns", "statuses")):
        mapping = ColumnMapping.of(saved["columns"], saved["statuses"])
        columns.update((key, t) for key, t in mapping.columns.items() if key in keys)
        statuses.update(mapping.statuses)
    return ColumnMapping(columns, statuses)
