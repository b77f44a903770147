"""Hostile files whose harm is PostgreSQL's to feel: NUL bytes, over-long values, and two
imports of the same candidates at once, in opposite orders."""

from __future__ import annotations

import io
import threading
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from recruiting.imports.service import CONFLICT
from recruiting.models import Candidate
from tests.factories import InterviewerFactory
from tests.hostile.corpus import CASES
from tests.hostile.runs import (
    built,
    check_outcome,
    measured,
    through_the_admin,
    through_the_command,
)
from tests.import_pages import user_with

DATABASE_CASES = [
    case
    for case in CASES
    if case.id
    in (
        "csv-nul-in-name",
        "csv-nul-in-email",
        "csv-nul-in-interviewer",
        "csv-10000-character-name",
        "csv-312-character-email",
    )
]
SHARED = 1_000  # candidates both files hold: more than one chunk of 900
JOIN_SECONDS = 120
pytestmark = pytest.mark.usefixtures("media")


@pytest.fixture
def interviewer():
    return InterviewerFactory(name="Backend Engineer")


def test_the_suite_runs_these_on_postgresql():
    assert connection.vendor == "postgresql"


@pytest.mark.django_db
@pytest.mark.parametrize("case", DATABASE_CASES, ids=[case.id for case in DATABASE_CASES])
def test_the_import_page_refuses_what_postgresql_cannot_store(case, client, interviewer, tmp_path):
    client.force_login(user_with("view_candidate", "import_candidate"))

    with measured() as cost:
        said = through_the_admin(client, built(case, tmp_path), case, interviewer)

    check_outcome(case, said, 0, cost)


@pytest.mark.django_db
@pytest.mark.parametrize("case", DATABASE_CASES, ids=[case.id for case in DATABASE_CASES])
def test_the_command_refuses_what_postgresql_cannot_store(case, interviewer, tmp_path):
    with measured() as cost:
        said, failed = through_the_command(built(case, tmp_path), interviewer)

    assert failed
    check_outcome(case, said, 0, cost)


def _file(path: Path, emails: list[str]) -> Path:
    lines = ["name,email", *(f"Candidate {email.split('@')[0]},{email}" for email in emails)]
    path.write_text("\n".join(lines) + "\n")
    return path


def _import_in_a_thread(path: Path, interviewer_pk: int, start: threading.Barrier, said: dict):
    """The command, as a second process would run it: its own connection, its own words."""
    out, err = io.StringIO(), io.StringIO()
    try:
        start.wait()
        call_command(
            "import_candidates",
            str(path),
            "--interviewer",
            str(interviewer_pk),
            stdout=out,
            stderr=err,
        )
        said[path.name] = ("done", out.getvalue())
    except CommandError as error:
        said[path.name] = ("refused", f"{error}\n{err.getvalue()}")
    except BaseException as error:  # anything else is the bug this test looks for
        said[path.name] = ("crashed", repr(error))
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_two_imports_of_the_same_candidates_in_opposite_orders_never_deadlock(
    interviewer, tmp_path
):
    shared = [f"shared{n}@example.com" for n in range(SHARED)]
    files = {
        "forwards.csv": [*shared, *(f"forwards{n}@example.com" for n in range(50))],
        "backwards.csv": [*reversed(shared), *(f"backwards{n}@example.com" for n in range(50))],
    }
    paths = [_file(tmp_path / name, emails) for name, emails in files.items()]
    start, said = threading.Barrier(len(paths)), {}
    threads = [
        threading.Thread(target=_import_in_a_thread, args=(path, interviewer.pk, start, said))
        for path in paths
    ]

    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_SECONDS)

    assert not any(thread.is_alive() for thread in threads), "the imports are stuck"
    assert {outcome for outcome, _ in said.values()} <= {"done", "refused"}, said
    assert "done" in {outcome for outcome, _ in said.values()}, said
    stored = set(Candidate.objects.values_list("email", flat=True))
    for name, emails in files.items():
        outcome, words = said[name]
        if outcome == "done":
            assert set(emails) <= stored
        else:  # the later one: told why, and none of its own candidates written
            assert CONFLICT in words
            assert not {email for email in emails if email.startswith(name[:4])} & stored
    assert Candidate.objects.count() == len(stored)
