"""Every hostile file, through the admin's Import page and through `import_candidates`.

For each: no 500 and no exception but CommandError, the recruiter is told what is wrong,
nothing is written when the file is refused, and the case stays within 30 s and 500 MB
(traced by tracemalloc here; the heaviest are also read in a fresh, memory-capped
process whose peak resident size is measured).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from recruiting.models import Candidate
from tests.factories import InterviewerFactory
from tests.hostile.corpus import CASES, HEAVY_CASES, Case
from tests.hostile.runs import (
    MB,
    PEAK_MB_MAX,
    SECONDS_MAX,
    built,
    check_outcome,
    lower_limits,
    measured,
    through_the_admin,
    through_the_command,
)
from tests.import_pages import uploads, user_with

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

ROOT = Path(__file__).resolve().parents[2]
PROCESS_MB_MAX = 2048  # the child's address space: a bomb fails there, not on the machine


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Where each case's file is built, once for the session; removed after it."""
    directory = tmp_path_factory.mktemp("hostile")
    yield directory
    for path in directory.rglob("*"):
        if path.is_file():
            path.unlink()


@pytest.fixture
def hostile_file(request: pytest.FixtureRequest, corpus_dir: Path) -> Path:
    case: Case = request.param
    directory = corpus_dir / case.id
    directory.mkdir(exist_ok=True)
    return built(case, directory)


@pytest.fixture
def interviewer():
    return InterviewerFactory(name="Backend Engineer")


def case_of(request: pytest.FixtureRequest) -> Case:
    return request.node.callspec.params["hostile_file"]


def each(cases: list[Case]) -> pytest.MarkDecorator:
    return pytest.mark.parametrize("hostile_file", cases, ids=[c.id for c in cases], indirect=True)


@each(CASES)
def test_the_import_page_names_the_problem_and_writes_nothing(
    hostile_file, request, client, settings, interviewer, media
):
    case = case_of(request)
    lower_limits(settings, case)
    client.force_login(user_with("view_candidate", "import_candidate"))
    before = Candidate.objects.count()

    with measured(trace=not case.heavy) as cost:
        said = through_the_admin(client, hostile_file, case, interviewer)

    check_outcome(case, said, before, cost)
    # Refused before a preview or a mapping step, which wait for it: the upload is not kept.
    if "Preview of" not in said and "The columns of" not in said:
        assert uploads(media) == []


@each(CASES)
def test_the_command_names_the_problem_and_writes_nothing(
    hostile_file, request, settings, interviewer
):
    case = case_of(request)
    lower_limits(settings, case)
    before = Candidate.objects.count()

    with measured(trace=not case.heavy) as cost:
        said, failed = through_the_command(hostile_file, interviewer)

    assert failed is not case.valid
    check_outcome(case, said, before, cost)


def _capped() -> None:
    cap = PROCESS_MB_MAX * MB
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


@pytest.fixture(scope="session")
def heavy_costs(corpus_dir: Path) -> dict[str, dict]:
    """What reading each heavy file cost, each in a process of its own, measured once."""
    cases = []
    for case in HEAVY_CASES:
        (directory := corpus_dir / case.id).mkdir(exist_ok=True)
        path = built(case, directory)
        cases.append({"id": case.id, "path": str(path), "name": case.name, "limits": case.limits})
    answer = subprocess.run(
        [sys.executable, "-m", "tests.hostile.measure"],
        input=json.dumps(cases),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=SECONDS_MAX * len(cases),
        preexec_fn=_capped,
    )
    assert answer.returncode == 0, answer.stderr[-3000:]
    return json.loads(answer.stdout)


@pytest.mark.parametrize("case", HEAVY_CASES, ids=[c.id for c in HEAVY_CASES])
def test_the_heaviest_files_are_read_in_bounded_time_and_memory(case, heavy_costs):
    cost = heavy_costs[case.id]

    assert "failed" not in cost, cost
    print(f"{case.id}: {cost['seconds']:.2f} s, {cost['peak_mb']:.0f} MB")
    if cost["message"]:  # some are refused only once their rows are checked
        assert case.message in cost["message"]
    assert cost["seconds"] < SECONDS_MAX
    assert cost["peak_mb"] < PEAK_MB_MAX
