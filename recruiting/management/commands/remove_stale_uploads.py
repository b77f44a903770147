from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from recruiting.uploads import uploads_remove_stale
from recruiting.wording import plural


class Command(BaseCommand):
    help = "Delete uploaded spreadsheets whose import was previewed but never confirmed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=float,
            default=None,
            metavar="HOURS",
            help="Age in hours (default: IMPORT_UPLOAD_MAX_AGE_HOURS).",
        )

    def handle(self, *args: Any, older_than: float | None, **options: Any) -> None:
        hours = settings.IMPORT_UPLOAD_MAX_AGE_HOURS if older_than is None else older_than
        removed = uploads_remove_stale(older_than=timedelta(hours=hours))
        self.stdout.write(f"Removed {plural(removed, 'upload')} older than {hours:g} hours.")
