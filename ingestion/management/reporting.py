"""What the commands print: progress on long runs, a summary, errors in words."""

from __future__ import annotations

from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError

from ingestion.services import PushResult, QueueResult, delivery_summary
from recruiting.lookups import InterviewerNotFound, interviewer_from_option
from recruiting.models import Interviewer
from recruiting.wording import plural

PAUSED = (
    "Delivery is paused because InterviewFlowAI rejected the API key. Fix "
    "INTERVIEWFLOW_API_KEY, then resume delivery in the admin."
)


def progress_printer(command: BaseCommand, *, total: int) -> Callable[[PushResult], None]:
    """A progress line after each claimed chunk, when there is more than one to show."""

    def report(so_far: PushResult) -> None:
        handled = so_far.sent + so_far.retrying + so_far.failed + so_far.unconfirmed
        if handled < total:
            command.stdout.write(f"… {handled:,} of {total:,} handled: {so_far.summary()}")

    return report


def queued_report(command: BaseCommand, queued: QueueResult, *, done: str, refused: str) -> None:
    """Where the candidates queued stand now, state by state, and why the others were not."""
    counts = delivery_summary(queued.queued).counts
    states = ", ".join(f"{count} {state}" for state, count in counts.items())
    command.stdout.write(f"{done} {plural(len(queued.queued), 'candidate')}: {states or 'none'}.")
    for candidate, problems in queued.invalid:
        command.stderr.write(f"{refused}: {candidate}: {' '.join(problems)}")


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
