"""Scale-out benchmark: the same push sent by 1, 2 and 4 worker processes at once.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/workers_bench python bench/workers_bench.py
    python bench/workers_bench.py --size 200 --workers 1,2 --delay 0   # the suite's smoke run

For each number of workers, the candidates are seeded (not timed) and queued as the admin
queues a whole list, then that many processes start at once, each running
candidates_push(trigger="command") as a worker's task does: they share the push through
their claims (SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL). The time runs from their
start to the last one's end; afterwards every candidate must be sent and the stand-in API
(bench/upstream.py, its own process, answering after --delay) must have received each
email exactly once. The floor printed beside it is the wire alone: requests x delay /
workers, as if every request of every worker followed the one before without a gap.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

from push_bench import INTERVIEWER_ID, check_delivered, database_name, seed, setup_django
from upstream import UpstreamProcess


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10000, help="Candidates per push.")
    parser.add_argument("--workers", default="1,2,4", help="Worker processes, comma-separated.")
    parser.add_argument("--delay", type=float, default=0.05, help="Upstream delay in seconds.")
    args = parser.parse_args()
    counts = [int(count) for count in args.workers.split(",")]
    os.environ.setdefault("LOG_LEVEL", "WARNING")  # a line per request would drown the table
    server = UpstreamProcess(args.delay)
    with tempfile.TemporaryDirectory(prefix="workers-bench-") as folder:
        teardown = setup_django(Path(folder), server.url)
        try:
            rows = [
                measure(server, workers, size=args.size, delay=args.delay) for workers in counts
            ]
        finally:
            teardown()
            server.stop()
    print(f"{database_name()}, {args.size:,} candidates, upstream delay {args.delay:g} s:")
    table(rows)


def measure(server: UpstreamProcess, workers: int, *, size: int, delay: float) -> dict:
    from django import db

    from ingestion.delivery.queueing import candidates_queue
    from recruiting.models import Candidate, Interviewer

    interviewer, _ = Interviewer.objects.get_or_create(
        external_id=uuid.UUID(INTERVIEWER_ID), defaults={"name": "Benchmark Engineer"}
    )
    seed(interviewer, size)
    candidates_queue(candidate_ids=Candidate.objects.filter(interviewer=interviewer))
    server.reset()
    db.connections.close_all()  # each process opens its own connection
    context = multiprocessing.get_context("fork")
    answers = context.Queue()
    processes = [context.Process(target=work, args=(answers,)) for _ in range(workers)]
    started = time.perf_counter()
    for process in processes:
        process.start()
    results = [answers.get(timeout=600) for _ in processes]
    seconds = time.perf_counter() - started
    for process in processes:
        process.join()
    stats = server.stats()
    check_delivered(stats, size, merged(results))
    return {
        "workers": workers,
        "seconds": seconds,
        "requests": stats["requests"],
        "floor": stats["requests"] * delay / workers,
        "per_worker": sorted(result.requests for result in results),
    }


def work(answers) -> None:
    """One worker: send what is due until nothing is left, then say what it did."""
    from django import db

    from ingestion.delivery.sending import candidates_push
    from ingestion.models import Trigger

    try:
        answers.put(candidates_push(trigger=Trigger.COMMAND))
    finally:
        db.connections.close_all()


def merged(results: list):
    from ingestion.delivery.results import PushResult

    total = PushResult()
    for result in results:
        total.merge(result)
    return total


def table(rows: list[dict]) -> None:
    first = rows[0]["seconds"]  # the speed-up is over the first row: one worker by default
    print("| workers | time | candidates/s | speed-up | wire alone | requests per worker |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        throughput = row["requests"] * 100 / row["seconds"]
        print(
            f"| {row['workers']} | {row['seconds']:.2f} s | {throughput:,.0f} "
            f"| {first / row['seconds']:.2f}x | {row['floor']:.2f} s "
            f"| {', '.join(str(n) for n in row['per_worker'])} |"
        )


if __name__ == "__main__":
    sys.exit(main())
