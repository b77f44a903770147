"""The import benchmark, smoke-run at a small size: it must run, not be fast (no timing here)."""

from tests.benchmarks import run_bench


def test_the_import_benchmark_runs_at_a_small_size():
    lines = run_bench("import_bench.py", "--rows", "50", "--memory-rows", "200", "--repeat", "1")
    assert lines[0].startswith("50 rows")
    assert any(line.startswith("ratio:") for line in lines)
    assert lines[-1].startswith("peak memory, 200 rows through the admin:")
