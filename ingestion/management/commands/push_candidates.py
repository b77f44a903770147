from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import QuerySet

from ingestion import payloads
from ingestion.delivery.selectors import due_candidates, push_preview
from ingestion.delivery.sending import candidates_push
from ingestion.management.reporting import finish, interviewer_pk, progress_printer
from ingestion.models import Trigger
from recruiting.models import Candidate
from recruiting.wording import plural


class Command(BaseCommand):
    help = "Send every queued candidate that is due to InterviewFlowAI."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interviewer", help="Only this Interviewer (its id, interviewer id or name)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be sent; send nothing."
        )

    def handle(self, *args: Any, interviewer: str | None, dry_run: bool, **options: Any) -> None:
        interviewer_id = interviewer_pk(interviewer)
        if dry_run:
            self._dry_run(due_candidates(interviewer_id=interviewer_id))
            return
        due = due_candidates(interviewer_id=interviewer_id).count()
        result = candidates_push(
            trigger=Trigger.COMMAND,
            interviewer_id=interviewer_id,
            on_progress=progress_printer(self, total=due),
        )
        self.stdout.write(result.summary())
        finish(self, result)

    def _dry_run(self, due: QuerySet[Candidate]) -> None:
        bodies = push_preview(due)
        sendable = sum(len(payloads.body_items(body)) for body in bodies)
        self.stdout.write(
            f"Dry run: {plural(sendable, 'candidate')} due, in "
            f"{plural(len(bodies), 'request')}. Nothing was sent."
        )
        if invalid := due.count() - sendable:
            self.stdout.write(
                f"{plural(invalid, 'due candidate')} would not be sent: they fail validation "
                "(see their last error in the admin)."
            )
