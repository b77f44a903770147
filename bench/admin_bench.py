"""Admin pages at scale: the median time and the query count of each list, the dashboard and
the progress of a push, with and without the filters and searches staff use.

    python bench/admin_bench.py                     # 100,000 candidates, 1,000,000 history rows
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/admin_bench python bench/admin_bench.py
    python bench/admin_bench.py --candidates 500 --history 2000 --repeat 1   # a smoke run

The database (a new SQLite file in a temporary folder unless DATABASE_URL is set; an
existing PostgreSQL database is emptied) is filled by `scale_seed` in a few SQL statements,
then each page is fetched as a superuser through Django's test client: once to warm it,
once counting its queries, then --repeat times for the median. `--reuse` keeps data already
seeded at the same size.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


from import_bench import setup_django
from scale_seed import Seeded, seed_scale

TARGET_MS = 150


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--history", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7, help="Timed fetches of each page.")
    parser.add_argument("--reuse", action="store_true", help="Keep data of the same size.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="admin-bench-") as folder:
        setup_django(Path(folder))
        seeded = seeded_data(args)
        client = staff_client()
        print(f"{'page':<44} {'median':>9} {'queries':>8}")
        for name, url in pages(seeded):
            median, queries = measure(client, url, repeat=args.repeat)
            print(f"{name:<44} {median:>6.1f} ms {queries:>8}")


def seeded_data(args: argparse.Namespace) -> Seeded:
    from django.db import connection

    from ingestion.models import IngestionRequest
    from recruiting.models import Candidate

    sizes = (Candidate.objects.count(), IngestionRequest.objects.count())
    started = time.perf_counter()
    if args.reuse and sizes == (args.candidates, args.history):
        seeded = already_seeded(args)
        what = "kept from an earlier run"
    else:
        seeded = seed_scale(candidates=args.candidates, history=args.history)
        what = f"seeded in {time.perf_counter() - started:.1f} s"
    print(
        f"{args.candidates:,} candidates, {args.history:,} history rows, "
        f"{seeded.push_count:,} pushes on {connection.vendor} ({what})"
    )
    return seeded


def already_seeded(args: argparse.Namespace) -> Seeded:
    from ingestion.models import PushBatch
    from recruiting.models import Interviewer

    big = PushBatch.objects.order_by("-candidate_count", "id").first()
    first = Interviewer.objects.order_by("id").first()
    return Seeded(args.candidates, args.history, big.pk, PushBatch.objects.count(), first.pk)


def staff_client():
    from django.contrib.auth import get_user_model
    from django.test import Client

    user_model = get_user_model()
    user = user_model.objects.filter(username="bench").first()
    if user is None:
        user = user_model.objects.create_superuser("bench", "bench@example.com", "unused")
    client = Client()
    client.force_login(user)
    return client


def pages(seeded: Seeded) -> list[tuple[str, str]]:
    from django.urls import reverse
    from django.utils import timezone

    candidates = reverse("admin:recruiting_candidate_changelist")
    history = reverse("admin:ingestion_ingestionrequest_changelist")
    today = timezone.localdate()
    interviewer = seeded.first_interviewer + 3
    deep = f"p={min(100, seeded.candidates // 50)}"
    found = [
        ("candidate list", candidates),
        (f"candidate list, {deep}", f"{candidates}?{deep}"),
        ("candidate list, state failed", f"{candidates}?state__exact=failed"),
        ("candidate list, one Interviewer", f"{candidates}?interviewer__id__exact={interviewer}"),
        ("candidate list, search a name", f"{candidates}?q=Candidate+4242"),
        ("candidate list, by email, descending", f"{candidates}?o=-2"),
        ("candidate list, by delivery", f"{candidates}?o=6"),
        ("candidate list, by delivery, descending", f"{candidates}?o=-6"),
        (f"candidate list, by delivery, {deep}", f"{candidates}?o=6&{deep}"),
        ("candidate list, by Interviewer", f"{candidates}?o=3"),
        ("candidate list, with counts", f"{candidates}?_facets=True"),
        ("history list", history),
        (f"history list, {deep}", f"{history}?{deep}"),
        ("history list, outcome rejected", f"{history}?outcome__exact=rejected"),
        ("history list, one Interviewer", f"{history}?interviewer__id__exact={interviewer}"),
        (
            "history list, this month",
            f"{history}?started_at__year={today.year}&started_at__month={today.month}",
        ),
        ("history list, search an email", f"{history}?q=candidate.4242%40example.com"),
        (
            "history list, one push",
            f"{history}?candidates__push_batches__id__exact={seeded.big_push + 1}",
        ),
        ("history list, with counts", f"{history}?_facets=True"),
        ("interviewer list", reverse("admin:recruiting_interviewer_changelist")),
    ]
    found.append(("push list", reverse("admin:ingestion_pushbatch_changelist")))
    found.append(
        (
            "push list, with counts",
            reverse("admin:ingestion_pushbatch_changelist") + "?_facets=True",
        )
    )
    progress = reverse("admin:ingestion_push_progress_json", args=[seeded.big_push])
    found += [
        ("dashboard", reverse("admin:index")),
        (f"progress JSON, a push of {seeded.candidates:,}", progress),
        (
            "progress JSON, a push of 100",
            reverse("admin:ingestion_push_progress_json", args=[seeded.big_push + 1]),
        ),
    ]
    return found


def measure(client, url: str, *, repeat: int) -> tuple[float, int]:
    """The median time of `repeat` fetches in milliseconds, and the queries of one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fetch(client, url)
    with CaptureQueriesContext(connection) as queries:
        fetch(client, url)
    # Read now: the next request empties the connection's log.
    count = len(queries)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fetch(client, url)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), count


def fetch(client, url: str) -> None:
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    if response.streaming:
        b"".join(response.streaming_content)


if __name__ == "__main__":
    main()
