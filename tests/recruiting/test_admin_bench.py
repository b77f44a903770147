"""The admin benchmark, smoke-run at two small sizes: the same queries per page (no times)."""

import re

from tests.benchmarks import run_bench

PAGE = re.compile(r"(?P<page>.+?)\s+(?P<ms>[\d.]+) ms\s+(?P<queries>\d+)$")


def queries_per_page(candidates: int, history: int) -> list[tuple[str, int]]:
    sizes = ["--candidates", str(candidates), "--history", str(history)]
    lines = run_bench("admin_bench.py", *sizes, "--repeat", "1")
    assert lines[0].startswith(f"{candidates:,} candidates, {history:,} history rows")
    found = [PAGE.match(line) for line in lines[2:]]
    assert all(found), lines
    # Page names carry the sizes (a push of 300 candidates): compare them without digits.
    return [(re.sub(r"[\d,]+", "N", m["page"]), int(m["queries"])) for m in found]


def test_every_page_asks_the_same_queries_at_twice_the_rows():
    small = queries_per_page(300, 1_000)
    large = queries_per_page(600, 2_000)

    assert len(small) == 25
    assert large == small
