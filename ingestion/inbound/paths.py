"""Reading values out of JSON whose shape the sender never documented.

A path is dotted (`candidate.email`), a number stepping into a list (`jobs.0.name`);
`first_value` tries several paths in order and returns the first that holds something, so
one table of paths says how a shape is read.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

MISSING: Any = None


def dig(value: Any, path: str) -> Any:
    """The value at a dotted path, or None when any step is absent or not an object."""
    for step in path.split("."):
        if isinstance(value, list) and step.isdecimal():
            value = value[int(step)] if int(step) < len(value) else MISSING
        elif isinstance(value, dict):
            value = value.get(step)
        else:
            return MISSING
    return value


def first_value(value: Any, paths: Iterable[str], *, within: Iterable[str] = ("",)) -> Any:
    """The first present, non-blank value among `paths`, tried at each prefix of `within`.

    `within=("", "data")` looks at the top level first, then inside `data`.
    """
    for prefix in within:
        scope = dig(value, prefix) if prefix else value
        for path in paths:
            found = dig(scope, path)
            if found is not None and found != "" and found != [] and found != {}:
                return found
    return MISSING
