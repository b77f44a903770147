"""One row of the file read on its own: its values, and the problems it has by itself."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from recruiting import rules
from recruiting.imports.columns import Columns
from recruiting.imports.results import ImportOptions
from recruiting.imports.targets import NAME_PARTS
from recruiting.lookups import InterviewerIndex, InterviewerNotFound
from recruiting.models import Interviewer
from recruiting.spreadsheets import text_cell, typed_cell, whole_number_cell
from recruiting.wording import plural

Key = tuple[int, str]
Problems = list[tuple[str, str]]  # (column, message)
NO_INTERVIEWER = (
    "No Interviewer for this row: fill in its interviewer column, or choose a default "
    "Interviewer for the import."
)
EXTRA_CELLS = "cells"  # the column of a row that goes on past the header
ADDRESS_SEPARATORS = re.compile(r"[,;\s]+")


@dataclass(slots=True)
class Row:
    number: int
    interviewer: Interviewer | None
    email: str
    name: str
    values: dict[str, Any]  # status, skills, send_email_after: only those the file or form sets
    additional: dict[str, Any]  # None removes the key
    metadata: dict[str, Any]
    problems: Problems
    notes: Problems = field(default_factory=list)  # (column, what was read with a guess)

    @property
    def key(self) -> Key | None:
        """What a candidate is matched on, (interviewer, email); None without an Interviewer.

        None too when the email is refused: a NUL byte or 300 characters are never looked
        up (PostgreSQL cannot even compare a NUL), the row is invalid anyway.
        """
        if self.interviewer is None or any(column == "email" for column, _ in self.problems):
            return None
        return (self.interviewer.pk, self.email)


class RowParser:
    """Reads the rows of one file, noting duplicates of an earlier row as it goes."""

    def __init__(self, columns: Columns, options: ImportOptions) -> None:
        self.columns = columns
        self.options = options
        self.interviewers = InterviewerIndex()
        self.seen: dict[Key, int] = {}
        fields = columns.fields
        self.name_parts = [] if "name" in fields else [p for p in NAME_PARTS if p in fields]

    def parse(self, number: int, cells: list[Any]) -> Row:
        """Read one row's cells, noting its problems, a copy of an earlier row among them."""
        problems: Problems = []
        if len(cells) > self.columns.width:
            problems.append((EXTRA_CELLS, _extra_cells(len(cells), self.columns.width)))
        name, email, notes = self._name_and_email(cells, problems)
        interviewer = self._interviewer(cells, problems)
        values = self._values(cells, problems)
        additional = _keyed(cells, self.columns.additional)
        metadata = _keyed(cells, self.columns.metadata, self.columns.identifiers)
        row = Row(number, interviewer, email, name, values, additional, metadata, problems, notes)
        self._check_duplicate(row)
        return row

    def _field(self, cells: list[Any], name: str) -> Any:
        """The row's cell in that field's column; None without the column or past the row."""
        index = self.columns.fields.get(name)
        return None if index is None else _cell(cells, index)

    def _name_and_email(self, cells: list[Any], problems: Problems) -> tuple[str, str, Problems]:
        name = self._name(cells)
        raw_email, note = first_address(text_cell(self._field(cells, "email")))
        notes = [("email", note)] if note else []
        if problem := rules.name_problem(name):
            problems.append(("name", problem))
        if problem := rules.email_problem(raw_email):
            problems.append(("email", problem))
        return name, rules.normalise_email(raw_email), notes

    def _name(self, cells: list[Any]) -> str:
        """The name column's, else the first and last names joined."""
        if not self.name_parts:
            return text_cell(self._field(cells, "name"))
        parts = (text_cell(self._field(cells, part)) for part in self.name_parts)
        return " ".join(part for part in parts if part)

    def _interviewer(self, cells: list[Any], problems: Problems) -> Interviewer | None:
        """The row's own Interviewer, else the import's default."""
        if value := text_cell(self._field(cells, "interviewer")):
            try:
                return self.interviewers.find(value)
            except InterviewerNotFound as refusal:
                problems.append(("interviewer", str(refusal)))
                return None
        if (default := self.options.interviewer or self.columns.mapping.interviewer) is not None:
            return default
        problems.append(("interviewer", NO_INTERVIEWER))
        return None

    def _values(self, cells: list[Any], problems: Problems) -> dict[str, Any]:
        """Status, skills and send_email_after: only those the form or the file sets."""
        fields = self.columns.fields
        values: dict[str, Any] = {}
        if self.options.status:
            values["status"] = self.options.status
        elif "status" in fields:
            status = text_cell(self._field(cells, "status"))
            values["status"] = self.columns.mapping.status(status).lower()
        if "skills" in fields:
            values["skills"] = rules.split_skills(text_cell(self._field(cells, "skills")))
        if "send_email_after" in fields:
            values["send_email_after"] = self._hours(cells, problems)
        return values

    def _hours(self, cells: list[Any], problems: Problems) -> Any:
        hours = whole_number_cell(typed_cell(self._field(cells, "send_email_after")))
        if problem := rules.send_email_after_problem(hours):
            problems.append(("send_email_after", problem))
        return hours

    def _check_duplicate(self, row: Row) -> None:
        """Note a row whose interviewer and email an earlier row of the file already has."""
        if row.key is None:
            return
        if (first := self.seen.setdefault(row.key, row.number)) != row.number:
            row.problems.append(
                (
                    "email",
                    f"Duplicate row: row {first} already has {row.email} for "
                    f"“{row.interviewer.name}”. Keep one of the two rows.",
                )
            )


def first_address(text: str) -> tuple[str, str]:
    """The first of several addresses in one cell, with a note saying so; else the cell."""
    if text.count("@") < 2:
        return text, ""
    addresses = [part for part in ADDRESS_SEPARATORS.split(text) if "@" in part]
    if len(addresses) < 2:
        return text, ""
    several = plural(len(addresses), "address", "addresses")
    others = ", ".join(addresses[1:])
    return addresses[0], f"{several} in one cell: took {addresses[0]}, left out {others}."


def _extra_cells(cells: int, width: int) -> str:
    return (
        f"This row has {cells} cells but the header names {width} columns, so some of its "
        "values would be lost: put quotation marks around a value that holds a comma or a "
        "semicolon, or name the extra column in the first row."
    )


def _cell(cells: list[Any], index: int) -> Any:
    # A CSV row may stop short of the header's last columns.
    return cells[index] if index < len(cells) else None


def _keyed(
    cells: list[Any], columns: list[tuple[str, int]], texts: frozenset[int] = frozenset()
) -> dict[str, Any]:
    """The additional fields or metadata a row sets, by key; None for a blank cell."""
    if not texts:
        return {key: typed_cell(_cell(cells, index)) for key, index in columns}
    return {
        key: (text_cell(_cell(cells, index)) or None)
        if index in texts
        else typed_cell(_cell(cells, index))
        for key, index in columns
    }
