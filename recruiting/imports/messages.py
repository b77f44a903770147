"""Tell the recruiter what an import did, in the same words in the admin and the command."""

from __future__ import annotations

from recruiting.imports.results import ImportResult, RowAction, RowNote
from recruiting.wording import plural

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
