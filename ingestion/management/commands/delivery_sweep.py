import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ingestion.delivery.housekeeping import delivery_sweep
from ingestion.management.reporting import finish, write_errors
from recruiting.wording import plural


class Command(BaseCommand):
    help = (
        "Run the periodic sweep once, or every N seconds: mark sends abandoned by a stopped "
        "worker as unconfirmed, then send every queued candidate that is due. Celery beat "
        "does this with a broker; without one, `make run` runs this command beside the server."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=float, metavar="SECONDS", help="Repeat until stopped.")

    def handle(self, *args: Any, every: float | None, **options: Any) -> None:
        while True:
            result = delivery_sweep()
            if result.recovered or result.requeued:
                self.stdout.write(
                    f"{plural(result.recovered, 'abandoned send')} marked unconfirmed (in a "
                    f"request in flight), {result.requeued} queued again (never sent)."
                )
            if not every:
                self.stdout.write(result.summary())
                finish(self, result)
                return
            if result.requests:
                self.stdout.write(result.summary())
                write_errors(self, result)
            time.sleep(every)
