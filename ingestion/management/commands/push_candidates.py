from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ingestion.messages import plural
from ingestion.models import Trigger
from ingestion.services import candidates_push, due_candidates, interviewer_lookup, push_preview


class Command(BaseCommand):
    help = "Send every queued candidate that is due to InterviewFlowAI."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interviewer", help="Only this Interviewer (id or interviewer id).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be sent; send nothing."
        )

    def handle(self, *args: Any, interviewer: str | None, dry_run: bool, **options: Any) -> None:
        interviewer_id = _interviewer_pk(interviewer) if interviewer else None
        if dry_run:
            bodies = push_preview(due_candidates(interviewer_id=interviewer_id))
            due = sum(len(body["data"]) for body in bodies)
            self.stdout.write(
                f"Dry run: {plural(due, 'candidate')} due, in {plural(len(bodies), 'request')}. "
                "Nothing was sent."
            )
            return
        result = candidates_push(
            trigger=Trigger.COMMAND,
            interviewer_id=interviewer_id,
            on_progress=lambda so_far: self.stdout.write(f"… {so_far.summary()}"),
        )
        self.stdout.write(result.summary())
        for error in dict.fromkeys(result.errors):
            self.stderr.write(error)
        if result.paused:
            raise CommandError(
                "Delivery is paused because InterviewFlowAI rejected the API key. Fix "
                "INTERVIEWFLOW_API_KEY, then resume delivery in the admin."
            )


def _interviewer_pk(value: str) -> int:
    interviewer = interviewer_lookup(value)
    if interviewer is None:
        raise CommandError(f"No Interviewer has the id “{value}”.")
    return interviewer.pk
