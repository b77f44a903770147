from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ingestion.dispatch import imported_push
from ingestion.management.reporting import interviewer_option, push_report
from recruiting import rules
from recruiting.imports.mapping import ColumnMapping
from recruiting.imports.messages import import_messages
from recruiting.imports.results import ColumnsError, ImportOptions, ImportResult
from recruiting.imports.saved import MappingNotFound, mapping_named
from recruiting.imports.service import candidates_import
from recruiting.models import Candidate
from recruiting.reading import SpreadsheetError, detect_format, size_problem

MAP_IN_THE_ADMIN = (
    "Map the file's columns once on the admin's Import page (/admin/recruiting/candidate/"
    "import/) and save the mapping: the next import of the same headers uses it, or name it "
    "with --mapping."
)


def _mapping(name: str | None) -> ColumnMapping | None:
    return mapping_named(name) if name else None


class Command(BaseCommand):
    help = (
        "Import candidate drafts from a CSV or XLSX file, exactly as the admin's Import page "
        "does. Nothing is written while any row is invalid, unless --valid-only is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The .csv or .xlsx file.")
        parser.add_argument(
            "--interviewer",
            help="Default Interviewer (its id, interviewer id or name) for rows without one.",
        )
        parser.add_argument(
            "--status",
            choices=[choice.value for choice in Candidate.Status],
            help="Status for every row, replacing the file's status column.",
        )
        parser.add_argument(
            "--skills",
            nargs="+",
            default=[],
            help="Skills added to every row (separate with spaces, commas, semicolons or |).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count the rows; write nothing."
        )
        parser.add_argument(
            "--valid-only",
            action="store_true",
            help="Import the valid rows and leave the invalid ones out.",
        )
        parser.add_argument(
            "--push", action="store_true", help="Push the imported candidates afterwards."
        )
        parser.add_argument(
            "--mapping",
            help="A saved column mapping, by name. Without it, a mapping saved for the same "
            "headers is used, else the built-in header aliases.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        if problem := size_problem(path.stat().st_size):
            raise CommandError(f"{path.name}: {problem}")
        import_options = ImportOptions(
            interviewer=interviewer_option(options["interviewer"]),
            status=options["status"] or "",
            skills=tuple(skill for text in options["skills"] for skill in rules.split_skills(text)),
            push=options["push"],
            valid_only=options["valid_only"],
        )
        try:
            with path.open("rb") as file:
                result = candidates_import(
                    file=file,
                    fmt=detect_format(file, path.name),
                    options=import_options,
                    dry_run=options["dry_run"],
                    mapping=_mapping(options["mapping"]),
                )
        except ColumnsError as error:
            raise CommandError(f"{path.name}: {error} {MAP_IN_THE_ADMIN}") from error
        except (SpreadsheetError, MappingNotFound) as error:
            raise CommandError(f"{path.name}: {error}") from error
        self._report(result, dry_run=options["dry_run"])
        if pushed := imported_push(result):
            push_report(self, pushed)
        if result.invalid and not options["valid_only"]:
            raise CommandError(f"{path.name}: {result.count_summary()}")

    def _report(self, result: ImportResult, *, dry_run: bool) -> None:
        for note in result.problems:
            self.stderr.write(f"Row {note.row}, {note.column}: {note.message}")
        for note in result.skipped:
            self.stderr.write(f"Row {note.row}: {note.message}")
        for note in result.notes:
            self.stdout.write(f"Row {note.row}, {note.column}: {note.message}")
        for level, text in import_messages(result, dry_run=dry_run):
            (self.stderr if level == "error" else self.stdout).write(text)
