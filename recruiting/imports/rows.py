"""One row of the file read on its own: its values, and the problems it has by itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from recruiting import rules
from recruiting.imports.columns import Columns
from recruiting.imports.results import ImportOptions
from recruiting.lookups import InterviewerIndex, InterviewerNotFound
from recruiting.models import Interviewer
from recruiting.spreadsheets import text_cell, typed_cell, whole_number_cell

Key = tuple[int, str]


@dataclass(slots=True)
class Row:
    number: int
    interviewer: Interviewer | None
    email: str
    name: str
    values: dict[str, Any]  # status, skills, send_email_after: only those the file or form sets
    additional: dict[str, Any]  # None removes the key
    metadata: dict[str, Any]
    problems: list[tuple[str, str]]


class RowParser:
    """Reads the rows of one file, noting duplicates of an earlier row as it goes."""

    def __init__(self, columns: Columns, options: ImportOptions) -> None:
        self.columns = columns
        self.options = options
        self.interviewers = InterviewerIndex()
        self.seen: dict[Key, int] = {}

    def parse(self, number: int, cells: list[Any]) -> Row:
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
        return Row(number, interviewer, email, name, values, additional, metadata, problems)

    def _interviewer(self, cell: Any, problems: list[tuple[str, str]]) -> Interviewer | None:
        index = self.columns.fields.get("interviewer")
        value = text_cell(cell(index)) if index is not None else ""
        if value:
            try:
                return self.interviewers.find(value)
            except InterviewerNotFound as refusal:
                problems.append(("interviewer", str(refusal)))
                return None
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
