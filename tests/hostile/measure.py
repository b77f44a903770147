"""Read files as an upload is read, each in a fresh process, and say what each cost.

    python -m tests.hostile.measure < cases.json

reads a JSON list of {"id", "path", "name", "limits"} and prints a JSON object with, for
each id: the message the recruiter is told ("" when the rows could all be read), the
number of rows read, the seconds taken and the peak resident set size of the process in
MB. Django starts once; each file is then read in a process forked for it alone, so that
its peak is its own. The test that runs this caps the address space, so a file that would
exhaust memory fails here rather than on the machine.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any


def read(path: Path, name: str, limits: dict[str, int]) -> dict[str, Any]:
    """Read one file within the limits (lowered as asked): what was said, and the cost."""
    from django.conf import settings

    from recruiting.reading import SpreadsheetError, detect_format, read_rows, size_problem

    for setting, value in limits.items():
        setattr(settings, setting, value)
    started = time.perf_counter()
    said, rows = "", 0
    try:
        if problem := size_problem(path.stat().st_size):
            raise SpreadsheetError(problem)
        with path.open("rb") as file:
            for _row in read_rows(file, detect_format(file, name)):
                rows += 1
    except SpreadsheetError as error:
        said = str(error)
    return {
        "message": said,
        "rows": rows,
        "seconds": time.perf_counter() - started,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def in_own_process(case: dict[str, Any]) -> dict[str, Any]:
    """`read` in a forked process; its answer, or why it gave none."""
    answer, question = os.pipe()
    pid = os.fork()
    if pid == 0:  # the forked process: read, answer, and leave without cleaning up
        os.close(answer)
        result = read(Path(case["path"]), case["name"], case["limits"])
        os.write(question, json.dumps(result).encode())
        os._exit(0)
    os.close(question)
    with os.fdopen(answer) as said:
        text = said.read()
    _, status = os.waitpid(pid, 0)
    return json.loads(text) if text else {"failed": f"exit status {status}"}


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    django.setup()
    cases = json.load(sys.stdin)
    print(json.dumps({case["id"]: in_own_process(case) for case in cases}))


if __name__ == "__main__":
    main()
