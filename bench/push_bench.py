"""Push benchmark: candidates_push against a bare requests.Session loop, on a local server.

    python bench/push_bench.py                                   # 1,000 and 10,000; 0 and 0.02 s
    python bench/push_bench.py --sizes 200 --delays 0 --repeat 1   # a smoke run, as in the tests
    python bench/push_bench.py --sizes 10000 --delays 0 --repeat 1 --sql --profile push.prof

For each size and each upstream delay, a fresh process starts a local HTTP server standing
in for the Ingestion API (201 and an id per candidate, after the delay), then times:

- the baseline: one requests.Session posting the same 100-candidate bodies one after
  another, built (payloads.batch_body) and serialised before the clock starts;
- the project: candidates seeded with bulk_create (not timed), queued with candidates_queue
  as the admin's push of a whole list queues them (timed and reported apart), then sent
  with candidates_push(trigger="command") (timed), every SQL query of the push counted.
  Afterwards every candidate must be sent, and the server must have received each email
  exactly once and the same bytes as the baseline.

The server (bench/upstream.py) runs in a process of its own, as the real API runs on
another machine. It prints the median of --repeat runs of each, their ratio, the queries
per HTTP request and the peak resident set size of the measuring process (Python, Django,
seeding, queueing and pushing; measured before the baseline runs).

The database is a new SQLite file in a temporary folder unless DATABASE_URL is set; for
PostgreSQL, Django's test database machinery creates a database named after it with
test_ in front (test_push_bench for .../push_bench) and drops it at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from upstream import API_KEY, INGEST_PATH, UpstreamProcess  # noqa: E402

INTERVIEWER_ID = "5b7e1c2d-3a4f-4e6b-8c9d-0f1e2d3c4b5a"
SEED_CHUNK = 1000
RESULT = "push-bench-result: "
SQL_SHOWN = 12


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="1000,10000", help="Candidates per push, comma-separated."
    )
    parser.add_argument(
        "--delays",
        default="0,0.02",
        help="Upstream delays per request in seconds, comma-separated.",
    )
    parser.add_argument("--repeat", type=int, default=3, help="Timed runs of each; the median.")
    parser.add_argument(
        "--sql", action="store_true", help="Also list the push's SQL statements by time."
    )
    parser.add_argument(
        "--profile",
        metavar="FILE",
        help="Write a cProfile of the pushes to FILE (one size and one delay only; the times "
        "then include the profiler's overhead).",
    )
    parser.add_argument("--run", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    delays = [float(delay) for delay in args.delays.split(",")]
    if args.profile and len(sizes) * len(delays) > 1:
        parser.error("--profile takes one size and one delay.")

    if args.run:
        figures = measure_in_this_process(
            size=sizes[0], delay=delays[0], repeat=args.repeat, sql=args.sql, profile=args.profile
        )
        print(RESULT + json.dumps(figures))
        return
    rows = []
    for size in sizes:
        for delay in delays:
            figures = measure_in_a_fresh_process(size, delay, args)
            if not rows:
                print(f"{figures['database']}, median of {args.repeat}, one process per run:")
            report(figures)
            rows.append(figures)
    table(rows)


def measure_in_a_fresh_process(size: int, delay: float, args: argparse.Namespace) -> dict:
    command = [sys.executable, __file__, "--run", "--sizes", str(size), "--delays", str(delay)]
    command += ["--repeat", str(args.repeat)]
    if args.sql:
        command.append("--sql")
    if args.profile:
        command += ["--profile", args.profile]
    answer = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if answer.returncode:
        sys.stderr.write(answer.stdout[-5000:] + answer.stderr)
        raise SystemExit(f"The run at {size:,} candidates, delay {delay:g} s, failed.")
    lines = [line for line in answer.stdout.splitlines() if line.startswith(RESULT)]
    return json.loads(lines[-1].removeprefix(RESULT))


# One size and one delay, measured in this process.


def measure_in_this_process(
    *, size: int, delay: float, repeat: int, sql: bool, profile: str | None
) -> dict:
    server = UpstreamProcess(delay)
    with tempfile.TemporaryDirectory(prefix="push-bench-") as folder:
        teardown = setup_django(Path(folder), server.url)
        try:
            return timed_runs(
                server, size=size, delay=delay, repeat=repeat, sql=sql, profile=profile
            )
        finally:
            teardown()
            server.stop()


def setup_django(folder: Path, api_url: str):
    """Django on a database of its own; returns what drops that database."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "recruiting.settings"
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder / 'bench.sqlite3'}")
    os.environ.update(
        DEBUG="false",
        SECRET_KEY="push-bench",
        MEDIA_ROOT=str(folder / "media"),
        STATIC_ROOT=str(folder / "static"),
        INTERVIEWFLOW_API_URL=api_url,
        INTERVIEWFLOW_API_KEY=API_KEY,
        INTERVIEWFLOW_TIMEOUT="10",
        CELERY_BROKER_URL="",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "sqlite":
        call_command("migrate", verbosity=0)
        return connection.close
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return lambda: connection.creation.destroy_test_db(old_name, verbosity=0)


def database_name() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version}"
    major, minor = divmod(connection.pg_version, 10000)
    return f"PostgreSQL {major}.{minor}"


def candidate(interviewer, n: int):
    """The n-th candidate: every field a push sends, the same in the baseline and the project."""
    from recruiting.models import Candidate

    return Candidate(
        interviewer=interviewer,
        name=f"Candidate Número {n}",
        email=f"candidate.{n}@example.com",
        skills=["python", "django", "aws"],
        send_email_after=1 + n % 96,
        additional_fields={"Manual Score": n % 100},
        metadata={"External ID": f"{n:08d}"},
    )


def timed_runs(
    server: UpstreamProcess, *, size: int, delay: float, repeat: int, sql: bool, profile: str | None
) -> dict:
    from recruiting.models import Interviewer

    interviewer = Interviewer.objects.create(
        external_id=uuid.UUID(INTERVIEWER_ID), name="Benchmark Engineer"
    )
    # One untimed batch first, so that no timed run pays for first calls (imports, caches).
    project_run(server, interviewer, 1, sql=False, profiler=None)
    baseline_run(server, baseline_bodies(interviewer, 1))
    profiler = cProfile.Profile() if profile else None
    runs = [
        project_run(server, interviewer, size, sql=sql, profiler=profiler) for _ in range(repeat)
    ]
    # ru_maxrss is in kilobytes on Linux.
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if profiler:
        profiler.dump_stats(profile)
    bodies = baseline_bodies(interviewer, size)
    baselines = [baseline_run(server, bodies) for _ in range(repeat)]
    if baselines[-1]["bytes"] != runs[-1]["bytes"]:
        fail(
            f"the baseline sent {baselines[-1]['bytes']:,} bytes, the project {runs[-1]['bytes']:,}"
        )
    last = runs[-1]
    return {
        "database": database_name(),
        "size": size,
        "delay": delay,
        "repeat": repeat,
        "requests": last["requests"],
        "baseline": statistics.median(run["seconds"] for run in baselines),
        "push": statistics.median(run["push"] for run in runs),
        "queue": statistics.median(run["queue"] for run in runs),
        "queries": last["queries"],
        "connections": {"baseline": baselines[-1]["connections"], "push": last["connections"]},
        "peak_rss_mb": peak_rss,
        "statements": last["statements"],
    }


def baseline_bodies(interviewer, size: int) -> list[bytes]:
    """The request bodies, built as the project builds them, serialised as its client does."""
    from django.conf import settings

    from ingestion import payloads

    step = settings.INTERVIEWFLOW_BATCH_SIZE
    return [
        json.dumps(
            payloads.batch_body(
                [candidate(interviewer, n) for n in range(start, min(size, start + step))]
            )
        ).encode()
        for start in range(0, size, step)
    ]


def baseline_run(server: UpstreamProcess, bodies: list[bytes]) -> dict:
    """The floor: one session, one POST after another, each answer read and nothing kept."""
    import requests

    server.reset()
    url = server.url + INGEST_PATH
    with requests.Session() as session:
        session.headers.update({"Content-Type": "application/json", "X-API-KEY": API_KEY})
        started = time.perf_counter()
        for body in bodies:
            response = session.post(url, data=body, timeout=10)
            if response.status_code != 201:
                fail(f"the baseline got HTTP {response.status_code}")
        seconds = time.perf_counter() - started
    stats = server.stats()
    return {"seconds": seconds, "connections": stats["connections"], "bytes": stats["bytes"]}


def seed(interviewer, size: int) -> None:
    from ingestion.models import IngestionRequest
    from recruiting.models import Candidate

    IngestionRequest.objects.all().delete()
    Candidate.objects.all().delete()
    for start in range(0, size, SEED_CHUNK):
        Candidate.objects.bulk_create(
            [candidate(interviewer, n) for n in range(start, min(size, start + SEED_CHUNK))]
        )


def project_run(
    server: UpstreamProcess, interviewer, size: int, *, sql: bool, profiler: cProfile.Profile | None
) -> dict:

    from ingestion.delivery.queueing import candidates_queue
    from ingestion.delivery.sending import candidates_push
    from ingestion.models import Trigger
    from recruiting.models import Candidate

    seed(interviewer, size)
    server.reset()
    started = time.perf_counter()
    # As the admin's push of every candidate of the list: the selection as a query.
    queued = candidates_queue(candidate_ids=Candidate.objects.filter(interviewer=interviewer))
    queue = time.perf_counter() - started
    if queued.due != size:
        fail(f"{queued.due:,} of {size:,} candidates were queued and due")
    queries = Queries(detail=sql)
    with on_every_connection(queries):
        if profiler:
            profiler.enable()
        started = time.perf_counter()
        result = candidates_push(trigger=Trigger.COMMAND)
        push = time.perf_counter() - started
        if profiler:
            profiler.disable()
    stats = server.stats()
    check_delivered(stats, size, result)
    return {
        "queue": queue,
        "push": push,
        "queries": queries.count,
        "requests": stats["requests"],
        "connections": stats["connections"],
        "bytes": stats["bytes"],
        "statements": queries.top(stats["requests"]),
    }


def check_delivered(stats: dict, size: int, result) -> None:
    """Every candidate sent, with its id, and each email received exactly once."""
    from django.db.models import Count

    from recruiting.models import Candidate

    states = Counter(
        dict(Candidate.objects.order_by().values_list("state").annotate(n=Count("pk")))
    )
    if states != Counter({Candidate.State.SENT: size}):
        fail(f"after the push the {size:,} candidates stand {dict(states)}; {result.summary()}")
    if Candidate.objects.filter(upstream_id="").exists():
        fail("some candidates were sent but kept no InterviewFlowAI id")
    exact = (stats["emails"], stats["others"], stats["lowest"], stats["highest"]) == (
        size,
        0,
        0,
        size - 1,
    )
    if not exact or stats["repeated"]:
        fail(
            f"the server got {stats['emails']:,} distinct emails of {size:,}, "
            f"{stats['repeated']:,} more than once"
        )
    if result.sent != size or result.requests != stats["requests"]:
        fail(f"the push reports {result.summary()}, the server got {stats['requests']} requests")


def fail(message: str) -> None:
    raise SystemExit(f"push benchmark: {message.rstrip('.')}.")


@contextlib.contextmanager
def on_every_connection(wrapper: Any) -> Iterator[None]:
    """The wrapper on this thread's connection and on each one opened meanwhile: the one of
    the thread that claims the next chunk ahead (PostgreSQL) counts too."""
    from django.db import connection
    from django.db.backends.signals import connection_created

    def add(sender: Any, connection: Any, **kwargs: Any) -> None:
        connection.execute_wrappers.append(wrapper)

    connection_created.connect(add)
    try:
        with connection.execute_wrapper(wrapper):
            yield
    finally:
        connection_created.disconnect(add)


class Queries:
    """An execute wrapper: counts every query, and with `detail` times each kind of statement."""

    def __init__(self, *, detail: bool) -> None:
        self.detail = detail
        self.count = 0
        self.kinds: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
        self.lock = threading.Lock()

    def __call__(self, execute, sql, params, many, context):
        with self.lock:
            self.count += 1
        if not self.detail:
            return execute(sql, params, many, context)
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            with self.lock:
                kind = self.kinds[statement_kind(sql, params)]
                kind[0] += 1
                kind[1] += time.perf_counter() - started

    def top(self, requests: int) -> list[dict]:
        ranked = sorted(self.kinds.items(), key=lambda item: -item[1][1])[:SQL_SHOWN]
        return [
            {
                "sql": sql,
                "count": count,
                "per_request": count / max(requests, 1),
                "ms": seconds * 1e3,
            }
            for sql, (count, seconds) in ranked
        ]


PLACEHOLDERS = re.compile(r"(%s|\?)(, (%s|\?))+")
ROWS = re.compile(r"(\((%s|\?)(, (%s|\?))*\))(, \((%s|\?)(, (%s|\?))*\))+")
WHENS = re.compile(r"(WHEN .+? THEN .+? )(?=WHEN )")


def statement_kind(sql: str, params: Any) -> str:
    """A statement with its lists folded: IN (…1000), VALUES (…) x100, CASE WHEN … x100."""
    text = ROWS.sub(lambda m: f"(...) x{m.group(0).count('(')}", sql)
    text = PLACEHOLDERS.sub(lambda m: f"...{m.group(0).count(',') + 1}", text)
    whens = text.count(" WHEN ")
    text = WHENS.sub("", text)
    if whens > 1:
        text = text.replace(" WHEN ", f" WHEN[x{whens}] ", 1)
    return re.sub(r'"[a-z_]+"\."', '"', text)[:160]


# Printing.


def report(figures: dict) -> None:
    size, requests = figures["size"], figures["requests"]
    per_request = figures["queries"] / requests
    print(f"{size:,} candidates, upstream delay {figures['delay']:g} s ({requests:,} requests):")
    print(f"baseline, requests.Session loop:    {figures['baseline']:.3f} s")
    print(f"project, candidates_push:           {figures['push']:.3f} s")
    print(f"queue, candidates_queue:            {figures['queue']:.3f} s")
    print(f"ratio push/baseline:                {figures['push'] / figures['baseline']:.2f}x")
    print(
        f"queries per request:                {per_request:.1f} "
        f"({figures['queries']:,} queries in {requests:,} requests)"
    )
    connections = figures["connections"]
    print(f"connections, baseline and push:     {connections['baseline']}, {connections['push']}")
    print(f"peak RSS:                           {figures['peak_rss_mb']:.0f} MB")
    for statement in figures["statements"]:
        print(
            f"  {statement['count']:>7,} ({statement['per_request']:.1f}/request) "
            f"{statement['ms']:>9.1f} ms  {statement['sql']}"
        )


def table(rows: list[dict]) -> None:
    print()
    print("| candidates | delay | baseline | push | queue | ratio | queries/request | peak RSS |")
    print("|---|---|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['size']:,} | {row['delay']:g} s | {row['baseline']:.2f} s "
            f"| {row['push']:.2f} s | {row['queue']:.2f} s "
            f"| **{row['push'] / row['baseline']:.2f}x** "
            f"| {row['queries'] / row['requests']:.1f} | {row['peak_rss_mb']:.0f} MB |"
        )


if __name__ == "__main__":
    main()
