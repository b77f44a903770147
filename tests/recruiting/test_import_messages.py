"""What an import tells the recruiter, read straight from an ImportResult."""

from __future__ import annotations

from collections import Counter

from recruiting.imports.messages import import_messages
from recruiting.imports.results import ImportResult, RowAction, RowNote

NEW, UPDATE, UNCHANGED, SKIPPED, INVALID = RowAction


def result_of(
    counts: dict[RowAction, int],
    *,
    problem_rows: tuple[int, ...] = (),
    skipped_rows: tuple[int, ...] = (),
    **fields: object,
) -> ImportResult:
    """A result with these counts, one note for each row number given."""
    return ImportResult(
        counts=Counter(counts),
        problems=[RowNote(row, "email", "Not an email address.") for row in problem_rows],
        skipped=[RowNote(row, "name", "Not changed: already sent.") for row in skipped_rows],
        **fields,  # type: ignore[arg-type]
    )


def test_a_written_import_counts_what_it_did():
    result = result_of({NEW: 2, UPDATE: 1, UNCHANGED: 4}, written=True)

    assert import_messages(result) == [
        ("success", "Import finished: 2 new, 1 updated, 4 unchanged."),
    ]


def test_a_dry_run_counts_every_kind_of_row_and_says_nothing_was_written():
    result = result_of({NEW: 1, UPDATE: 2, UNCHANGED: 3})

    assert import_messages(result, dry_run=True) == [
        (
            "info",
            "Dry run: 6 rows: 1 new, 2 updated, 3 unchanged, 0 not changed: already sent, "
            "0 invalid. Nothing was written.",
        ),
    ]


def test_invalid_rows_block_the_import_and_say_how_to_go_on():
    result = result_of({NEW: 1, INVALID: 1}, problem_rows=(3,))
    blocked = (
        "error",
        "Nothing is imported while rows are invalid: 1 row is invalid. Correct the file, or "
        "choose to import only the valid rows.",
    )

    assert import_messages(result) == [blocked]
    assert import_messages(result, dry_run=True)[1:] == [blocked]


def test_several_invalid_rows_are_counted_in_the_plural():
    result = result_of({INVALID: 2}, problem_rows=(2, 5))

    ((level, text),) = import_messages(result)

    assert level == "error"
    assert text.startswith("Nothing is imported while rows are invalid: 2 rows are invalid.")


def test_with_valid_rows_only_the_invalid_ones_are_named_as_left_out():
    result = result_of({NEW: 1, INVALID: 2}, problem_rows=(3, 3, 5), valid_only=True)

    assert import_messages(result, dry_run=True)[1:] == [
        ("warning", "2 invalid rows would be left out: rows 3, 5."),
    ]
    result.written = True
    assert import_messages(result)[1:] == [("warning", "2 invalid rows left out: rows 3, 5.")]


def test_ignored_columns_and_rows_not_applied_are_warned_of_after_the_outcome():
    result = result_of(
        {UNCHANGED: 1, SKIPPED: 2},
        skipped_rows=(4, 7),
        ignored_columns=["Notes", "Owner"],
        written=True,
    )

    assert import_messages(result) == [
        ("success", "Import finished: 0 new, 0 updated, 1 unchanged."),
        ("warning", "Ignored columns (not imported): “Notes”, “Owner”."),
        (
            "warning",
            "2 rows not applied because the candidate was already sent or is being sent: "
            "rows 4, 7.",
        ),
    ]


def test_past_ten_rows_the_rest_are_counted_not_named():
    rows = tuple(range(2, 15))
    result = result_of({INVALID: len(rows)}, problem_rows=rows, valid_only=True, written=True)

    assert import_messages(result)[1:] == [
        ("warning", "13 invalid rows left out: rows 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 3 more."),
    ]
