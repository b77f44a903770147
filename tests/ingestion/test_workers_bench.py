"""The scale-out benchmark, smoke-run at a small size: it must run, not be fast (no timing here)."""

from tests.benchmarks import run_bench


def test_the_workers_benchmark_runs_at_a_small_size():
    lines = run_bench("workers_bench.py", "--size", "200", "--workers", "1,2", "--delay", "0")

    assert lines[0].startswith("SQLite") and lines[0].endswith(
        "200 candidates, upstream delay 0 s:"
    )
    assert lines[1].startswith("| workers | time | candidates/s |")
    rows = [line.split(" | ") for line in lines[3:]]
    assert [row[0] for row in rows] == ["| 1", "| 2"]
    # Every worker's requests together are the push's two, each sent once (checked inside).
    assert [sum(int(n) for n in row[-1].strip(" |").split(", ")) for row in rows] == [2, 2]
