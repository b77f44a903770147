"""Spreadsheet import benchmark: the admin's Import page against a plain csv + bulk_create.

    python bench/import_bench.py                      # 20,000 rows timed, 100,000 for memory
    python bench/import_bench.py --rows 200 --memory-rows 1000   # a smoke run, as in the tests
    python bench/import_bench.py --headers ats        # an ATS's headers and a saved mapping

One run generates a CSV, times the baseline (csv.DictReader, Candidate objects,
bulk_create) and the real admin path (upload + confirm through Django's test client, which
runs the whole preview and the whole import), and prints both times and their ratio. Peak
memory is measured in a fresh process importing --memory-rows rows through the same admin
path, as the peak resident set size of that whole process (Python, Django and all).

The database is a new SQLite file in a temporary folder unless DATABASE_URL is set.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INTERVIEWER_ID = "8d4f2b6a-1c3e-4a5b-9d7f-0e2a4c6b8d10"
HEADERS = {
    # The import's own columns, as the export writes them.
    "ours": [
        "name",
        "email",
        "interviewer",
        "skills",
        "send_email_after",
        "additional:Manual Score",
        "metadata:External ID",
    ],
    # An ATS's: read by the aliases, but for Portfolio, which a saved mapping (matched by
    # these headers) keeps as metadata; the mapping's Interviewer stands for the column.
    "ats": [
        "Full Name",
        "E-mail",
        "Portfolio",
        "Skills",
        "Send Email After",
        "Rating",
        "Candidate ID",
    ],
}
KEYS = {
    "ours": ("Manual Score", "External ID", None),
    "ats": ("Score", "External ID", "Portfolio"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000, help="Rows in the timed file.")
    parser.add_argument(
        "--memory-rows", type=int, default=100_000, help="Rows for the peak memory run (0: skip)."
    )
    parser.add_argument("--repeat", type=int, default=3, help="Timed runs of each; the median.")
    parser.add_argument(
        "--headers", choices=sorted(HEADERS), default="ours", help="The header row of the file."
    )
    parser.add_argument("--memory-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="import-bench-") as folder:
        setup_django(Path(folder))
        if args.memory_only:
            memory_run(Path(folder), args.rows, args.headers)
            return
        timed_runs(Path(folder), rows=args.rows, repeat=args.repeat, headers=args.headers)
    if args.memory_rows:
        peak = peak_memory_mb(args.memory_rows, args.headers)
        print(f"peak memory, {args.memory_rows:,} rows through the admin: {peak:.0f} MB")


def setup_django(folder: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "recruiting.settings"
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder / 'bench.sqlite3'}")
    os.environ.update(
        DEBUG="false",
        SECRET_KEY="import-bench",
        ALLOWED_HOSTS="testserver",
        MEDIA_ROOT=str(folder / "media"),
        STATIC_ROOT=str(folder / "static"),
        # The test client speaks plain HTTP, as a local trial does.
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        INTERVIEWFLOW_API_URL="http://127.0.0.1:9",
        INTERVIEWFLOW_API_KEY="unused",
        CELERY_BROKER_URL="",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # Pages name their static files through the production manifest.
    call_command("collectstatic", interactive=False, verbosity=0)


def write_csv(path: Path, rows: int, headers: str) -> None:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(HEADERS[headers])
        for n in range(rows):
            writer.writerow(
                [
                    f"Candidate Número {n}",
                    f"Candidate.{n}@Example.com",
                    INTERVIEWER_ID if headers == "ours" else f"https://example.com/{n}",
                    "python|django|aws" if n % 2 else "go",
                    str(1 + n % 96),
                    str(n % 100),
                    f"{n:08d}",
                ]
            )


def baseline(path: Path, interviewer, headers: str) -> float:
    """The floor: read the CSV and bulk_create the rows, checking and matching nothing."""
    from django.db import transaction

    from recruiting.models import Candidate

    name, email, third, skills, hours, score, external = HEADERS[headers]
    score_key, id_key, third_key = KEYS[headers]
    started = time.perf_counter()
    with path.open(newline="", encoding="utf-8") as file, transaction.atomic():
        candidates = [
            Candidate(
                interviewer=interviewer,
                name=row[name],
                email=row[email].lower(),
                skills=row[skills].split("|"),
                send_email_after=int(row[hours]),
                additional_fields={score_key: int(row[score])},
                metadata={id_key: row[external], **({third_key: row[third]} if third_key else {})},
            )
            for row in csv.DictReader(file)
        ]
        Candidate.objects.bulk_create(candidates, batch_size=1000)
    return time.perf_counter() - started


def admin_import(path: Path, client) -> float:
    """The Import page as a recruiter uses it: upload, read the preview, confirm."""
    from django.urls import reverse

    started = time.perf_counter()
    with path.open("rb") as file:
        preview = client.post(
            reverse("admin:recruiting_candidate_import"), {"import_file": file, "resource": "0"}
        )
    assert preview.status_code == 200, preview.content[:2000]
    assert b"Preview of" in preview.content, "the upload did not go straight to the preview"
    form = HiddenInputs()
    form.feed(preview.content.decode())
    assert "import_file_name" in form.values, "the preview offers no confirmation"
    done = client.post(reverse("admin:recruiting_candidate_process_import"), form.values)
    elapsed = time.perf_counter() - started
    assert done.status_code == 302, done.content[:2000]
    return elapsed


class HiddenInputs(HTMLParser):
    """The confirmation form's hidden fields, read from the preview page as a browser would."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        fields = dict(attrs)
        if tag == "input" and fields.get("type") == "hidden" and fields.get("name"):
            self.values[fields["name"]] = fields.get("value") or ""


def fixtures(headers: str):
    from django.contrib.auth import get_user_model
    from django.test import Client

    from recruiting.imports.saved import import_mapping_save
    from recruiting.models import Interviewer

    interviewer, _ = Interviewer.objects.get_or_create(
        external_id=uuid.UUID(INTERVIEWER_ID), defaults={"name": "Benchmark Engineer"}
    )
    interviewer.candidates.all().delete()
    if headers == "ats":
        import_mapping_save(
            name="Benchmark ATS export",
            header=HEADERS["ats"],
            columns={"Portfolio": "metadata:Portfolio"},
            statuses={},
            interviewer=interviewer,
        )
    user, _ = get_user_model().objects.get_or_create(
        username="import-bench", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    return interviewer, client


def timed_runs(folder: Path, *, rows: int, repeat: int, headers: str) -> None:
    from recruiting.models import Candidate

    path = folder / "candidates.csv"
    write_csv(path, rows, headers)
    interviewer, client = fixtures(headers)
    base_times, admin_times = [], []
    for _ in range(repeat):
        base_times.append(baseline(path, interviewer, headers))
        Candidate.objects.all().delete()
        admin_times.append(admin_import(path, client))
        assert Candidate.objects.count() == rows, "the admin import did not create every row"
        imported = Candidate.objects.first().metadata
        assert set(imported) == {"External ID", *KEYS[headers][2:]} - {None}, imported
        Candidate.objects.all().delete()
    base, admin = statistics.median(base_times), statistics.median(admin_times)
    size = path.stat().st_size / 1e6
    print(f"{rows:,} rows ({size:.1f} MB CSV, {headers} headers), median of {repeat}:")
    print(f"baseline, csv + bulk_create:           {base:.2f} s")
    print(f"admin import, upload + confirm:        {admin:.2f} s")
    print(f"ratio:                                 {admin / base:.2f}x")


def memory_run(folder: Path, rows: int, headers: str) -> None:
    from recruiting.models import Candidate

    path = folder / "candidates.csv"
    write_csv(path, rows, headers)
    _, client = fixtures(headers)
    admin_import(path, client)
    assert Candidate.objects.count() == rows
    # ru_maxrss is in kilobytes on Linux.
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def peak_memory_mb(rows: int, headers: str) -> float:
    env = dict(os.environ)
    if env["DATABASE_URL"].startswith("sqlite"):
        del env["DATABASE_URL"]  # the child makes its own, in its own temporary folder
    answer = subprocess.run(
        [sys.executable, __file__, "--memory-only", "--rows", str(rows), "--headers", headers],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return float(answer.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
