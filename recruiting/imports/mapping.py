"""A recruiter's choices for a file's columns and status values, and their checks."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from recruiting import rules
from recruiting.imports.aliases import STAGE_STATUSES, header_key
from recruiting.imports.targets import KEY_MAX_LENGTH, target_problem
from recruiting.models import Interviewer

STATUS_VALUES_MAX = 50  # distinct status values a mapping translates
STATUSES = ("", rules.SHORTLISTED, rules.DRAFT)  # blank: the Interviewer's default
MAPPING_MAX_CHARS = 100_000
MALFORMED = "The column mapping could not be read: map the columns again."


@dataclass(frozen=True)
class ColumnMapping:
    """Targets for columns and statuses for status values, both by `header_key`."""

    columns: dict[str, str] = field(default_factory=dict)
    statuses: dict[str, str] = field(default_factory=dict)
    name: str = ""  # the saved mapping's, when it is one
    interviewer: Interviewer | None = None  # for rows with none, unless the import names one

    @classmethod
    def of(
        cls,
        columns: dict[str, str],
        statuses: dict[str, str],
        name: str = "",
        interviewer: Interviewer | None = None,
    ) -> ColumnMapping:
        """A mapping from choices keyed by the file's own headers and values."""
        return cls(
            {header_key(header): target for header, target in columns.items()},
            {header_key(value): status for value, status in statuses.items()},
            name,
            interviewer,
        )

    def choice(self, header: str) -> str | None:
        return self.columns.get(header_key(header))

    def status(self, value: str) -> str:
        """A status value of the file as the mapping translates it; as it is otherwise."""
        return self.statuses.get(header_key(value), value)

    def known_status(self, value: str) -> str:
        """The status proposed for a value: the mapping's, else a common stage's; else blank."""
        key = header_key(value)
        status = self.statuses.get(key, STAGE_STATUSES.get(key, value))
        return status if status in STATUSES else ""

    def as_json(self) -> str:
        interviewer = self.interviewer.pk if self.interviewer else None
        return json.dumps(
            {
                "columns": self.columns,
                "statuses": self.statuses,
                "name": self.name,
                "interviewer": interviewer,
            }
        )


NO_MAPPING = ColumnMapping()


def mapping_problems(columns: Any, statuses: Any) -> list[str]:
    """What makes column choices and status values unusable, in words; [] when nothing."""
    if not isinstance(columns, dict) or not isinstance(statuses, dict):
        return ["The columns and the status values are each a JSON object."]
    problems = []
    if len(columns) > settings.IMPORT_MAX_COLUMNS or len(statuses) > STATUS_VALUES_MAX:
        problems.append(
            f"At most {settings.IMPORT_MAX_COLUMNS} columns and {STATUS_VALUES_MAX} status "
            "values can be mapped."
        )
    for header, target in columns.items():
        if not _short_text(header) or not isinstance(target, str):
            problems.append(f"The column “{header}” needs a header and a target, both text.")
        elif problem := target_problem(target):
            problems.append(f"{header}: {problem}")
    for value, status in statuses.items():
        if not _short_text(value) or status not in STATUSES:
            problems.append(f"The status value “{value}” can only become shortlisted or draft.")
    return problems


def mapping_from_json(text: str) -> ColumnMapping:
    """The mapping an earlier page sent on; raise ValueError when it is not one."""
    if len(text) > MAPPING_MAX_CHARS:
        raise ValueError(MALFORMED)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(MALFORMED) from error
    if not isinstance(data, dict) or mapping_problems(data.get("columns"), data.get("statuses")):
        raise ValueError(MALFORMED)
    interviewer = None
    if data.get("interviewer") is not None:
        interviewer = Interviewer.objects.filter(pk=_whole(data["interviewer"])).first()
        if interviewer is None:
            raise ValueError("The mapping's Interviewer no longer exists: map the columns again.")
    name = data.get("name") if isinstance(data.get("name"), str) else ""
    return ColumnMapping.of(data["columns"], data["statuses"], name[:KEY_MAX_LENGTH], interviewer)


def _short_text(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value) <= KEY_MAX_LENGTH


def _whole(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(MALFORMED)
    return value
