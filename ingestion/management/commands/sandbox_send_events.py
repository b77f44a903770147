from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ingestion.models import SandboxCandidate
from ingestion.sandbox.events import STEPS, sandbox_events_send
from ingestion.sandbox.page import sandbox_path
from recruiting.wording import plural


class Command(BaseCommand):
    help = (
        "Play InterviewFlowAI's webhooks from the sandbox: send interview events for the "
        "candidates the sandbox accepted to this app's receiver."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", action="append", help="Only this candidate (repeatable).")
        parser.add_argument(
            "--through", choices=STEPS, default=STEPS[-1], help="The last step to send."
        )
        parser.add_argument(
            "--app-url",
            help="Where this app answers (default: the sandbox's own, from INTERVIEWFLOW_API_URL).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.INTERVIEWFLOW_WEBHOOK_TOKEN:
            raise CommandError("Set INTERVIEWFLOW_WEBHOOK_TOKEN: without it the receiver is off.")
        candidates = SandboxCandidate.objects.all()
        if options["email"]:
            candidates = candidates.filter(email__in=[e.strip().lower() for e in options["email"]])
        if not candidates.exists():
            raise CommandError("The sandbox has accepted no such candidate: push some first.")
        app_url = options["app_url"] or _app_url()
        sent = sandbox_events_send(
            candidates=list(candidates), app_url=app_url, through=options["through"]
        )
        refused = [status for _, _, status in sent if status != 200]
        self.stdout.write(f"{plural(len(sent), 'event')} sent to {app_url}.")
        if refused:
            raise CommandError(f"The receiver refused {plural(len(refused), 'event')}: {refused}.")


def _app_url() -> str:
    return settings.INTERVIEWFLOW_API_URL.rstrip("/").removesuffix(sandbox_path())
