from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ingestion.delivery.housekeeping import history_prune
from recruiting.wording import plural


class Command(BaseCommand):
    help = (
        "Delete history requests older than DAYS, in chunks, keeping each candidate's latest "
        "request however old it is."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--older-than", type=int, required=True, metavar="DAYS")

    def handle(self, *args: Any, older_than: int, **options: Any) -> None:
        deleted = history_prune(older_than=timedelta(days=older_than))
        self.stdout.write(
            f"Deleted {plural(deleted, 'request')} older than {plural(older_than, 'day')}; "
            "each candidate's latest request was kept."
        )
