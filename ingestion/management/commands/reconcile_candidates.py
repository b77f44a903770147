from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ingestion.inbound.messages import reconcile_messages
from ingestion.inbound.reconcile import candidates_reconcile
from ingestion.management.reporting import interviewer_pk


class Command(BaseCommand):
    help = (
        "Settle unconfirmed candidates and refresh interview statuses through "
        "InterviewFlowAI's Fetch API."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interviewer", help="Only this Interviewer (its id, interviewer id or name)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Ask and say what would change; change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = candidates_reconcile(
            interviewer_id=interviewer_pk(options["interviewer"]), dry_run=options["dry_run"]
        )
        for line in reconcile_messages(result):
            self.stdout.write(line)
        for problem in result.problems:
            self.stderr.write(problem)
        if result.problems:
            raise CommandError(
                "Some Interviewers could not be walked to the end: their candidates are unchanged."
            )
