"""Run one hostile file through the admin's Import page or `import_candidates`, measured."""

from __future__ import annotations

import io
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.management import CommandError, call_command
from django.test import Client

from recruiting.models import Candidate
from tests.admin_pages import messages_of
from tests.hostile.corpus import Case
from tests.import_pages import confirm, map_columns, page_text, upload

SECONDS_MAX = 30
PEAK_MB_MAX = 500
MB = 1024 * 1024
CONFIRM_FORM = 'class="import-confirm"'
COLUMNS_FORM = 'class="import-columns"'


@dataclass
class Cost:
    seconds: float = 0.0
    peak_mb: float = 0.0


@contextmanager
def measured(*, trace: bool = True) -> Iterator[Cost]:
    """The time taken and, when traced, the peak of memory Python allocated meanwhile.

    tracemalloc slows each allocation down: the heaviest cases are timed here untraced,
    and their memory measured in a process of their own (tests.hostile.measure).
    """
    cost = Cost()
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    try:
        yield cost
    finally:
        cost.seconds = time.perf_counter() - started
        if trace:
            cost.peak_mb = tracemalloc.get_traced_memory()[1] / MB
            tracemalloc.stop()


def built(case: Case, directory: Path) -> Path:
    """The case's file, under the name the recruiter gives it."""
    path = directory / case.name
    if not path.exists():
        case.build(path)
    return path


def lower_limits(settings: Any, case: Case) -> None:
    for setting, value in case.limits.items():
        setattr(settings, setting, value)


def through_the_admin(client: Client, path: Path, case: Case, interviewer: Any) -> str:
    """Upload, go on past a mapping step, confirm when a confirm form is offered; every page
    and message, as text."""
    preview = upload(client, path, name=case.name, interviewer=interviewer.pk)
    assert preview.status_code == 200
    html = preview.content.decode()
    said = [page_text(html)]
    if COLUMNS_FORM in html:  # the targets the step proposes, as a recruiter accepts them
        preview = map_columns(client, preview)
        assert preview.status_code == 200
        html = preview.content.decode()
        said.append(page_text(html))
    if CONFIRM_FORM in html:
        answer = confirm(client, preview)
        assert answer.status_code in (200, 302)
        said += [page_text(answer.content.decode()), *messages_of(answer)]
    return "\n".join(said)


def through_the_command(path: Path, interviewer: Any) -> tuple[str, bool]:
    """What the command said, and whether it failed (with CommandError, nothing else)."""
    out, err = io.StringIO(), io.StringIO()
    args = [str(path), "--interviewer", str(interviewer.pk)]
    try:
        call_command("import_candidates", *args, stdout=out, stderr=err)
    except CommandError as error:
        return f"{error}\n{err.getvalue()}\n{out.getvalue()}", True
    return f"{out.getvalue()}\n{err.getvalue()}", False


def check_outcome(case: Case, said: str, before: int, cost: Cost) -> None:
    """Told what is wrong, nothing written unless valid, within time and memory."""
    assert case.message in said, said[-3000:]
    assert "Traceback" not in said
    if case.valid:
        assert Candidate.objects.filter(name__startswith=case.imported_name).count() > before
    else:
        assert Candidate.objects.count() == before
    assert cost.seconds < SECONDS_MAX
    assert cost.peak_mb < PEAK_MB_MAX
