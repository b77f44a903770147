from datetime import datetime, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_datetime, parse_duration

from ingestion.delivery.queueing import Intent, candidates_queue
from ingestion.delivery.results import PushResult
from ingestion.delivery.selectors import candidates_for_resend
from ingestion.delivery.sending import candidates_push
from ingestion.management.reporting import finish, interviewer_pk, progress_printer, push_report
from ingestion.models import Trigger
from recruiting.wording import plural


class Command(BaseCommand):
    help = "Queue failed candidates again and send them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--include-unconfirmed",
            action="store_true",
            help="Also resend candidates whose delivery is unconfirmed (they may get a "
            "second invitation).",
        )
        parser.add_argument(
            "--since",
            help="Only candidates changed since this time: an ISO date-time or a duration "
            "such as 2d, 6h or 30m.",
        )
        parser.add_argument(
            "--interviewer", help="Only this Interviewer (its id, interviewer id or name)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Say what would be resent.")

    def handle(self, *args: Any, **options: Any) -> None:
        candidates = candidates_for_resend(
            include_unconfirmed=options["include_unconfirmed"],
            since=_since(options["since"]) if options["since"] else None,
            interviewer_id=interviewer_pk(options["interviewer"]),
        )
        if options["dry_run"]:
            count = candidates.count()
            self.stdout.write(f"Dry run: {plural(count, 'candidate')} would be resent.")
            return
        queued = candidates_queue(
            candidate_ids=candidates, intent=Intent.resend_of(), trigger=Trigger.RESEND
        )
        # Sent from here rather than handed to a worker, so the summary is the outcome.
        result = (
            candidates_push(
                trigger=Trigger.RESEND,
                push_batch_id=queued.batch.pk,
                on_progress=progress_printer(self, total=queued.due),
            )
            if queued.batch
            else PushResult()
        )
        if not queued.queued:
            self.stdout.write("Nothing was resent.")
        push_report(self, queued)
        finish(self, result)


def _since(value: str) -> datetime:
    units = {"d": "days", "h": "hours", "m": "minutes"}
    if value[-1:] in units and value[:-1].isdigit():
        return timezone.now() - timedelta(**{units[value[-1]]: int(value[:-1])})
    if (duration := parse_duration(value)) is not None:
        return timezone.now() - duration
    if (moment := parse_datetime(value)) is not None:
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
    raise CommandError(f"--since takes a date-time or a duration such as 2d, not “{value}”.")
