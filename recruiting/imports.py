"""Import candidate drafts from a spreadsheet: map columns, check rows, preview, write in bulk.

The admin's Import page and `manage.py import_candidates` both call `candidates_import`,
so they give the same counts and the same messages. The file is read as a stream and
handled a chunk of rows at a time (one query finds the chunk's existing candidates, one
bulk insert and one bulk update write it), so a 100,000-row file costs little memory.
"""

from __future__ import annotations

import re
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import islice
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from recruiting import rules
from recruiting.lookups import not_found_message, several_message
from recruiting.models import Candidate, Interviewer
from recruiting.spreadsheets import (
    Format,
    SpreadsheetError,
    is_blank,
    read_rows,
    text_cell,
    typed_cell,
    whole_number_cell,
)
from recruiting.wording import plural

FIELD_COLUMNS = ("name", "email", "interviewer", "status", "skills", "send_email_after")
REQUIRED_COLUMNS = ("name", "email")
ADDITIONAL_PREFIX = "additional:"
METADATA_PREFIX = "metadata:"
SEND_EMAIL_AFTER_KEY = "sendEmailAfter"  # the metadata key the Ingestion API reads
CHUNK_ROWS = 900  # below SQLite's oldest limit of 999 parameters per query
PREVIEW_ROWS = 100
Key = tuple[int, str]


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
    counts: Counter[str] = field(default_factory=Counter)
    preview: list[RowPreview] = field(default_factory=list)
    problems: list[RowNote] = field(default_factory=list)
    skipped: list[RowNote] = field(default_factory=list)
    candidate_ids: list[int] = field(default_factory=list)  # valid rows not yet sent
    valid_only: bool = False  # invalid rows are left out rather than stopping the import
    written: bool = False
    push: Any = None  # ingestion.delivery.results.QueueResult when pushed

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


class ImportConflict(SpreadsheetError):
    """Another import wrote some of the same candidates while this one ran."""


# --- the service ------------------------------------------------------------------------------


def candidates_import(
    *,
    file: IO[bytes],
    fmt: Format,
    options: ImportOptions,
    dry_run: bool,
    user: Any = None,
    preview_rows: int = PREVIEW_ROWS,
) -> ImportResult:
    """Check every row of a spreadsheet and, unless `dry_run`, write the candidates.

    Nothing is written while any row is invalid, unless `options.valid_only` is set.
    Raises SpreadsheetError when the file as a whole cannot be imported.
    """
    rows = enumerate(read_rows(file, fmt), start=1)
    columns = _read_header(rows)
    importer = _Importer(columns, options, preview_rows=preview_rows)
    if dry_run:
        importer.run(rows, write=False)
        return importer.result
    try:
        with transaction.atomic():
            importer.run(rows, write=True)
            if importer.result.invalid and not options.valid_only:
                transaction.set_rollback(True)
            else:
                importer.result.written = True
    except IntegrityError as error:
        # Only a unique (interviewer, email) can fail here: a concurrent import won the race.
        raise ImportConflict(
            "Another import added some of these candidates at the same moment, so this one "
            "wrote nothing. Upload the file again: those rows will show as unchanged."
        ) from error
    result = importer.result
    if result.written and options.push and result.candidate_ids:
        from ingestion.dispatch import candidates_push_request
        from ingestion.models import Trigger

        result.push = candidates_push_request(
            candidate_ids=result.candidate_ids, trigger=Trigger.IMPORT, user=user
        )
    return result


# --- columns ----------------------------------------------------------------------------------


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


def _read_header(rows: Iterator[tuple[int, list[Any]]]) -> Columns:
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


# --- interviewers -----------------------------------------------------------------------------


class InterviewerIndex:
    """Every Interviewer by interviewer id and by name, loaded once per import."""

    def __init__(self) -> None:
        self.by_id: dict[str, Interviewer] = {}
        self.by_name: dict[str, list[Interviewer]] = {}
        for interviewer in Interviewer.objects.all():
            self.by_id[str(interviewer.external_id)] = interviewer
            self.by_name.setdefault(_name_key(interviewer.name), []).append(interviewer)
        self._found: dict[str, tuple[Interviewer | None, str | None]] = {}

    def find(self, value: str) -> tuple[Interviewer | None, str | None]:
        if value not in self._found:
            self._found[value] = self._lookup(value)
        return self._found[value]

    def _lookup(self, value: str) -> tuple[Interviewer | None, str | None]:
        try:
            interviewer = self.by_id.get(str(uuid.UUID(value)))
        except ValueError:
            interviewer = None
        if interviewer is not None:
            return interviewer, None
        named = self.by_name.get(_name_key(value), [])
        if len(named) == 1:
            return named[0], None
        if named:
            return None, several_message(value, len(named))
        return None, not_found_message(value)


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())


# --- rows -------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Row:
    number: int
    interviewer: Interviewer | None
    email: str
    name: str
    values: dict[str, Any]  # status, skills, send_email_after: only those the file or form sets
    additional: dict[str, Any]  # None removes the key
    metadata: dict[str, Any]
    problems: list[tuple[str, str]]


EXISTING_FIELDS = (
    "pk",
    "interviewer_id",
    "email",
    "name",
    "status",
    "skills",
    "send_email_after",
    "additional_fields",
    "metadata",
    "state",
)
COMPARED = ("name", "status", "skills", "send_email_after", "additional_fields", "metadata")


class _Importer:
    def __init__(self, columns: Columns, options: ImportOptions, *, preview_rows: int) -> None:
        self.columns = columns
        self.options = options
        self.preview_rows = preview_rows
        self.interviewers = InterviewerIndex()
        self.seen: dict[Key, int] = {}
        self.result = ImportResult(
            columns=columns.names, ignored_columns=columns.ignored, valid_only=options.valid_only
        )
        self.now = timezone.now()

    def run(self, rows: Iterable[tuple[int, list[Any]]], *, write: bool) -> None:
        parsed = (self._parse(number, row) for number, row in rows if not is_blank(row))
        while chunk := list(islice(parsed, CHUNK_ROWS)):
            new, changed = self._classify(chunk, write=write)
            # Once a row is invalid the import will be rolled back: stop writing early.
            if write and (self.options.valid_only or not self.result.invalid):
                self._write(new, changed)

    # parsing: everything that depends on the row alone

    def _parse(self, number: int, cells: list[Any]) -> _Row:
        fields = self.columns.fields
        problems: list[tuple[str, str]] = []

        def cell(index: int) -> Any:
            return cells[index] if index < len(cells) else None

        name = text_cell(cell(fields["name"]))
        raw_email = text_cell(cell(fields["email"]))
        email = rules.normalise_email(raw_email)
        if problem := rules.name_problem(name):
            problems.append(("name", problem))
        if problem := rules.email_problem(raw_email):
            problems.append(("email", problem))
        interviewer = self._interviewer(cell, problems)

        values: dict[str, Any] = {}
        if self.options.status:
            values["status"] = self.options.status
        elif "status" in fields:
            values["status"] = text_cell(cell(fields["status"])).lower()
        if "skills" in fields:
            values["skills"] = rules.split_skills(text_cell(cell(fields["skills"])))
        if "send_email_after" in fields:
            hours = whole_number_cell(typed_cell(cell(fields["send_email_after"])))
            if problem := rules.send_email_after_problem(hours):
                problems.append(("send_email_after", problem))
            values["send_email_after"] = hours
        additional = {key: typed_cell(cell(i)) for key, i in self.columns.additional}
        metadata = {key: typed_cell(cell(i)) for key, i in self.columns.metadata}

        if interviewer is not None and not any(column == "email" for column, _ in problems):
            key = (interviewer.pk, email)
            if (first := self.seen.setdefault(key, number)) != number:
                problems.append(
                    (
                        "email",
                        f"Duplicate row: row {first} already has {email} for "
                        f"“{interviewer.name}”. Keep one of the two rows.",
                    )
                )
        return _Row(number, interviewer, email, name, values, additional, metadata, problems)

    def _interviewer(self, cell: Any, problems: list[tuple[str, str]]) -> Interviewer | None:
        index = self.columns.fields.get("interviewer")
        value = text_cell(cell(index)) if index is not None else ""
        if value:
            interviewer, problem = self.interviewers.find(value)
            if problem:
                problems.append(("interviewer", problem))
            return interviewer
        if self.options.interviewer is not None:
            return self.options.interviewer
        problems.append(
            (
                "interviewer",
                "No Interviewer for this row: fill in its interviewer column, or choose a "
                "default Interviewer for the import.",
            )
        )
        return None

    # classifying: what each row would do to the database

    def _classify(
        self, chunk: list[_Row], *, write: bool
    ) -> tuple[list[Candidate], list[tuple[Candidate, list[str]]]]:
        """Count and note what each row would do; build the candidates to write if writing."""
        existing = self._existing(chunk, lock=write)
        new: list[Candidate] = []
        changed: list[tuple[Candidate, list[str]]] = []
        for row in chunk:
            current = existing.get((row.interviewer.pk, row.email)) if row.interviewer else None
            target = self._target(row, current)
            if row.interviewer is not None and (
                problem := rules.status_problem(target["status"], row.interviewer)
            ):
                row.problems.append(("status", problem))
            if problem := rules.metadata_problem(target["metadata"]):
                row.problems.append((METADATA_PREFIX + SEND_EMAIL_AFTER_KEY, problem))
            changes = [name for name in COMPARED if current and current[name] != target[name]]
            action = self._action(row, current, changes)
            self.result.counts[action] += 1
            self._note(row, action, target, changes, current)
            if write and action == RowAction.NEW:
                new.append(Candidate(interviewer=row.interviewer, email=row.email, **target))
            elif write and action == RowAction.UPDATE:
                candidate = Candidate(pk=current["pk"], updated_at=self.now, **target)
                changed.append((candidate, changes))
            if action in (RowAction.UPDATE, RowAction.UNCHANGED) and (
                current["state"] in Candidate.EDITABLE_STATES
            ):
                self.result.candidate_ids.append(current["pk"])
        return new, changed

    def _existing(self, chunk: list[_Row], *, lock: bool) -> dict[Key, dict[str, Any]]:
        keys = {(row.interviewer.pk, row.email) for row in chunk if row.interviewer}
        if not keys:
            return {}
        candidates = Candidate.objects.filter(
            interviewer_id__in={pk for pk, _ in keys}, email__in={email for _, email in keys}
        )
        if lock:
            # Keep a worker from claiming a draft between this read and the update.
            candidates = candidates.select_for_update(of=("self",))
        found = {}
        for values in candidates.values(*EXISTING_FIELDS):
            key = (values["interviewer_id"], values["email"])
            if key in keys:
                found[key] = values
        return found

    def _target(self, row: _Row, current: dict[str, Any] | None) -> dict[str, Any]:
        """The candidate's fields after this row: the row's columns over what is there."""
        base = current or {"status": "", "skills": [], "send_email_after": None}
        skills = row.values.get("skills", base["skills"])
        if self.options.skills:
            skills = [*skills, *self.options.skills]
        return {
            "name": row.name,
            "status": row.values.get("status", base["status"]),
            "skills": rules.clean_skills(skills),
            "send_email_after": row.values.get("send_email_after", base["send_email_after"]),
            "additional_fields": _merged(current and current["additional_fields"], row.additional),
            "metadata": _merged(current and current["metadata"], row.metadata),
        }

    def _action(self, row: _Row, current: dict[str, Any] | None, changes: list[str]) -> RowAction:
        if row.problems:
            return RowAction.INVALID
        if current is None:
            return RowAction.NEW
        if not changes:
            return RowAction.UNCHANGED
        if current["state"] not in Candidate.EDITABLE_STATES:
            return RowAction.SKIPPED
        return RowAction.UPDATE

    def _note(
        self,
        row: _Row,
        action: RowAction,
        target: dict[str, Any],
        changes: list[str],
        current: dict[str, Any] | None,
    ) -> None:
        result = self.result
        notes = [f"{column}: {message}" for column, message in row.problems]
        for column, message in row.problems:
            result.problems.append(RowNote(row.number, column, message))
        if action == RowAction.SKIPPED:
            message = _locked_message(current["state"], changes)
            result.skipped.append(RowNote(row.number, ", ".join(changes), message))
            notes.append(message)
        if len(result.preview) < self.preview_rows:
            result.preview.append(
                RowPreview(
                    row=row.number,
                    action=action,
                    name=row.name,
                    email=row.email,
                    interviewer=row.interviewer.name if row.interviewer else "",
                    status=target["status"],
                    skills=target["skills"],
                    changes=changes if action == RowAction.UPDATE else [],
                    notes=notes,
                )
            )

    # writing

    def _write(self, new: list[Candidate], changed: list[tuple[Candidate, list[str]]]) -> None:
        if new:
            Candidate.objects.bulk_create(new, batch_size=CHUNK_ROWS)
            if any(candidate.pk is None for candidate in new):  # databases without RETURNING
                new = _with_pks(new)
            self.result.candidate_ids.extend(candidate.pk for candidate in new)
        by_fields: dict[tuple[str, ...], list[Candidate]] = {}
        for candidate, changes in changed:
            by_fields.setdefault(tuple(changes), []).append(candidate)
        for changes, candidates in by_fields.items():
            Candidate.objects.bulk_update(
                candidates, [*changes, "updated_at"], batch_size=CHUNK_ROWS
            )


def _merged(current: dict[str, Any] | None, row: dict[str, Any]) -> dict[str, Any]:
    merged = dict(current or {})
    for key, value in row.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


def _with_pks(candidates: list[Candidate]) -> list[Candidate]:
    pks = {
        (interviewer_id, email): pk
        for pk, interviewer_id, email in Candidate.objects.filter(
            interviewer_id__in={c.interviewer_id for c in candidates},
            email__in={c.email for c in candidates},
        ).values_list("pk", "interviewer_id", "email")
    }
    for candidate in candidates:
        candidate.pk = pks[(candidate.interviewer_id, candidate.email)]
    return candidates


def _locked_message(state: str, changes: list[str]) -> str:
    label = Candidate.State(state).label.lower()
    what = ", ".join(changes)
    if state == Candidate.State.SENT:
        why = "was already sent to InterviewFlowAI"
    elif state == Candidate.State.UNCONFIRMED:
        why = "may already be in InterviewFlowAI (its delivery is unconfirmed)"
    else:
        why = f"is being sent ({label})"
    return f"Not changed: this candidate {why}, so the new {what} in this row were not applied."


# --- telling the recruiter ------------------------------------------------------------------

ROWS_NAMED = 10


def import_messages(result: ImportResult, *, dry_run: bool = False) -> list[tuple[str, str]]:
    """What an import did, as (level, sentence) pairs: the same words in the admin and CLI."""
    counts = result.counts
    said: list[tuple[str, str]] = []
    if dry_run:
        said.append(("info", f"Dry run: {result.count_summary()} Nothing was written."))
        if result.invalid and not result.valid_only:
            said.append(("error", _blocked(result)))
    elif result.written:
        said.append(
            (
                "success",
                f"Import finished: {counts[RowAction.NEW]} new, "
                f"{counts[RowAction.UPDATE]} updated, {counts[RowAction.UNCHANGED]} unchanged.",
            )
        )
    else:
        said.append(("error", _blocked(result)))
    if result.ignored_columns:
        names = ", ".join(f"“{name}”" for name in result.ignored_columns)
        said.append(("warning", f"Ignored columns (not imported): {names}."))
    if result.skipped:
        said.append(
            (
                "warning",
                f"{plural(len(result.skipped), 'row')} not applied because the candidate was "
                f"already sent or is being sent: {_row_numbers(result.skipped)}.",
            )
        )
    if result.invalid and result.valid_only:
        left_out = "would be left out" if dry_run else "left out"
        said.append(
            (
                "warning",
                f"{plural(result.invalid, 'invalid row')} {left_out}: "
                f"{_row_numbers(result.problems)}.",
            )
        )
    return said


def _row_numbers(notes: list[RowNote]) -> str:
    numbers = list(dict.fromkeys(note.row for note in notes))
    shown = ", ".join(str(number) for number in numbers[:ROWS_NAMED])
    more = len(numbers) - ROWS_NAMED
    return f"rows {shown}" + (f" and {more} more" if more > 0 else "")


def _blocked(result: ImportResult) -> str:
    verb = "is" if result.invalid == 1 else "are"
    return (
        f"Nothing is imported while rows are invalid: {plural(result.invalid, 'row')} {verb} "
        "invalid. Correct the file, or choose to import only the valid rows."
    )
