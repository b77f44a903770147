"""What an import is asked to do, and what it found: counts, notes and the preview rows."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum

from recruiting.models import Interviewer
from recruiting.reading import SpreadsheetError
from recruiting.wording import plural


class RowAction(StrEnum):
    NEW = "new"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"
    INVALID = "invalid"

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]


ACTION_LABELS = {
    RowAction.NEW: "new",
    RowAction.UPDATE: "updated",
    RowAction.UNCHANGED: "unchanged",
    RowAction.SKIPPED: "not changed: already sent",
    RowAction.INVALID: "invalid",
}


@dataclass(frozen=True)
class ImportOptions:
    """What the recruiter chose besides the file."""

    interviewer: Interviewer | None = None  # for rows without an interviewer of their own
    status: str = ""  # applied to every row when set
    skills: tuple[str, ...] = ()  # added to every row's skills
    push: bool = False
    valid_only: bool = False


@dataclass(slots=True)
class RowNote:
    """A problem with one row, or why it was left alone, said for a recruiter."""

    row: int
    column: str
    message: str


@dataclass(slots=True)
class RowPreview:
    row: int
    action: RowAction
    name: str
    email: str
    interviewer: str
    status: str
    skills: list[str]
    changes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    columns: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    mapped_columns: list[tuple[str, str]] = field(default_factory=list)  # (header, target)
    mapping_name: str = ""  # the saved mapping the columns were read by
    notes: list[RowNote] = field(default_factory=list)  # what was read with a guess, said so
    counts: Counter[str] = field(default_factory=Counter)
    preview: list[RowPreview] = field(default_factory=list)
    problems: list[RowNote] = field(default_factory=list)
    skipped: list[RowNote] = field(default_factory=list)
    candidate_ids: list[int] = field(default_factory=list)  # valid rows not yet sent
    valid_only: bool = False  # invalid rows are left out rather than stopping the import
    push_requested: bool = False  # the recruiter asked for the candidates to be pushed
    written: bool = False

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def invalid(self) -> int:
        return self.counts[RowAction.INVALID]

    def count_summary(self) -> str:
        parts = [f"{self.counts[action]} {action.label}" for action in RowAction]
        return f"{plural(self.total, 'row')}: {', '.join(parts)}."


class ColumnsError(SpreadsheetError):
    """The header row lacks a required column or names one twice."""

    def __init__(
        self,
        message: str,
        *,
        missing: list[str] | None = None,
        closest: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.missing = missing or []  # the required columns the file lacks
        self.closest = closest or {}  # for each, the file's headers most like it


class ImportConflict(SpreadsheetError):
    """Another import wrote some of the same candidates while this one ran."""
