"""The push benchmark, smoke-run at a small size: it must run, not be fast (no timing here)."""

from tests.benchmarks import run_bench


def test_the_push_benchmark_runs_at_a_small_size():
    lines = run_bench("push_bench.py", "--sizes", "200", "--delays", "0", "--repeat", "1")
    assert lines[0].startswith("SQLite")
    assert lines[1] == "200 candidates, upstream delay 0 s (2 requests):"
    labels = [line.split(":")[0] for line in lines[2:9]]
    assert labels == [
        "baseline, requests.Session loop",
        "project, candidates_push",
        "queue, candidates_queue",
        "ratio push/baseline",
        "queries per request",
        "connections, baseline and push",
        "peak RSS",
    ]
    assert lines[6].endswith("queries in 2 requests)")
    assert lines[-1].startswith("| 200 | 0 s |")
