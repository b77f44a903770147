"""The import benchmark, smoke-run at a small size: it must run, not be fast (no timing here)."""

import pytest

from tests.benchmarks import run_bench


@pytest.mark.parametrize("headers", ["ours", "ats"])
def test_the_import_benchmark_runs_at_a_small_size(headers):
    lines = run_bench(
        "import_bench.py",
        "--rows",
        "50",
        "--memory-rows",
        "200",
        "--repeat",
        "1",
        "--headers",
        headers,
    )
    assert lines[0].startswith(f"50 rows (0.0 MB CSV, {headers} headers)")
    assert any(line.startswith("ratio:") for line in lines)
    assert lines[-1].startswith("peak memory, 200 rows through the admin:")
