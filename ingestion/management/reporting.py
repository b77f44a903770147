"""What the commands print: progress on long runs, a summary, errors in words."""

from __future__ import annotations

from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError

from ingestion.delivery.report import push_messages
from ingestion.delivery.results import PushResult, QueueResult
from recruiting.lookups import InterviewerNotFound, interviewer_from_option
from recruiting.models import Interviewer

PAUSED = (
    "Delivery is paused because InterviewFlowAI rejected the API key. Fix "
    "INTERVIEWFLOW_API_KEY, then resume delivery in the admin."
)


def progress_printer(command: BaseCommand, *, total: int) -> Callable[[PushResult], None]:
    """A progress line after each claimed chunk, when there is more than one to show."""

    def report(so_far: PushResult) -> None:
        if so_far.handled < total:
            command.stdout.write(f"… {so_far.handled:,} of {total:,} handled: {so_far.summary()}")

    return report


def push_report(command: BaseCommand, queued: QueueResult) -> None:
    """Where the candidates queued stand now, and why the others were not: as in the admin."""
    for line in push_messages(queued):
        (command.stderr if line.level == "error" else command.stdout).write(line.text)


def write_errors(command: BaseCommand, result: PushResult) -> None:
    """Each distinct error met, once."""
    for error in dict.fromkeys(result.errors):
        command.stderr.write(error)


def finish(command: BaseCommand, result: PushResult) -> None:
    """Print the errors met; fail the command when delivery is paused."""
    write_errors(command, result)
    if result.paused:
        raise CommandError(PAUSED)


def interviewer_option(value: str | None) -> Interviewer | None:
    """The Interviewer an --interviewer option names, None without the option."""
    if not value:
        return None
    try:
        return interviewer_from_option(value)
    except InterviewerNotFound as error:
        raise CommandError(str(error)) from error


def interviewer_pk(value: str | None) -> int | None:
    interviewer = interviewer_option(value)
    return interviewer.pk if interviewer else None
