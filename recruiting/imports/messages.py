"""Tell the recruiter what an import did, in the same words in the admin and the command."""

from __future__ import annotations

from recruiting.imports.results import ImportResult, RowAction, RowNote
from recruiting.wording import plural

ROWS_NAMED = 10


def import_messages(result: ImportResult, *, dry_run: bool = False) -> list[tuple[str, str]]:
    """What an import did, as (level, sentence) pairs: the same words in the admin and CLI."""
    said = _outcome(result, dry_run=dry_run)
    if result.mapping_name:
        said.append(("info", f"Columns read by the saved mapping “{result.mapping_name}”."))
    if result.notes:
        said.append(("warning", _several_addresses(result)))
    if result.ignored_columns:
        names = ", ".join(f"“{name}”" for name in result.ignored_columns)
        said.append(("warning", f"Ignored columns (not imported): {names}."))
    if result.skipped:
        said.append(("warning", _skipped(result)))
    if result.invalid and result.valid_only:
        said.append(("warning", _left_out(result, dry_run=dry_run)))
    return said


def _outcome(result: ImportResult, *, dry_run: bool) -> list[tuple[str, str]]:
    """Whether the rows were written, and how many of each kind there were."""
    if dry_run:
        said = [("info", f"Dry run: {result.count_summary()} Nothing was written.")]
        if result.invalid and not result.valid_only:
            said.append(("error", _blocked(result)))
        return said
    if result.written:
        return [("success", _finished(result))]
    return [("error", _blocked(result))]


def _finished(result: ImportResult) -> str:
    counts = result.counts
    return (
        f"Import finished: {counts[RowAction.NEW]} new, "
        f"{counts[RowAction.UPDATE]} updated, {counts[RowAction.UNCHANGED]} unchanged."
    )


def _skipped(result: ImportResult) -> str:
    return (
        f"{plural(len(result.skipped), 'row')} not applied because the candidate was "
        f"already sent or is being sent: {_row_numbers(result.skipped)}."
    )


def _several_addresses(result: ImportResult) -> str:
    return (
        f"Several addresses in one email cell: the first was taken, the others left out "
        f"({_row_numbers(result.notes)})."
    )


def _left_out(result: ImportResult, *, dry_run: bool) -> str:
    left_out = "would be left out" if dry_run else "left out"
    return f"{plural(result.invalid, 'invalid row')} {left_out}: {_row_numbers(result.problems)}."


def _row_numbers(notes: list[RowNote]) -> str:
    numbers = list(dict.fromkeys(note.row for note in notes))
    shown = ", ".join(str(number) for number in numbers[:ROWS_NAMED])
    more = len(numbers) - ROWS_NAMED
    rows = "row" if len(numbers) == 1 else "rows"
    return f"{rows} {shown}" + (f" and {more} more" if more > 0 else "")


def _blocked(result: ImportResult) -> str:
    verb = "is" if result.invalid == 1 else "are"
    return (
        f"Nothing is imported while rows are invalid: {plural(result.invalid, 'row')} {verb} "
        "invalid. Correct the file, or choose to import only the valid rows."
    )
