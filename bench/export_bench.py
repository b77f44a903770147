"""Export benchmark: the admin's CSV export against a plain streaming csv.writer.

    python bench/export_bench.py                      # 10,000 and 100,000 candidates and requests
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/export_bench python bench/export_bench.py
    python bench/export_bench.py --sizes 300 --repeat 1   # a smoke run, as in the tests

For each size the database (a new SQLite file unless DATABASE_URL is set; an existing
PostgreSQL database is emptied) is filled by `scale_seed` with that many candidates and
history rows (one candidate each), then each export runs in a fresh process, so that its
peak resident set size is its own:

- **baseline**: the same rows read with `values_list(...).iterator()`, each cell through
  the same formula escaping (`recruiting.spreadsheets.neutralise`), written by one
  `csv.writer` a few hundred rows at a time, as a streamed answer would be;
- **project**: the admin's Export page posted through Django's test client, as a recruiter
  uses it, and its streamed answer read to the end.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_bench import setup_django
from scale_seed import seed_scale

WHAT = ("candidates", "history")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="Rows, comma separated.")
    parser.add_argument("--repeat", type=int, default=3, help="Timed runs of each; the median.")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="export-bench-") as folder:
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        setup_django(Path(folder))
        if args.measure:
            print(json.dumps(measure(args.measure, repeat=args.repeat)))
            return
        for size in (int(size) for size in args.sizes.split(",")):
            seed_scale(candidates=size, history=size)
            report(size, args.repeat)


def report(size: int, repeat: int) -> None:
    from django.db import connection

    print(f"{size:,} candidates and {size:,} requests on {connection.vendor}")
    for what in WHAT:
        base = in_a_fresh_process(f"baseline-{what}", repeat)
        project = in_a_fresh_process(f"project-{what}", repeat)
        for name, figures in (("baseline", base), ("project", project)):
            print(
                f"  {what:<10} {name:<9} {figures['seconds']:7.2f} s  "
                f"peak RSS {figures['rss_mb']:4.0f} MB  {figures['rows']:>8,} lines  "
                f"{figures['mb']:6.1f} MB written"
            )
        print(f"  {what:<10} ratio     {project['seconds'] / base['seconds']:7.2f}x")


def in_a_fresh_process(what: str, repeat: int) -> dict:
    answer = subprocess.run(
        [sys.executable, __file__, "--measure", what, "--repeat", str(repeat)],
        capture_output=True,
        text=True,
        check=False,
    )
    if answer.returncode != 0:
        raise SystemExit(answer.stderr)
    return json.loads(answer.stdout.splitlines()[-1])


def measure(what: str, *, repeat: int) -> dict:
    kind, model = what.split("-")
    run = project_export if kind == "project" else baseline_export
    times, size, lines = [], 0, 0
    for _ in range(repeat):
        started = time.perf_counter()
        size, lines = run(model)
        times.append(time.perf_counter() - started)
    return {
        "seconds": statistics.median(times),
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rows": lines,
        "mb": size / 1e6,
    }


def project_export(model: str) -> tuple[int, int]:
    """The Export page, CSV, read to the end: its size and its lines, header included."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    user = get_user_model().objects.filter(username="bench").first()
    user = user or get_user_model().objects.create_superuser("bench", "b@example.com", "x")
    client = Client()
    client.force_login(user)
    name = "recruiting_candidate" if model == "candidates" else "ingestion_ingestionrequest"
    answer = client.post(reverse(f"admin:{name}_export"), {"format": "0", "resource": "0"})
    if answer.status_code != 200 or not answer.streaming:
        raise SystemExit(f"the export answered {answer.status_code}")
    return counted(answer.streaming_content)


def baseline_export(model: str) -> tuple[int, int]:
    from recruiting.spreadsheets import csv_chunks

    rows = candidate_rows() if model == "candidates" else history_rows()
    return counted(csv_chunks(rows))


def candidate_rows():
    from recruiting.models import Candidate
    from recruiting.resources import CANDIDATE_VALUES

    values = Candidate.objects.values_list(*CANDIDATE_VALUES.values()).iterator(chunk_size=2000)
    return (plain_cells(row) for row in values)


def history_rows():
    from ingestion.models import IngestionRequest
    from ingestion.resources import REQUEST_VALUES

    values = IngestionRequest.objects.values_list(*REQUEST_VALUES, "request_body")
    for *request, body in values.iterator(chunk_size=2000):
        for item in body.get("data", []):
            yield plain_cells([*item.values(), *request])


def plain_cells(values) -> list:
    """Each value as a cell: JSON for objects and lists, escaped as the export escapes."""
    from recruiting.spreadsheets import neutralise

    return [
        neutralise(json.dumps(value) if isinstance(value, dict | list) else value)
        for value in values
    ]


def counted(chunks) -> tuple[int, int]:
    """Read a stream to its end, keeping only its size and its number of lines."""
    size = lines = 0
    for chunk in chunks:
        size += len(chunk)
        lines += chunk.count(b"\n")
    return size, lines


if __name__ == "__main__":
    main()
