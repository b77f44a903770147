"""Form fields for the JSON values staff type: skills as a comma list, tags as lines.

What is stored is unchanged (a JSON list of strings, a JSON object); what staff read and
type is plain: `python, aws` for skills, one `Manual Score: 72` a line for additional
fields and metadata. Numbers stay numbers, and text that would read as something else
(`"72"`, `"true"`) is shown in double quotes, so a form saved untouched stores what it
showed. Pasted JSON (`["python"]`, `{"a": 1}`) is read as JSON.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from recruiting import rules
from recruiting.spreadsheets import typed_cell

JSON_LITERALS = ("true", "false", "null")


class JSONTextField(forms.JSONField):
    """JSON typed by staff: a blank box means empty, and a typing mistake is pointed out.

    The shape (list or object) is checked by the model field's validators, which say what
    is expected in the words used everywhere else.
    """

    empty: Callable[[], Any] = list
    example = '["python", "aws"]'

    def to_python(self, value: Any) -> Any:
        if self.disabled:
            return value
        if isinstance(value, str):
            value = self._parse_json(value) if value.strip() else None
        # Blank, null, [] and {} all mean "nothing here"; the column itself is never NULL.
        return self.empty() if value in self.empty_values else value

    def bound_data(self, data: Any, initial: Any) -> Any:
        # What was typed is shown again as typed, to be corrected rather than retyped.
        return initial if self.disabled else data

    def prepare_value(self, value: Any) -> Any:
        return value if isinstance(value, str) else super().prepare_value(value)

    def _parse_json(self, text: str) -> Any:
        try:
            return json.loads(text, cls=self.decoder)
        except json.JSONDecodeError as error:
            raise ValidationError(
                "This is not valid JSON: %(problem)s at line %(line)s, column %(column)s. "
                "Write it like %(example)s, with text in double quotes.",
                code="invalid",
                params={
                    "problem": error.msg.lower(),
                    "line": error.lineno,
                    "column": error.colno,
                    "example": self.example,
                },
            ) from error


class SkillsField(JSONTextField):
    """Skills as a comma list: `python, aws`."""

    widget = forms.TextInput(attrs={"size": 60, "placeholder": "python, aws"})

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and not _json_meant(value, opening="["):
            return rules.split_skills(value)
        return super().to_python(value)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list) and all(isinstance(skill, str) for skill in value):
            return ", ".join(value)
        return super().prepare_value(value)


class KeyValueField(JSONTextField):
    """A JSON object as lines of `Key: value`."""

    empty = dict
    example = '{"Manual Score": 72}'
    widget = forms.Textarea(attrs={"rows": 3, "cols": 60, "placeholder": "Manual Score: 72"})

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and not _json_meant(value, opening="{"):
            return dict(self._pair(number, line) for number, line in _lines(value))
        return super().to_python(value)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dict) and all(":" not in str(key) for key in value):
            return "\n".join(f"{key}: {_shown(item)}" for key, item in value.items())
        return super().prepare_value(value)

    def _pair(self, number: int, line: str) -> tuple[str, Any]:
        key, colon, text = line.partition(":")
        if not colon or not key.strip():
            raise ValidationError(
                f"Line {number} is not “Key: value”. Write one per line, for example "
                "“Manual Score: 72”."
            )
        return key.strip(), self._value(text.strip())

    def _value(self, text: str) -> Any:
        if text[:1] in ('"', "{", "[") or text in JSON_LITERALS:
            return self._parse_json(text)
        return typed_cell(text)


def _json_meant(text: str, *, opening: str) -> bool:
    """Pasted JSON: it opens like the stored value, or it is JSON as a whole."""
    text = text.strip()
    if text.startswith(opening):
        return True
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _lines(text: str) -> list[tuple[int, str]]:
    return [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]


def _shown(value: Any) -> str:
    """A value as typed: plain when it reads back as itself, JSON otherwise."""
    if isinstance(value, str) and _reads_back(value):
        return value
    return json.dumps(value, ensure_ascii=False)


def _reads_back(text: str) -> bool:
    return (
        bool(text)
        and typed_cell(text) == text
        and text[:1] not in ('"', "{", "[")
        and text not in JSON_LITERALS
    )
