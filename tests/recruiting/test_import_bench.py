"""The import benchmark, smoke-run at a small size: it must run, not be fast (no timing here)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_import_benchmark_runs_at_a_small_size():
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    command = ["bench/import_bench.py", "--rows", "50", "--memory-rows", "200", "--repeat", "1"]
    answer = subprocess.run(
        [sys.executable, *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert answer.returncode == 0, answer.stderr
    lines = answer.stdout.splitlines()
    assert lines[0].startswith("50 rows")
    assert any(line.startswith("ratio:") for line in lines)
    assert lines[-1].startswith("peak memory, 200 rows through the admin:")
