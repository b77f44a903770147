"""The export benchmark, smoke-run at a small size: both exports write every row (no times)."""

import re

from tests.benchmarks import run_bench

LINE = re.compile(r"\s+(candidates|history)\s+(baseline|project)\s+.* (?P<lines>[\d,]+) lines")


def test_the_export_benchmark_writes_every_row_both_ways():
    lines = run_bench("export_bench.py", "--sizes", "200", "--repeat", "1")

    assert lines[0] == "200 candidates and 200 requests on sqlite"
    written = {(m[1], m[2]): int(m["lines"].replace(",", "")) for m in map(LINE.match, lines) if m}
    # The project's files have a header line; the baseline writes the rows alone.
    assert written == {
        ("candidates", "baseline"): 200,
        ("candidates", "project"): 201,
        ("history", "baseline"): 200,
        ("history", "project"): 201,
    }
    ratios = [line.split()[0] for line in lines if line.split()[1:2] == ["ratio"]]
    assert ratios == ["candidates", "history"]
