"""Plain words shared by every page and command: counts, and reasons naming a few candidates."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.utils import timezone

NAMES_SHOWN = 3


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"


def by_reason(pairs: Iterable[tuple[Any, str]], *, what: str = "") -> list[str]:
    """One line per distinct reason, naming a few of the candidates it applies to."""
    grouped: dict[str, list[Any]] = {}
    for candidate, reason in pairs:
        grouped.setdefault(reason, []).append(candidate)
    return [counted(candidates, reason, what=what) for reason, candidates in grouped.items()]


def counted(examples: list[Any], reason: str, *, what: str = "", count: int | None = None) -> str:
    """ "3 candidates skipped (a, b, c): reason", `count` of them when more than the examples."""
    count = len(examples) if count is None else count
    what = f" {what}" if what else ""
    return f"{plural(count, 'candidate')}{what} ({some_of(examples, total=count)}): {reason}"


def listed(items: list[str]) -> str:
    """ "name", "name and skills", "name, skills and status"."""
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def some_of(items: list[Any], *, total: int | None = None) -> str:
    """The first few items by name, and how many more there are (of `total`, if given)."""
    shown = items[:NAMES_SHOWN]
    names = ", ".join(str(item) for item in shown)
    if (more := (len(items) if total is None else total) - len(shown)) > 0:
        return f"{names} and {more} more"
    return names


def local_time(moment: datetime) -> str:
    """A time as staff read it: in the site's time zone, which is named."""
    local = timezone.localtime(moment)
    return f"{local:%b} {local.day}, {local:%H:%M} {local.tzname()}"
