"""Import a spreadsheet: the transaction, and each chunk compared with the database and written.

The file is read as a stream and handled a chunk of rows at a time (one query finds the
chunk's existing candidates, one bulk insert and one bulk update write it), so a
100,000-row file costs little memory.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice
from typing import IO, Any

from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone

from recruiting import rules
from recruiting.imports.columns import METADATA_PREFIX, ColumnMapping, Columns, read_header
from recruiting.imports.mapping import NO_MAPPING
from recruiting.imports.results import (
    ImportConflict,
    ImportOptions,
    ImportResult,
    RowAction,
    RowNote,
    RowPreview,
)
from recruiting.imports.rows import Key, Row, RowParser
from recruiting.locks import import_refusal
from recruiting.models import Candidate
from recruiting.reading import Format, SpreadsheetError, read_rows
from recruiting.spreadsheets import is_blank

CONFLICT = (
    "Another import added some of these candidates at the same moment, so this one wrote "
    "nothing. Upload the file again: those rows will show as unchanged."
)
NO_ROWS = "The file has a header row but no row of candidates under it: add one row per candidate."
DEADLOCK = "40P01"  # PostgreSQL's deadlock_detected
IMPORT_LOCK = 0x1A7E_0F11  # the advisory lock imports take in turn
CHUNK_ROWS = 900  # below SQLite's oldest limit of 999 parameters per query
PREVIEW_ROWS = 100


def candidates_import(
    *,
    file: IO[bytes],
    fmt: Format,
    options: ImportOptions,
    dry_run: bool,
    preview_rows: int = PREVIEW_ROWS,
    mapping: ColumnMapping | None = None,
) -> ImportResult:
    """Check every row of a spreadsheet and, unless `dry_run`, write the candidates.

    The columns are read by `mapping`, else by the mapping saved for the file's headers.
    Nothing is written while any row is invalid, unless `options.valid_only` is set.
    Raises SpreadsheetError when the file as a whole cannot be imported.
    """
    source = read_rows(file, fmt)
    rows = enumerate(source, start=1)
    try:
        importer = _Importer(read_header(rows, mapping), options, preview_rows=preview_rows)
        if dry_run:
            importer.run(rows, write=False)
        else:
            _write_all(importer, rows)
    finally:
        source.close()  # whatever stopped the reading, before the caller closes the file
    return importer.result


def candidates_import_rows(
    *, header: list[str], rows: Iterable[list[Any]], options: ImportOptions, dry_run: bool = False
) -> ImportResult:
    """Import rows given as cells under our own headers, as a spreadsheet's are, by the same rules.

    The header is read as it is: a mapping a recruiter saved for some file never applies.
    """
    numbered = enumerate([header, *rows], start=1)
    importer = _Importer(read_header(numbered, NO_MAPPING), options, preview_rows=PREVIEW_ROWS)
    if dry_run:
        importer.run(numbered, write=False)
    else:
        _write_all(importer, numbered)
    return importer.result


def _write_all(importer: _Importer, rows: Iterable[tuple[int, list[Any]]]) -> None:
    """Write in one transaction, rolled back while a row is invalid unless valid_only is set."""
    try:
        with transaction.atomic():
            _one_import_at_a_time()
            importer.run(rows, write=True)
            if importer.result.invalid and not importer.options.valid_only:
                transaction.set_rollback(True)
            else:
                importer.result.written = True
    except IntegrityError as error:
        # Only a unique (interviewer, email) can fail here: a concurrent import won the race.
        raise ImportConflict(CONFLICT) from error
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) != DEADLOCK:
            raise
        raise ImportConflict(CONFLICT) from error


def _one_import_at_a_time() -> None:
    """Imports write one after the other, so that two overlapping files never deadlock.

    Each locks and writes its rows chunk by chunk, in its file's order: two files with the
    same candidates in other orders would each wait for the other. The second waits for
    the first to commit, then finds its rows written. SQLite writes one transaction at a
    time anyway.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])


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
Stored = dict[str, Any]  # a candidate's EXISTING_FIELDS, as the database has them
New = list[Candidate]
Changed = list[tuple[Candidate, list[str]]]  # each with the fields it changes


class _Importer:
    def __init__(self, columns: Columns, options: ImportOptions, *, preview_rows: int) -> None:
        self.options = options
        self.preview_rows = preview_rows
        self.rows = RowParser(columns, options)
        self.result = ImportResult(
            columns=columns.names,
            ignored_columns=columns.ignored,
            mapped_columns=columns.mapped,
            mapping_name=columns.mapping.name,
            valid_only=options.valid_only,
            push_requested=options.push,
        )
        self.now = timezone.now()

    def run(self, rows: Iterable[tuple[int, list[Any]]], *, write: bool) -> None:
        parsed = (self.rows.parse(number, row) for number, row in rows if not is_blank(row))
        while chunk := list(islice(parsed, CHUNK_ROWS)):
            new, changed = self._classify(chunk, write=write)
            # Once a row is invalid the import will be rolled back: stop writing early.
            if write and (self.options.valid_only or not self.result.invalid):
                self._write(new, changed)
        if not self.result.total:
            raise SpreadsheetError(NO_ROWS)

    # classifying: what each row would do to the database

    def _classify(self, chunk: list[Row], *, write: bool) -> tuple[New, Changed]:
        """Count and note what each row would do; build the candidates to write if writing."""
        existing = _existing(chunk, lock=write)
        new: New = []
        changed: Changed = []
        for row in chunk:
            current = existing.get(row.key) if row.key is not None else None
            action, target, changes = self._judge(row, current)
            if write and action == RowAction.NEW:
                new.append(Candidate(interviewer=row.interviewer, email=row.email, **target))
            elif write and action == RowAction.UPDATE:
                candidate = Candidate(pk=current["pk"], updated_at=self.now, **target)
                changed.append((candidate, changes))
        return new, changed

    def _judge(
        self, row: Row, current: Stored | None
    ) -> tuple[RowAction, dict[str, Any], list[str]]:
        """What the row does to its candidate: counted, noted, and kept to send if a draft."""
        target = self._target(row, current)
        _check_target(row, target)
        changes = [name for name in COMPARED if current and current[name] != target[name]]
        action = _action(row, current, changes)
        self.result.counts[action] += 1
        self._note(row, action, target, changes, current)
        if action in (RowAction.UPDATE, RowAction.UNCHANGED) and (
            current["state"] in Candidate.EDITABLE_STATES
        ):
            self.result.candidate_ids.append(current["pk"])
        return action, target, changes

    def _target(self, row: Row, current: Stored | None) -> dict[str, Any]:
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

    def _note(
        self,
        row: Row,
        action: RowAction,
        target: dict[str, Any],
        changes: list[str],
        current: Stored | None,
    ) -> None:
        """Keep the row's problems, why it was left alone, and its preview while there is room."""
        result = self.result
        notes = [f"{column}: {message}" for column, message in row.problems]
        if row.notes:  # read with a guess: said before the problems
            notes[:0] = [f"{column}: {message}" for column, message in row.notes]
            result.notes.extend(RowNote(row.number, column, text) for column, text in row.notes)
        for column, message in row.problems:
            result.problems.append(RowNote(row.number, column, message))
        if action == RowAction.SKIPPED:
            message = import_refusal(current["state"], changes)
            result.skipped.append(RowNote(row.number, ", ".join(changes), message))
            notes.append(message)
        if len(result.preview) < self.preview_rows:
            result.preview.append(_preview(row, action, target, changes, notes))

    # writing

    def _write(self, new: New, changed: Changed) -> None:
        if new:
            self._create(new)
        _update(changed)

    def _create(self, new: New) -> None:
        Candidate.objects.bulk_create(new, batch_size=CHUNK_ROWS)
        if any(candidate.pk is None for candidate in new):  # databases without RETURNING
            new = _with_pks(new)
        self.result.candidate_ids.extend(candidate.pk for candidate in new)


def _existing(chunk: list[Row], *, lock: bool) -> dict[Key, Stored]:
    """The chunk's candidates that the database already has, by (interviewer, email)."""
    keys = {row.key for row in chunk if row.key is not None}
    if not keys:
        return {}
    candidates = Candidate.objects.filter(
        interviewer_id__in={pk for pk, _ in keys}, email__in={email for _, email in keys}
    )
    if lock:
        # Keep a worker from claiming a draft between this read and the update.
        candidates = candidates.select_for_update(of=("self",)).order_by("pk")
    found = {}
    for values in candidates.values(*EXISTING_FIELDS):
        key = (values["interviewer_id"], values["email"])
        if key in keys:
            found[key] = values
    return found


def _check_target(row: Row, target: dict[str, Any]) -> None:
    """Note what the candidate the row makes would break, by the rules sending applies."""
    if row.interviewer is not None and (
        problem := rules.status_problem(target["status"], row.interviewer)
    ):
        row.problems.append(("status", problem))
    checks = [
        ("skills", rules.skills_problem(target["skills"])),
        ("additional", rules.additional_fields_problem(target["additional_fields"])),
        (METADATA_PREFIX + rules.SEND_EMAIL_AFTER_KEY, rules.metadata_problem(target["metadata"])),
        (
            "send_email_after",
            rules.delay_conflict_problem(target["send_email_after"], target["metadata"]),
        ),
    ]
    row.problems.extend((column, problem) for column, problem in checks if problem)


def _action(row: Row, current: Stored | None, changes: list[str]) -> RowAction:
    if row.problems:
        return RowAction.INVALID
    if current is None:
        return RowAction.NEW
    if not changes:
        return RowAction.UNCHANGED
    if current["state"] not in Candidate.EDITABLE_STATES:
        return RowAction.SKIPPED
    return RowAction.UPDATE


def _preview(
    row: Row, action: RowAction, target: dict[str, Any], changes: list[str], notes: list[str]
) -> RowPreview:
    return RowPreview(
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


def _update(changed: Changed) -> None:
    """One bulk update for each set of fields that some of the candidates change."""
    by_fields: dict[tuple[str, ...], list[Candidate]] = {}
    for candidate, changes in changed:
        by_fields.setdefault(tuple(changes), []).append(candidate)
    for changes, candidates in by_fields.items():
        Candidate.objects.bulk_update(candidates, [*changes, "updated_at"], batch_size=CHUNK_ROWS)


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
