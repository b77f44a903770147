"""Helpers for the delivery tests: queue and push, read a candidate again, check the records."""

from __future__ import annotations

import contextlib
import io
import sqlite3
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django.utils import timezone

from ingestion.delivery.queueing import candidates_queue
from ingestion.delivery.results import PushResult, QueueResult
from ingestion.delivery.sending import candidates_push
from ingestion.models import Claim, Trigger
from recruiting.models import Candidate
from tests.conftest import API_KEY
from tests.factories import CandidateFactory

State = Candidate.State
# Pushes hand over to the worker when the transaction commits: these tests commit for real.
pushing = pytest.mark.django_db(transaction=True)


def queue(*candidates: Candidate) -> list[int]:
    result = candidates_queue(candidate_ids=[c.pk for c in candidates])
    assert queued_ids(result) == sorted(c.pk for c in candidates), result.invalid
    return queued_ids(result)


def queued_ids(result: QueueResult) -> list[int]:
    """The ids of the candidates a push queued, in order."""
    return sorted(result.candidates().values_list("pk", flat=True))


def push(**kwargs) -> PushResult:
    kwargs.setdefault("trigger", Trigger.COMMAND)
    result = candidates_push(**kwargs)
    assert not Candidate.objects.filter(state=State.SENDING).exists(), "a claim was left behind"
    return result


def held(
    *candidates: Candidate, expired: bool = False, in_flight: tuple[Candidate, ...] = ()
) -> uuid.UUID:
    """Put these candidates under one run's claim, as a run that is sending them would."""
    token = uuid.uuid4()
    lease = timezone.now() + (timedelta(seconds=-1) if expired else timedelta(minutes=1))
    Claim.objects.create(token=token, lease_expires_at=lease, in_flight=[c.pk for c in in_flight])
    Candidate.objects.filter(pk__in=[c.pk for c in candidates]).update(
        state=State.SENDING, claim_token=token
    )
    return token


def claims_expire() -> None:
    """Every claim's lease has run out: its run stopped, as far as the sweep can tell."""
    Claim.objects.update(lease_expires_at=timezone.now() - timedelta(seconds=1))


def fresh(candidate: Candidate) -> Candidate:
    candidate.refresh_from_db()
    return candidate


def push_one(**fields: Any) -> tuple[PushResult, Candidate]:
    """Queue one candidate and push: what the run did, and where the candidate stands now."""
    candidate = CandidateFactory(**fields)
    queue(candidate)
    result = push()
    return result, fresh(candidate)


def assert_key_stored_nowhere() -> None:
    """Every column of every table, as dumpdata writes them, is free of the API key."""
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    assert dump.getvalue().count('"model"') > 0
    assert API_KEY not in dump.getvalue()


@contextlib.contextmanager
def on_an_sqlite_file(directory: Path) -> Iterator[None]:
    """Move the test database, as it stands, to an SQLite file for the block.

    The in-memory test database reaches other threads through SQLite's shared cache, whose
    table locks fail at once ("database table is locked") where the app's file database
    waits for the lock (timeout, BEGIN IMMEDIATE). Threads that race need the file.
    """
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield  # PostgreSQL, or a file already: threads work as they are
        return
    connection.ensure_connection()
    memory, name = connection.connection, connection.settings_dict["NAME"]
    with contextlib.closing(sqlite3.connect(directory / "race.sqlite3")) as file:
        memory.backup(file)
    # The settings dict is shared with every thread's connection: all of them open the file.
    connection.settings_dict["NAME"] = str(directory / "race.sqlite3")
    connection.connection = None
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = name
        connection.connection = memory  # closing it would destroy the in-memory database


def eventually(check: Any, *, seconds: float = 20.0) -> None:
    """Wait until `check()` holds, as another thread (the sandbox's events) makes it true."""
    deadline = time.monotonic() + seconds
    while not _holds(check):
        assert time.monotonic() < deadline, "it never happened"
        time.sleep(0.1)


def _holds(check: Any) -> bool:
    try:
        return bool(check())
    except OperationalError:
        # The suite's in-memory SQLite locks a table while another thread writes it, instead
        # of waiting as the file database does: ask again.
        return False
